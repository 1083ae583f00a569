"""BackCare Kit: patient education about back spasms.

Importing this package is cheap: the knowledge base (``backcare_lib.knowledge``), the logic
modules and the widgets (``backcare_lib.ui``) are imported on demand, and heavy libraries
(ipywidgets, matplotlib, weasyprint) load only where they are used.
"""

__version__ = "0.1.0"

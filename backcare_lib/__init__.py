"""BackCare Kit: patient education about back spasms.

Importing this package is cheap: the knowledge base, logic modules and widgets are
imported on demand (``from backcare_lib import triage``), and heavy libraries
(ipywidgets, matplotlib, weasyprint) are only loaded where they are used.
"""

__version__ = "0.1.0"

DISCLAIMER = (
    "BackCare Kit teaches you about back spasms. It does not diagnose you and it does not "
    "replace a doctor, nurse or physical therapist. If you are worried, get medical help."
)

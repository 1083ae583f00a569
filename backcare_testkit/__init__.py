"""The kit's test harness, shared by ``tests/`` and ``benchmarks/``.

- :mod:`backcare_testkit.servers`: free ports, starting and stopping Voila or JupyterLab (and
  the kernels they start), kernel processes and their memory;
- :mod:`backcare_testkit.browser`: Debian's Chromium, its launch flags, and the network log
  that proves no request leaves 127.0.0.1;
- :mod:`backcare_testkit.dashboard`: a page object for the consult dashboard;
- :mod:`backcare_testkit.pytest_plugin`: the pytest fixtures built from these.

Playwright is imported only inside the functions that need it, and nothing in ``backcare_lib``
imports this package.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

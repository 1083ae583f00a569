"""The package imports light and fast, and ships its content and templates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "ipywidgets", "weasyprint", "IPython", "pandas", "pydantic")


def test_import_backcare_lib_loads_no_heavy_package():
    probe = f"import sys, backcare_lib; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_voila_template_drops_cdn_links():
    template = ROOT / "share/jupyter/voila/templates/backcare/index.html.j2"
    text = template.read_text()
    assert "cdn." not in text and "https://" not in text
    conf = json.loads((template.parent / "conf.json").read_text())
    assert conf["base_template"] == "lab"


def test_voila_json_keeps_server_safe_defaults():
    conf = json.loads((ROOT / "voila.json").read_text())
    assert conf["Voila"]["ip"] == "127.0.0.1"
    assert conf["Voila"]["port_retries"] == 0
    assert conf["VoilaConfiguration"]["strip_sources"] is True
    assert conf["VoilaConfiguration"]["show_tracebacks"] is False
    assert conf["VoilaConfiguration"]["template"] == "backcare"
    assert conf["MappingKernelManager"]["cull_idle_timeout"] > 0
    assert conf["MappingKernelManager"]["cull_interval"] > 0
    # A kernel that dies ends (the page says so) instead of restarting empty.
    assert conf["KernelRestarter"]["restart_limit"] == 0


def test_notebooks_are_stored_without_outputs():
    for nb_path in sorted([*ROOT.glob("notebooks/**/*.ipynb"), *ROOT.glob("app/*.ipynb")]):
        cells = json.loads(nb_path.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert not cell["outputs"], f"{nb_path.name} has outputs"
                assert cell["execution_count"] is None, f"{nb_path.name} has execution counts"


def test_make_dashboard_serves_the_app(tmp_path):
    """The README's command itself: `make dashboard PORT=…` serves the app on 127.0.0.1."""
    import os
    import signal
    import time
    import urllib.request

    from backcare_testkit.servers import free_port

    port = free_port()
    venv = Path(sys.prefix)  # the environment running the tests; make reuses it
    log = (tmp_path / "make.log").open("w")
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "dashboard", f"PORT={port}", f"VENV={venv}"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline, page = time.monotonic() + 120, ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as resp:
                    page = resp.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert "<title>BackCare Kit: back spasm visit</title>" in page, (
            tmp_path / "make.log"
        ).read_text()
        assert "cdn.jsdelivr.net" not in page and "fontawesome" not in page.lower()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_an_installed_kit_carries_every_content_file_and_template():
    """``pip install .`` (docs/deployment.md) ships backcare_lib's package data by the globs in
    pyproject.toml: every content file and template git tracks must match one of them."""
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["backcare_lib"]
    package = ROOT / "backcare_lib"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    tracked = subprocess.run(
        ["git", "ls-files", "backcare_lib"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    data = [ROOT / f for f in tracked if not f.endswith(".py")]
    assert data, "git lists the package's files"
    missing = [str(p.relative_to(ROOT)) for p in data if p not in shipped]
    assert not missing, f"not in pyproject.toml's package-data: {missing}"

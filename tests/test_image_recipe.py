"""The repo2docker recipe (Binder, the Zero to JupyterHub image): environment.yml, apt.txt and
postBuild. What can be checked without Docker: apt.txt names the libraries the Makefile
installs for WeasyPrint; installing the kit puts the offline Voila template into the
environment; postBuild's steps run in a clean virtual environment and leave there the settings
a Jupyter server (with Voila's server extension) reads."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def apt_txt() -> list[str]:
    lines = (ROOT / "apt.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_apt_txt_has_weasyprints_libraries_and_fonts():
    makefile = (ROOT / "Makefile").read_text()
    apt_packages = re.search(r"^APT_PACKAGES := (.+)$", makefile, re.M).group(1).split()
    test_only = {"chromium", "poppler-utils"}  # the browser tests and the PDF test
    assert sorted(apt_txt()) == sorted(set(apt_packages) - test_only)


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("image") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    return venv


def run_post_build(venv: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NB_PYTHON"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        [str(ROOT / "postBuild")], cwd="/", env=env, capture_output=True, text=True, timeout=60
    )


def test_post_build_runs_in_a_clean_venv_and_leaves_the_servers_settings(clean_venv):
    result = run_post_build(clean_venv)
    assert result.returncode == 0, result.stderr
    voila = json.loads((ROOT / "voila.json").read_text())

    etc = clean_venv / "etc" / "jupyter"
    assert json.loads((etc / "voila.json").read_text()) == {
        "VoilaConfiguration": voila["VoilaConfiguration"]
    }
    server = json.loads((etc / "jupyter_server_config.json").read_text())
    assert server["MappingKernelManager"] == voila["MappingKernelManager"]
    assert "KernelRestarter" not in server, "a learner's JupyterLab restarts a dead kernel"
    assert server["ServerApp"]["tornado_settings"] == {"mathjax_url": None, "mathjax_config": None}
    assert server["LabApp"]["news_url"] is None
    plugins = Path(server["LabApp"]["extra_labextensions_path"][0])
    assert (plugins / "backcare-lab" / "package.json").is_file(), "make lab's plugin"
    assert "jpserver_extensions" not in server["ServerApp"], "Binder and learners keep JupyterLab"

    kit = clean_venv / "share" / "backcare-kit"
    visitor = json.loads((kit / "visitor-config" / "jupyter_server_config.json").read_text())
    assert visitor["ServerApp"]["jpserver_extensions"] == {"jupyterlab": False}
    assert visitor["ServerApp"]["terminals_enabled"] is False
    assert visitor["KernelRestarter"] == {"restart_limit": 0}, "a dead visitor kernel ends"
    lessons = sorted(p.name for p in (kit / "lessons").glob("*.ipynb"))
    assert lessons and lessons[0].startswith("00_")
    assert "dashboard.ipynb" not in lessons

    # Run twice (a rebuild): the settings are merged into what is there, not duplicated.
    assert run_post_build(clean_venv).returncode == 0
    assert json.loads((etc / "jupyter_server_config.json").read_text()) == server


def test_installing_the_kit_puts_the_offline_template_in_the_environment():
    """environment.yml installs the kit itself (`- .`); setuptools, reading pyproject.toml as
    pip's build does, installs every file of the template into the environment's
    share/jupyter, where Voila (standalone or server extension) looks for templates."""
    import warnings

    from setuptools.config.pyprojecttoml import read_configuration

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # setuptools calls its pyproject support "beta"
        config = read_configuration(ROOT / "pyproject.toml")
    data_files = dict(config["tool"]["setuptools"]["data-files"])
    target = "share/jupyter/voila/templates/backcare"
    template = ROOT / target
    assert sorted(data_files[target]) == sorted(
        str(p.relative_to(ROOT)) for p in template.iterdir() if p.is_file()
    )

"""Give a Jupyter server (JupyterHub's single-user server, Binder, a Zero to JupyterHub image)
the dashboard settings of ``voila.json``, so the dashboard served by Voila's server extension
(``/voila/render/...``) behaves as ``make dashboard`` does: sources stripped, no tracebacks,
the offline ``backcare`` template (and no MathJax from a CDN), the same kernel culling.

Voila's server extension reads the ``VoilaConfiguration`` of a ``voila.json`` found on the
Jupyter config path (or in the server's working folder); the kernel settings
(``MappingKernelManager``) belong to the server itself, so they go into
``jupyter_server_config.json`` (a ``jupyter_server_config.d`` file would only be read for
``jpserver_extensions``). ``voila.json`` stays the one place these settings are written.

    python deploy/server_settings.py CONFIG_DIR [--visitor]

writes ``CONFIG_DIR/voila.json`` and ``CONFIG_DIR/jupyter_server_config.json`` (merged into
what is already there).
``--visitor`` also switches off JupyterLab and terminals: an anonymous visitor's server serves
the dashboard and nothing else, and a kernel that dies is ended rather than restarted empty (the
page then says "This page has stopped"); a learner's JupyterLab keeps restarting its kernels.
Uses only the standard library (it runs in ``postBuild``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOILA_JSON = ROOT / "voila.json"
SERVER_FILE = "jupyter_server_config.json"
VISITOR_SERVER = {"jpserver_extensions": {"jupyterlab": False}, "terminals_enabled": False}
# Voila's server extension points the page at MathJax 2 on a CDN unless the server's own
# ``mathjax_url`` and ``mathjax_config`` settings are both null (as standalone Voila has
# them): then the page uses the MathJax 3 bundled with Voila, loaded from the server.
OFFLINE_SERVER = {"tornado_settings": {"mathjax_url": None, "mathjax_config": None}}
# JupyterLab (learners) would otherwise fetch news and look for updates on the internet.
OFFLINE_LAB = {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}
# A learner's JupyterLab gets `make lab`'s plugin (app/lab/labextensions): a lesson saved and
# closed at once closes without asking "Save your work?".
LEARNER_LAB = {"extra_labextensions_path": [str(ROOT / "app" / "lab" / "labextensions")]}


def settings(voila_json: Path = VOILA_JSON, *, visitor: bool = False) -> dict[str, dict]:
    """The two config files' contents, keyed by their path relative to the config folder."""
    config = json.loads(voila_json.read_text())
    server = {
        "ServerApp": {**OFFLINE_SERVER, **(VISITOR_SERVER if visitor else {})},
        "MappingKernelManager": config["MappingKernelManager"],
        "LabApp": {**OFFLINE_LAB, **({} if visitor else LEARNER_LAB)},
    }
    if visitor:
        server["KernelRestarter"] = config["KernelRestarter"]
    return {
        "voila.json": {"VoilaConfiguration": config["VoilaConfiguration"]},
        SERVER_FILE: server,
    }


def merge(base: dict, new: dict) -> dict:
    """``base`` updated with ``new``, nested sections merged rather than replaced."""
    out = dict(base)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def write(config_dir: Path, *, visitor: bool = False) -> list[Path]:
    written = []
    for name, content in settings(visitor=visitor).items():
        path = Path(config_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            content = merge(json.loads(path.read_text()), content)
        path.write_text(json.dumps(content, indent=2) + "\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config_dir", type=Path, help="a folder on the Jupyter config path")
    parser.add_argument("--visitor", action="store_true", help="dashboard only: no JupyterLab")
    args = parser.parse_args(argv)
    for path in write(args.config_dir, visitor=args.visitor):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

"""Start and stop the kit's JupyterHub (`make hub`'s configuration) for tests and benchmarks:
its state in a throw-away folder, a read-only API token, and the processes it started."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from backcare_testkit import ROOT
from backcare_testkit.servers import ServerProcess, free_port, start_server, stop_process

CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / "deploy" / "jupyterhub" / "node_modules" / ".bin" / "configurable-http-proxy"


class ProxyMissing(RuntimeError):
    pass


@dataclass
class Hub:
    url: str
    state: Path
    token: str
    password: str
    server: ServerProcess
    start_seconds: float
    timings: dict = field(default_factory=dict)

    def api(self, path: str):
        """GET the hub's REST API with the monitor token (read-only)."""
        request = urllib.request.Request(
            f"{self.url}hub/api/{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def running(self) -> dict[str, dict]:
        """User name -> their default server's model, for every server that is running."""
        return {u["name"]: u["servers"][""] for u in self.api("users") if "" in u["servers"]}

    def processes(self) -> list[int]:
        return server_processes(self.state)

    def stop(self) -> None:
        """SIGTERM to the hub alone (it stops its servers and its proxy), then clean up."""
        process = self.server.process
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        stop_process(process)
        for pid in self.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.state, ignore_errors=True)


def server_processes(state: Path) -> list[int]:
    """Single-user servers (and their kernels) started by the hub whose state is ``state``."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            environ = (proc / "environ").read_bytes()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if str(state).encode() in environ and (
            b"jupyterhub-singleuser" in cmdline or b"ipykernel" in cmdline
        ):
            found.append(int(proc.name))
    return found


def start_hub(*, log_name: str = "hub.log", **settings) -> Hub:
    """Start JupyterHub with deploy/jupyterhub/jupyterhub_config.py on a free port of
    127.0.0.1; ``settings`` are its BACKCARE_HUB_* variables (``cull_timeout=20``...)."""
    if not PROXY.exists():
        raise ProxyMissing("configurable-http-proxy is not installed: run `make hub-deps`")
    state = Path(tempfile.mkdtemp(prefix="backcare-hub-"))
    port = free_port()
    token, password = secrets.token_hex(16), secrets.token_urlsafe(12)
    env = {
        "BACKCARE_HUB_STATE": str(state),
        "BACKCARE_HUB_PORT": str(port),
        "BACKCARE_HUB_LEARNER_PASSWORD": password,
        "BACKCARE_HUB_MONITOR_TOKEN": token,
        "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
        **{f"BACKCARE_HUB_{k.upper()}": str(v) for k, v in settings.items()},
    }
    jupyterhub = Path(sys.executable).with_name("jupyterhub")
    started = time.monotonic()
    server = start_server(
        [str(jupyterhub), "-f", str(CONFIG)],
        port=port,
        ready_path="hub/health",
        log_name=log_name,
        env=env,
    )
    return Hub(server.url, state, token, password, server, time.monotonic() - started)

"""Start and stop real servers (Voila, JupyterLab) on 127.0.0.1, and look at their kernels."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from backcare_testkit import ARTIFACTS, ROOT

START_TIMEOUT_S = 60


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kernels(self) -> list[int]:
        return kernel_processes(self.pid)

    def stop(self) -> None:
        stop_process(self.process)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_server(
    argv: list[str], *, port: int, ready_path: str, log_name: str, env: dict | None = None
) -> ServerProcess:
    """Start a server in its own process group and wait until ``ready_path`` answers.

    Its output goes to ``test-artifacts/<log_name>``. If it exits or does not answer within
    a minute, it is stopped and the error shows its log."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{argv[0]} exited with {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            with urllib.request.urlopen(url + ready_path, timeout=2):
                return ServerProcess(url, process, log_path)
        except OSError:
            time.sleep(0.25)
    stop_process(process)
    raise RuntimeError(
        f"{argv[0]} did not answer on {url} within {START_TIMEOUT_S} s:\n{log_path.read_text()}"
    )


def start_voila(
    notebook: str,
    *extra: str,
    log_name: str = "voila.log",
    cores: str | None = None,
    jupyter_path: tuple[Path, ...] = (),
) -> ServerProcess:
    """Start Voila the way `make dashboard` does (voila.json in the repo root is its config;
    the offline template is found through JUPYTER_PATH). ``port_retries=0``: a busy port is
    an error, never a silent move to the next one. ``cores`` (e.g. "0" or "0,1") pins the
    server, and so the kernels it starts, to those CPUs with ``taskset``. ``jupyter_path``:
    folders searched before the kit's (e.g. one with a kernel spec of a test's own)."""
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    pin = ["taskset", "--cpu-list", cores] if cores is not None else []
    return start_server(
        [*pin, str(voila), notebook, f"--port={port}", "--Voila.port_retries=0", *extra],
        port=port,
        ready_path="voila/static/voila.js",
        log_name=log_name,
        env={"JUPYTER_PATH": os.pathsep.join(map(str, [*jupyter_path, ROOT / "share/jupyter"]))},
    )


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server and everything it started (its kernels), by its process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def kernel_processes(server_pid: int) -> list[int]:
    """Kernels a server started: its child processes running ipykernel."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == server_pid and b"ipykernel" in cmdline:
            found.append(int(stat.parent.name))
    return found


def kernel_connection(pid: int) -> dict:
    """The connection file a kernel process was started with (its ``-f`` argument)."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    return json.loads(Path(argv[argv.index("-f") + 1]).read_text())


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (nan if it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

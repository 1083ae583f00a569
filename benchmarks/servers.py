"""Start and watch Voila servers for the benchmarks (self-contained: nothing from tests/).

A server runs in its own process group, optionally pinned to CPU cores with ``taskset``
(its kernels inherit the pinning), with the repository's voila.json as its config.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "benchmarks" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def kernels(self) -> list[psutil.Process]:
        """The kernels this server started (its children running ipykernel)."""
        try:
            kids = psutil.Process(self.pid).children()
        except psutil.NoSuchProcess:
            return []
        out = []
        for kid in kids:
            try:
                if any("ipykernel" in part for part in kid.cmdline()):
                    out.append(kid)
            except psutil.Error:
                continue
        return out

    def cpu_seconds(self) -> float:
        """CPU time of the server and all its kernels, live or already ended."""
        try:
            proc = psutil.Process(self.pid)
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            return float("nan")
        total = times.user + times.system + times.children_user + times.children_system
        for kernel in self.kernels():
            try:
                t = kernel.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                continue
        return total

    def rss_mb(self) -> tuple[float, list[float]]:
        """(server RSS, [kernel RSS, ...]) in MB."""
        try:
            server = psutil.Process(self.pid).memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            server = float("nan")
        kernels = []
        for kernel in self.kernels():
            try:
                kernels.append(kernel.memory_info().rss / 2**20)
            except psutil.Error:
                continue
        return server, kernels

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)


def start_voila(
    notebook: str, *extra: str, cores: str | None = None, log_name: str = "voila.log"
) -> Server:
    """Start Voila on a free port the way `make dashboard` does; wait until it answers."""
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    argv = [str(voila), notebook, f"--port={port}", *extra]
    if cores is not None:
        if not shutil.which("taskset"):
            raise RuntimeError("taskset (util-linux) is needed to pin the server to cores")
        argv = ["taskset", "--cpu-list", cores, *argv]
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, "JUPYTER_PATH": str(ROOT / "share" / "jupyter")},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                return Server(url, process, log_path)
        except OSError:
            time.sleep(0.25)
    server = Server(url, process, log_path)
    server.stop()
    raise RuntimeError(f"voila did not answer on {url} within 90 s:\n{log_path.read_text()}")

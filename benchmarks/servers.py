"""Voila servers for the capacity benchmark: the shared harness's servers (backcare_testkit),
plus what a capacity figure needs: CPU seconds and memory of a server and its kernels."""

from __future__ import annotations

from dataclasses import dataclass

import psutil

from backcare_testkit import ROOT
from backcare_testkit import servers as harness

__all__ = ["ROOT", "Server", "start_voila"]


@dataclass
class Server:
    process_info: harness.ServerProcess

    @property
    def url(self) -> str:
        return self.process_info.url

    @property
    def pid(self) -> int:
        return self.process_info.pid

    def kernels(self) -> list[psutil.Process]:
        """The kernels this server started (its children running ipykernel)."""
        out = []
        for pid in harness.kernel_processes(self.pid):
            try:
                out.append(psutil.Process(pid))
            except psutil.NoSuchProcess:
                continue
        return out

    def cpu_seconds(self) -> float:
        """CPU time of the server and all its kernels, live or already ended (a kernel that
        ended and was reaped by the server counts in the server's children's times)."""
        try:
            times = psutil.Process(self.pid).cpu_times()
        except psutil.NoSuchProcess:
            return float("nan")
        total = times.user + times.system + times.children_user + times.children_system
        for kernel in self.kernels():
            try:
                t = kernel.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
            except psutil.Error:
                continue
        return total

    def rss_mb(self) -> tuple[float, list[float]]:
        """(server RSS, [each kernel's RSS]) in MB."""
        server = harness.rss_mb(self.pid)
        kernels = [harness.rss_mb(k.pid) for k in self.kernels()]
        return server, [k for k in kernels if k == k]

    def stop(self) -> None:
        self.process_info.stop()


def start_voila(
    notebook: str, *extra: str, cores: str | None = None, log_name: str = "voila.log"
) -> Server:
    """Start Voila as `make dashboard` does, optionally pinned to ``cores`` with taskset."""
    return Server(harness.start_voila(notebook, *extra, log_name=log_name, cores=cores))

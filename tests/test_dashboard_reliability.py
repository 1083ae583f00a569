"""Reliability under repeated use: 30 loads in a row, each in a fresh browser context, all
show the first step; after the tabs close, idle kernels are culled and their count falls back.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import start_voila, stop_process

pytestmark = pytest.mark.browser
LOADS = 30
CULL_IDLE, CULL_INTERVAL = 6, 2


def kernel_processes(server_pid: int) -> list[int]:
    """Kernels this server started: its child processes running ipykernel."""
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


@pytest.fixture(scope="module")
def culling_server():
    server = start_voila(
        "app/dashboard.ipynb",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        log_name="voila-reliability.log",
    )
    yield server
    stop_process(server.process)


def test_30_fresh_loads_all_show_the_first_step_and_kernels_are_culled(
    browser, culling_server, network_log
):
    pid = culling_server.process.pid
    before = len(kernel_processes(pid))
    failures, seconds, peak = [], [], 0
    for i in range(LOADS):
        context = browser.new_context()
        context.on("request", lambda r: network_log.urls.append(r.url))
        page = context.new_page()
        start = time.monotonic()
        try:
            page.goto(culling_server.url, wait_until="domcontentloaded")
            expect(page.get_by_text("Step 1 of 6")).to_be_visible(timeout=45_000)
            expect(page.get_by_role("button", name="Next")).to_be_enabled()
            seconds.append(time.monotonic() - start)
        except AssertionError as err:
            failures.append((i, str(err).splitlines()[0]))
        peak = max(peak, len(kernel_processes(pid)))
        context.close()
    assert not failures, f"{len(failures)} of {LOADS} loads did not show step 1: {failures}"
    assert peak > before, "loading the page started kernels"
    assert not network_log.foreign(), network_log.foreign()

    deadline = time.monotonic() + CULL_IDLE + 4 * CULL_INTERVAL + 20
    while time.monotonic() < deadline and len(kernel_processes(pid)) > before:
        time.sleep(1)
    left = len(kernel_processes(pid))
    assert left <= before, f"{left} kernels still running after the tabs closed (peak {peak})"
    seconds.sort()
    print(
        f"\n{LOADS} loads: median {seconds[len(seconds) // 2]:.2f} s, max {seconds[-1]:.2f} s, "
        f"peak kernels {peak}"
    )

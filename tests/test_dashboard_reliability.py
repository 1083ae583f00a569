"""Reliability under repeated use: 10 loads in a row, each in a fresh browser context, all
show the first step; after the tabs close, idle kernels are culled and their count falls back.

Why 10 loads are enough (there were 30): each load takes the same path, a new browser context
(no cookie or cache shared) and a new kernel that runs the whole notebook, so a defect that
breaks a fresh load shows on the first. What needs repetition is what piles up: kernels that
are never culled, and a server that slows or refuses as they accumulate. Ten loads in a row
start ten kernels while the culler (6 s idle, every 2 s) already ends the first ones, so starting
and culling overlap as they do on a busy server; then every one must be gone: a leak of even one
kernel fails the count.
Longer runs, with timings, are the benchmarks' job: ``benchmarks/run.py --loads N`` (`make
bench` makes 10 fresh loads of each notebook).
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from backcare_testkit.dashboard import step_ids, step_marker
from backcare_testkit.servers import kernel_processes, start_voila

pytestmark = pytest.mark.browser
LOADS = 10
CULL_IDLE, CULL_INTERVAL = 6, 2


@pytest.fixture(scope="module")
def culling_server():
    with start_voila(
        "app/dashboard.ipynb",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        log_name="voila-reliability.log",
    ) as server:
        yield server


# A hang guard, not a timing assertion: 10 page loads plus culling can pass 150 s on a busy
# 2-core machine now that the dashboard builds the whole safety check (36 questions).
@pytest.mark.timeout(450)
def test_10_fresh_loads_all_show_the_first_step_and_kernels_are_culled(
    browser, culling_server, network_log
):
    pid = culling_server.process.pid
    before = len(kernel_processes(pid))
    failures, seconds, peak = [], [], 0
    for i in range(LOADS):
        context = browser.new_context()
        network_log.watch(context)
        page = context.new_page()
        start = time.monotonic()
        try:
            page.goto(culling_server.url, wait_until="domcontentloaded")
            expect(page.get_by_text(step_marker(step_ids()[0]))).to_be_visible(timeout=45_000)
            expect(page.get_by_role("button", name="Next")).to_be_enabled()
            seconds.append(time.monotonic() - start)
        except AssertionError as err:
            failures.append((i, str(err).splitlines()[0]))
        peak = max(peak, len(kernel_processes(pid)))
        context.close()
    assert not failures, f"{len(failures)} of {LOADS} loads did not show step 1: {failures}"
    assert peak > before, "loading the page started kernels"

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

"""Hub sizing: what one anonymous visitor costs on `make hub` (their own single-user server and
kernel) against plain Voila (one shared server, a kernel per visitor), measured in the same run
with the same browser, plus the trivial one-button notebook as the usual baseline.

    .venv/bin/python benchmarks/hub.py [--visitors 3]

Figures: hub start (launch to /hub/health answering), time from opening the address to the
dashboard's first step, memory per visitor (RSS and PSS, the latter sharing common pages out
fairly, so it is what adds up on a node) at the first view and after a walk to the plan, and
the CPU seconds each visitor's processes used. Visitors come one after another (their pages
stay open), so each figure is one visitor's own cost, not a burst. Writes
benchmarks/results/hub.json. Nothing here asserts a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from backcare_testkit import ROOT
from backcare_testkit.browser import launch
from backcare_testkit.dashboard import DashboardPage, step_ids, step_marker
from backcare_testkit.hub import start_hub
from backcare_testkit.servers import kernel_processes, start_voila

TICKS = os.sysconf("SC_CLK_TCK")
TIMEOUT_MS = 120_000


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB; (0, 0) if it is gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0.0
    fields = {line.split(":")[0]: line.split()[1] for line in rollup.splitlines()[1:]}
    return int(fields["Rss"]) / 1024, int(fields["Pss"]) / 1024


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def user_processes(name: str) -> list[int]:
    """The single-user server and kernels of hub user ``name``."""
    marker = f"JUPYTERHUB_USER={name}".encode()
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def totals(pids: list[int]) -> dict:
    mem = [memory_mb(p) for p in pids]
    return {
        "rss_mb": round(sum(m[0] for m in mem), 1),
        "pss_mb": round(sum(m[1] for m in mem), 1),
        "cpu_s": round(sum(cpu_s(p) for p in pids), 2),
    }


def walk_to_plan(dashboard: DashboardPage) -> None:
    for step_id in step_ids()[1:]:
        dashboard.next(step_id)
    dashboard.page.get_by_role("link", name="Download the plan (PDF)").wait_for(timeout=TIMEOUT_MS)


def plain_voila(browser, notebook: str, ready: str, walk: bool) -> dict:
    """One visitor on a plain Voila server: the kernel is their own cost; the server's CPU
    while serving them is counted too."""
    with start_voila(notebook, log_name=f"bench-hub-{Path(notebook).stem}.log") as server:
        context = browser.new_context()
        page = context.new_page()
        server_cpu = cpu_s(server.pid)
        started = time.monotonic()
        page.goto(server.url, wait_until="domcontentloaded")
        page.get_by_text(ready).first.wait_for(timeout=TIMEOUT_MS)
        figures = {"first_view_s": round(time.monotonic() - started, 2)}
        kernels = kernel_processes(server.pid)
        figures["first_view"] = totals(kernels)
        if walk:
            walk_to_plan(DashboardPage(page, page.url))
            figures["after_plan"] = totals(kernels)
        figures["server_cpu_s"] = round(cpu_s(server.pid) - server_cpu, 2)
        figures["server"] = totals([server.pid])
        context.close()
    return figures


def hub_visitors(browser, visitors: int) -> dict:
    hub = start_hub(log_name="bench-hub.log", cull_timeout=3600, active_limit=visitors + 1)
    figures = {"hub_start_s": round(hub.start_seconds, 2), "visitors": []}
    contexts = []
    try:
        for _ in range(visitors):
            context = browser.new_context()
            contexts.append(context)
            page = context.new_page()
            hub_cpu = cpu_s(hub.server.pid)
            started = time.monotonic()
            page.goto(hub.url, wait_until="domcontentloaded")
            page.get_by_text(step_marker(step_ids()[0])).wait_for(timeout=TIMEOUT_MS)
            one = {"first_view_s": round(time.monotonic() - started, 2)}
            name = page.url.split("/user/", 1)[1].split("/", 1)[0]
            one["first_view"] = totals(user_processes(name))
            walk_to_plan(DashboardPage(page, page.url))
            one["after_plan"] = totals(user_processes(name))
            one["hub_cpu_s"] = round(cpu_s(hub.server.pid) - hub_cpu, 2)
            figures["visitors"].append(one)
        # The hub and its proxy: a fixed cost, whatever the number of visitors.
        port = f"--port\0{hub.url.rsplit(':', 1)[1].strip('/')}\0".encode()
        proxy = [
            int(p.name)
            for p in Path("/proc").glob("[0-9]*")
            if b"configurable-http-proxy" in _cmdline(p) and port in _cmdline(p)
        ]
        figures["hub_and_proxy"] = totals([hub.server.pid, *proxy])
    finally:
        for context in contexts:
            context.close()
        hub.stop()
    return figures


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=3, help="hub visitors, one by one")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "hub.json")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        trivial = plain_voila(browser, "benchmarks/trivial.ipynb", "Baseline ready", walk=False)
        voila = plain_voila(browser, "app/dashboard.ipynb", step_marker(step_ids()[0]), walk=True)
        hub = hub_visitors(browser, args.visitors)
        browser.close()

    def median(key, sub=None):
        values = [v[key][sub] if sub else v[key] for v in hub["visitors"]]
        return round(statistics.median(values), 2)

    summary = {
        "hub_start_s": hub["hub_start_s"],
        "first_view_s": {
            "trivial_voila": trivial["first_view_s"],
            "dashboard_voila": voila["first_view_s"],
            "dashboard_hub": median("first_view_s"),
            "hub_over_voila": round(median("first_view_s") / voila["first_view_s"], 2),
        },
        "pss_mb_per_visitor_after_plan": {
            "trivial_voila_kernel": trivial["first_view"]["pss_mb"],
            "dashboard_voila_kernel": voila["after_plan"]["pss_mb"],
            "dashboard_hub_server_and_kernel": median("after_plan", "pss_mb"),
            "hub_over_voila": round(
                median("after_plan", "pss_mb") / voila["after_plan"]["pss_mb"], 2
            ),
            "hub_over_trivial": round(
                median("after_plan", "pss_mb") / trivial["first_view"]["pss_mb"], 2
            ),
        },
        "rss_mb_per_visitor_after_plan": {
            "dashboard_voila_kernel": voila["after_plan"]["rss_mb"],
            "dashboard_hub_server_and_kernel": median("after_plan", "rss_mb"),
        },
        "cpu_s_per_visitor_to_plan": {
            "dashboard_voila_kernel_and_server": round(
                voila["after_plan"]["cpu_s"] + voila["server_cpu_s"], 2
            ),
            "dashboard_hub_server_kernel_and_hub": round(
                median("after_plan", "cpu_s") + median("hub_cpu_s"), 2
            ),
        },
        "fixed": {"voila_server": voila["server"], "hub_and_proxy": hub["hub_and_proxy"]},
    }
    result = {"summary": summary, "trivial": trivial, "voila": voila, "hub": hub}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

"""Benchmarks: speed and memory of the dashboard as ratios against a trivial Voila notebook
measured in the same run (same machine, same moment), plus library timings.

    .venv/bin/python benchmarks/run.py [--loads 10]     (the first part of make bench)

Prints a table and writes benchmarks/results/latest.json. Nothing here asserts a time: the
figures are for people to read and compare between commits.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from backcare_testkit import ROOT
from backcare_testkit.browser import launch
from backcare_testkit.dashboard import DashboardPage, step_ids, step_marker
from backcare_testkit.servers import kernel_processes, rss_mb, start_voila

PAGES = {
    "trivial": ("benchmarks/trivial.ipynb", "Baseline ready"),
    "dashboard": ("app/dashboard.ipynb", step_marker(step_ids()[0])),
}


def page_loads(loads: int) -> dict:
    from playwright.sync_api import sync_playwright

    servers = {
        name: start_voila(nb, log_name=f"bench-{name}.log") for name, (nb, _) in PAGES.items()
    }
    results = {name: {"seconds": [], "kernel_mb": []} for name in PAGES}
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            results["dashboard"]["after_walkthrough_mb"] = walkthrough_rss(
                browser, servers["dashboard"]
            )
            for _ in range(loads):
                for name, (_nb, ready_text) in PAGES.items():  # alternate: same conditions
                    server = servers[name]
                    context = browser.new_context()
                    page = context.new_page()
                    before = set(kernel_processes(server.pid))
                    start = time.monotonic()
                    page.goto(server.url, wait_until="domcontentloaded")
                    page.get_by_text(ready_text).first.wait_for(timeout=60_000)
                    results[name]["seconds"].append(time.monotonic() - start)
                    new = set(kernel_processes(server.pid)) - before
                    if new:
                        results[name]["kernel_mb"].append(rss_mb(max(new)))
                    context.close()
            browser.close()
        for name, server in servers.items():
            results[name]["server_mb"] = rss_mb(server.process.pid)
    finally:
        for server in servers.values():
            server.stop()
    return results


def walkthrough_rss(browser, server) -> float:
    """Kernel memory once a visitor has reached the plan (charts, PDF and calendar made)."""
    context = browser.new_context()
    before = set(kernel_processes(server.pid))
    dashboard = DashboardPage(context.new_page(), server.url).open()
    dashboard.go_to("safety")
    dashboard.answer_all("No")  # the plan is offered only once the check is complete
    dashboard.go_to("about")
    dashboard.about_you()
    dashboard.go_to("first_days")
    dashboard.go_to("plan")
    dashboard.page.get_by_text("Take it home").wait_for(timeout=60_000)
    for link in (
        "Download the plan (PDF)",
        "Download the plan (web page)",
        "Download calendar reminders (.ics)",
    ):
        dashboard.download(link)
    new = set(kernel_processes(server.pid)) - before
    mb = rss_mb(max(new)) if new else float("nan")
    context.close()
    return mb


def import_ms(statement: str, repeats: int = 5) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs) * 1000


def library_timings() -> dict:
    from datetime import datetime, timedelta

    from backcare_lib import handout, plan, render, triage

    now = datetime.now().replace(second=0, microsecond=0)
    profile = plan.PatientProfile(
        started=now - timedelta(hours=3), age=40, area="lower", answers=triage.answers_from_yes([])
    )
    care_plan = plan.build_plan(profile, now=now)
    out = {}
    for fmt in ("html", "pdf", "ics"):
        handout.render(care_plan, fmt)  # warm up the imports
        render._schedule_svg.cache_clear()  # but time the chart as a new plan would
        start = time.perf_counter()
        handout.render(care_plan, fmt)
        out[f"render_{fmt}_ms"] = (time.perf_counter() - start) * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10, help="page loads per notebook")
    parser.add_argument(
        "--import-repeats", type=int, default=5, help="fresh interpreters per import timed"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "benchmarks" / "results" / "latest.json",
        help="where to write the figures as JSON",
    )
    args = parser.parse_args()

    loads = page_loads(args.loads)
    med = {
        n: {k: statistics.median(v) for k, v in r.items() if isinstance(v, list) and v}
        for n, r in loads.items()
    }
    base, dash = med["trivial"], med["dashboard"]
    figures = {
        "loads_per_notebook": args.loads,
        "time_to_first_widget_s": {
            "trivial": base["seconds"],
            "dashboard": dash["seconds"],
            "ratio": dash["seconds"] / base["seconds"],
        },
        "kernel_rss_mb": {
            "trivial": base["kernel_mb"],
            "dashboard": dash["kernel_mb"],
            "ratio": dash["kernel_mb"] / base["kernel_mb"],
        },
        "kernel_rss_after_walkthrough_mb": {
            "dashboard": loads["dashboard"]["after_walkthrough_mb"],
            "ratio": loads["dashboard"]["after_walkthrough_mb"] / base["kernel_mb"],
        },
        "server_rss_mb": {n: loads[n]["server_mb"] for n in loads},
        "import_ms": {
            "backcare_lib": import_ms("import backcare_lib", args.import_repeats),
            "backcare_lib.plan": import_ms("import backcare_lib.plan", args.import_repeats),
            "backcare_lib.ui.dashboard": import_ms(
                "import backcare_lib.ui.dashboard", args.import_repeats
            ),
            "ipywidgets": import_ms("import ipywidgets", args.import_repeats),
        },
        **library_timings(),
    }
    ttfw, rss = figures["time_to_first_widget_s"], figures["kernel_rss_mb"]
    print(f"page loads: {args.loads} per notebook, alternated, medians")
    print(
        f"  time to first widget  trivial {ttfw['trivial']:.2f} s   dashboard "
        f"{ttfw['dashboard']:.2f} s   ratio {ttfw['ratio']:.2f}"
    )
    print(
        f"  kernel memory (RSS)   trivial {rss['trivial']:.0f} MB  dashboard "
        f"{rss['dashboard']:.0f} MB  ratio {rss['ratio']:.2f}"
    )
    walk = figures["kernel_rss_after_walkthrough_mb"]
    print(
        f"  kernel after a walkthrough to the plan: {walk['dashboard']:.0f} MB, "
        f"ratio to the trivial kernel {walk['ratio']:.2f}"
    )
    imports = figures["import_ms"]
    print("imports (ms, median of 5 fresh interpreters):")
    for name, ms in imports.items():
        print(f"  {name:28s} {ms:7.0f}   ratio to ipywidgets {ms / imports['ipywidgets']:.2f}")
    print(
        "take-home plan (ms): "
        + ", ".join(f"{fmt} {figures[f'render_{fmt}_ms']:.0f}" for fmt in ("html", "pdf", "ics"))
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

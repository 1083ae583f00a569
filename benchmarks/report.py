"""Turn a capacity run (benchmarks/results/capacity.json) into the README's table and chart.

    .venv/bin/python benchmarks/report.py [--chart docs/images/capacity.png]

Prints a Markdown table (p50/p95 first view, errors, CPU seconds and memory per visitor, each
with its ratio to the trivial notebook in the same run) and draws the chart.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_VIEW = "first view"


def ratio(a, b) -> str:
    return f"{a / b:.2f}×" if a and b else "–"


def markdown(results: dict) -> str:
    rows = [
        "| server | visitors at once | first view p50 / p95 (s) | ratio to trivial (p50 / p95) "
        "| errors | CPU s per visitor (ratio) | MB per visitor (ratio) |",
        "|---|---|---|---|---|---|---|",
    ]
    for cores, config in results["configs"].items():
        triv, dash = config["trivial"]["levels"], config["dashboard"]["levels"]
        for n, d in dash.items():
            t = triv.get(n)
            if not t:
                continue
            dfv, tfv = d["steps"].get(FIRST_VIEW, {}), t["steps"].get(FIRST_VIEW, {})
            rows.append(
                f"| {cores} | {n} | {dfv.get('p50', 0):.2f} / {dfv.get('p95', 0):.2f} "
                f"| {ratio(dfv.get('p50'), tfv.get('p50'))} / "
                f"{ratio(dfv.get('p95'), tfv.get('p95'))} "
                f"| {len(d['errors'])} | {d['cpu_s_per_visitor']:.1f} "
                f"({ratio(d['cpu_s_per_visitor'], t['cpu_s_per_visitor'])}) "
                f"| {d['peak_mb_per_visitor']:.0f} "
                f"({ratio(d['peak_mb_per_visitor'], t['peak_mb_per_visitor'])}) |"
            )
    burst = results.get("preheat_burst")
    if burst:
        d, t = burst["dashboard"], burst["trivial"]
        dfv, tfv = d["steps"].get(FIRST_VIEW, {}), t["steps"].get(FIRST_VIEW, {})
        rows.append(
            f"| 2 cores, {d['pool_size']} preheated kernels | {d['visitors']} "
            f"| {dfv.get('p50', 0):.2f} / {dfv.get('p95', 0):.2f} "
            f"| {ratio(dfv.get('p50'), tfv.get('p50'))} / {ratio(dfv.get('p95'), tfv.get('p95'))} "
            f"| {len(d['errors'])} | {d['cpu_s_per_visitor']:.1f} "
            f"({ratio(d['cpu_s_per_visitor'], t['cpu_s_per_visitor'])}) "
            f"| {d['peak_mb_per_visitor']:.0f} "
            f"({ratio(d['peak_mb_per_visitor'], t['peak_mb_per_visitor'])}) |"
        )
    lines = ["\n".join(rows), ""]
    for name in ("dashboard", "trivial"):
        sat = results["configs"].get("2 cores", {}).get(name, {}).get("saturation")
        if sat:
            tried = ", ".join(
                f"{r}/min → {v['p95_first_view_s']:.1f} s"
                + (f", {v['errors']} errors" if v["errors"] else "")
                for r, v in sat["rates"].items()
            )
            ok = sat["last_ok_per_min"]
            over = sat["saturated_at_per_min"]
            lines.append(
                f"- Saturation, {name} (2 cores, visitors arriving steadily; over means p95 first "
                f"view above 3 s or any error): "
                + (f"fine up to {ok} a minute, " if ok and over else "")
                + (f"over at {over} a minute" if over else "fine at every rate tried")
                + f" ({tried})."
            )
    return "\n".join(lines)


def chart(results: dict, path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    styles = {"2 cores": "-", "1 core": "--"}
    colours = {"trivial": "#888888", "dashboard": "#1f5fa8"}
    for cores, config in results["configs"].items():
        for name in ("trivial", "dashboard"):
            levels = config[name]["levels"]
            xs = [int(n) for n in levels]
            p95 = [levels[n]["steps"].get(FIRST_VIEW, {}).get("p95", float("nan")) for n in levels]
            cpu = [levels[n]["cpu_s_per_visitor"] for n in levels]
            label = f"{name}, {cores}"
            left.plot(xs, p95, styles[cores], marker="o", color=colours[name], label=label)
            right.plot(xs, cpu, styles[cores], marker="o", color=colours[name], label=label)
    burst = results.get("preheat_burst", {}).get("dashboard")
    if burst:
        p95 = burst["steps"].get(FIRST_VIEW, {}).get("p95", float("nan"))
        left.plot(
            [burst["visitors"]],
            [p95],
            "*",
            markersize=12,
            color="#1f5fa8",
            label=f"dashboard, 2 cores, {burst['pool_size']} preheated kernels",
        )
    left.axhline(3, color="#b00020", linewidth=0.8)
    left.set_title("First view, p95 (seconds)")
    left.set_xlabel("visitors arriving at the same moment")
    right.set_title("Server + kernel CPU seconds per visitor")
    right.set_xlabel("visitors arriving at the same moment")
    left.legend(fontsize="small")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=HERE / "results" / "capacity.json")
    parser.add_argument("--chart", type=Path)
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    print(markdown(results))
    if args.chart:
        chart(results, args.chart)
        print(f"chart: {args.chart}")


if __name__ == "__main__":
    main()

"""Time, memory and imports per step of the consult, in one fresh interpreter (no server).

    .venv/bin/python benchmarks/steps.py

Builds the dashboard as Voila's kernel does, then walks it the way a visitor does (Next to
each step, the form filled, each take-home file made), and prints, after each step: the
seconds it took, the process's resident memory (VmRSS) and what it added, and the heavy
libraries that were imported by it. The first row is the floor every kernel pays
(``import ipywidgets`` and one Button: the trivial notebook).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "weasyprint", "PIL", "fontTools", "pydantic", "jinja2", "icalendar", "yaml")

PROBE = r"""
import json, sys, time
HEAVY = %r
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
rows, seen = [], set(m for m in sys.modules if m.split(".")[0] in HEAVY)
def mark(name, start):
    global seen
    now = set(m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY)
    rows.append({"step": name, "seconds": time.perf_counter() - start, "rss_mb": rss(),
                 "imported": sorted(now - seen)})
    seen |= now
rows.append({"step": "interpreter", "seconds": 0.0, "rss_mb": rss(), "imported": []})
t = time.perf_counter()
import ipywidgets as w
w.Button(description="x")
mark("ipywidgets + a Button (trivial)", t)
t = time.perf_counter()
from backcare_lib.ui.dashboard import Dashboard
d = Dashboard()
mark("first view: Dashboard()", t)
for n in range(1, 6):
    t = time.perf_counter()
    if n == 2:
        d.form.first_name.value = "Ana"; d.form.activity.value = "swimming"
    d.next.click()
    mark(f"step {n + 1}: " + d.step, t)
for fmt, label in (("pdf", "PDF"), ("html", "web page"), ("ics", "calendar")):
    t = time.perf_counter()
    d.make_file(fmt)
    mark(f"make the {fmt} file", t)
print(json.dumps(rows))
"""


def main() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{'step':36s} {'seconds':>8s} {'RSS MB':>7s} {'+MB':>6s}  imported")
    prev = rows[0]["rss_mb"]
    for row in rows:
        print(
            f"{row['step']:36s} {row['seconds']:8.3f} {row['rss_mb']:7.1f} "
            f"{row['rss_mb'] - prev:+6.1f}  {', '.join(row['imported'])}"
        )
        prev = row["rss_mb"]


if __name__ == "__main__":
    main()

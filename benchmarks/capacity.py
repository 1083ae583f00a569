"""Capacity: how many visitors one machine serves, as ratios against the trivial notebook.

    make bench                                   (the whole table, about 30 minutes)
    .venv/bin/python benchmarks/capacity.py --smoke 3   (3 visitors, correctness only)

For each notebook (the trivial one-button notebook, then the dashboard) a Voila server is
started with the repository's voila.json, pinned with ``taskset`` to 2 cores and then 1
core. Locust (as a library) sends N protocol-level visitors at the same moment
(benchmarks/locustfile.py); each requests the page, loads the widget state over the kernel
websocket and walks once (the dashboard: all six steps, the safety check, the form and the
three take-home files), then leaves. Measured per level:

- p50/p95 of the first view (page request to widget state in hand), of the page request
  alone, and of each step (message sent to the kernel's idle for it);
- errors (failed steps, error messages from the kernel, wrong files);
- server + kernel CPU seconds per visitor (psutil: the server, its live kernels, and the
  kernels it has reaped);
- peak memory per visitor (server RSS + every kernel's RSS, sampled every 0.25 s, / N);

and once per server: the kernel's RSS after one full walk with all three files; the
saturation point (open-loop arrivals at rising rates until p95 first view passes 3 s); and
with preheated kernels (``make dashboard POOL=N``), a burst of N visitors on a pool of N and a
first view with spaced-out visitors.

The load generator runs on the same machine: with the server on 1 core it has the other
core; with 2 cores it shares them (as a browser would). Nothing asserts a time; the figures
are written to benchmarks/results/capacity.json and printed.
"""

from __future__ import annotations

import gevent.monkey  # isort: skip

gevent.monkey.patch_all()  # before anything imports socket or ssl  # noqa: E402

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust.env import Environment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from consult import FIRST_VIEW, PAGE, Walk, walk_consult, walk_trivial  # noqa: E402
from locustfile import ConsultVisitor, TrivialVisitor  # noqa: E402
from servers import ROOT, Server, start_voila  # noqa: E402

NOTEBOOKS = {
    "trivial": ("benchmarks/trivial.ipynb", TrivialVisitor, walk_trivial),
    "dashboard": ("app/dashboard.ipynb", ConsultVisitor, walk_consult),
}
PREHEAT = ("--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=2")
SATURATION_P95_S = 3.0
STALL_S = 150.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_visitors(server: Server, user_class, count: int, spawn_rate: float) -> dict:
    """``count`` visitors arriving at ``spawn_rate`` per second, each walking once."""
    env = Environment(user_classes=[user_class], host=server.url)
    env.walks = []
    samples: dict[str, list[float]] = {}
    failures: list[str] = []

    def on_request(name, response_time, exception, **_kw):
        if exception is None:
            samples.setdefault(name, []).append(response_time / 1000)
        else:
            failures.append(f"{name}: {exception}")

    env.events.request.add_listener(on_request)
    peak = {"mb": 0.0}

    def sample_memory():
        while True:
            server_mb, kernels = server.rss_mb()
            peak["mb"] = max(peak["mb"], server_mb + sum(kernels))
            gevent.sleep(0.25)

    sampler = gevent.spawn(sample_memory)
    cpu_before = server.cpu_seconds()
    runner = env.create_local_runner()
    start = time.monotonic()
    runner.start(count, spawn_rate=spawn_rate)
    # Wait while visitors make progress; a visitor that is silent for STALL_S (no step done,
    # no walk finished) is counted as an error rather than holding the whole run.
    arrivals_end = start + count / spawn_rate
    progress = (0, 0)
    last_progress = start
    while len(env.walks) < count:
        now_progress = (len(env.walks), sum(len(v) for v in samples.values()) + len(failures))
        if now_progress != progress:
            progress, last_progress = now_progress, time.monotonic()
        if time.monotonic() - max(last_progress, arrivals_end) > STALL_S:
            break
        gevent.sleep(0.1)
    elapsed = time.monotonic() - start
    runner.quit()
    sampler.kill()
    gevent.sleep(1)  # the last kernels shut down
    cpu = server.cpu_seconds() - cpu_before
    errors = failures + [e for w in env.walks for e in w.errors]
    missing = count - len(env.walks)
    if missing > 0:
        errors.append(f"{missing} visitors made no progress for {STALL_S:.0f} s (stalled)")
    return {
        "visitors": count,
        "seconds": elapsed,
        "steps": {
            name: {"p50": pct(v, 0.5), "p95": pct(v, 0.95), "n": len(v)}
            for name, v in samples.items()
        },
        "errors": errors,
        "cpu_s_per_visitor": cpu / count,
        "peak_mb_per_visitor": peak["mb"] / count,
        "plans": [w.plan_text for w in env.walks],
        "files": [w.files for w in env.walks],
    }


def merge(runs: list[dict]) -> dict:
    """Sequential single visitors as one level (so one visitor has a p50 and p95)."""
    steps: dict[str, list[float]] = {}
    for run in runs:
        for name, s in run["steps"].items():
            steps.setdefault(name, []).append(s["p50"])
    return {
        "visitors": 1,
        "repeats": len(runs),
        "steps": {
            n: {"p50": pct(v, 0.5), "p95": pct(v, 0.95), "n": len(v)} for n, v in steps.items()
        },
        "errors": [e for r in runs for e in r["errors"]],
        "cpu_s_per_visitor": statistics.median(r["cpu_s_per_visitor"] for r in runs),
        "peak_mb_per_visitor": statistics.median(r["peak_mb_per_visitor"] for r in runs),
        "plans": [p for r in runs for p in r["plans"]],
        "files": [f for r in runs for f in r["files"]],
    }


def memory_after_walk(server: Server, walk_fn) -> float:
    """Kernel RSS (MB) of one visitor who walked everything and is still on the page."""
    before = {k.pid for k in server.kernels()}
    walk: Walk = walk_fn(server.url, leave=False)
    new = [k for k in server.kernels() if k.pid not in before]
    mb = max(k.memory_info().rss for k in new) / 2**20 if new else float("nan")
    if walk.kernel_id:
        import requests

        requests.post(f"{server.url}voila/api/shutdown/{walk.kernel_id}", timeout=30)
    return mb


def saturation(server: Server, user_class, rates: list[int], window_s: float) -> dict:
    """Visitors per minute, arriving steadily, until p95 first view passes the limit."""
    out = {"rates": {}, "saturated_at_per_min": None, "last_ok_per_min": None}
    for per_min in rates:
        count = max(3, round(per_min * window_s / 60))
        run = run_visitors(server, user_class, count, spawn_rate=per_min / 60)
        p95 = run["steps"].get(FIRST_VIEW, {}).get("p95", float("inf"))
        out["rates"][per_min] = {
            "p95_first_view_s": p95,
            "visitors": count,
            "errors": len(run["errors"]),
            "first_errors": run["errors"][:3],
        }
        if p95 > SATURATION_P95_S or run["errors"]:
            out["saturated_at_per_min"] = per_min
            break
        out["last_ok_per_min"] = per_min
    return out


def preheated_first_view(notebook: str, walk_fn, cores: str, repeats: int) -> list[float]:
    server = start_voila(
        notebook, *PREHEAT, cores=cores, log_name=f"bench-preheat-{Path(notebook).stem}.log"
    )
    try:
        times = []
        for i in range(repeats + 1):
            wait_for_pool(server, 2)
            walk = walk_fn(server.url)
            if i:  # the first one warms the server up
                times.append(walk.timings[FIRST_VIEW])
        return times
    finally:
        server.stop()


def preheated_burst(notebook: str, user_class, count: int, fill_delay: float = 60) -> dict:
    """``count`` visitors at the same moment on a server holding ``count`` preheated kernels
    (2 cores): what a clinic that expects bursts of that size gets with ``pool_size``."""
    server = start_voila(
        notebook,
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={count}",
        # Refill the pool after the burst, not during it: by default Voila starts a new kernel
        # 1 s after each one is taken, and 20 refills compete with the 20 visitors for the CPU.
        f"--VoilaKernelManager.fill_delay={fill_delay}",
        cores="0,1",
        log_name=f"bench-burst-{Path(notebook).stem}.log",
    )
    try:
        wait_for_pool(server, count, timeout=30 + 10 * count)
        wait_quiet(server)  # every pooled notebook has finished running
        pool_mb = sum(server.rss_mb()[1])
        run = run_visitors(server, user_class, count, spawn_rate=1000)
        run["pool_mb"] = pool_mb
        run["pool_size"] = count
        run["fill_delay"] = fill_delay
        return run
    finally:
        server.stop()


def wait_quiet(server: Server, timeout: float = 300) -> None:
    """Until the server and its kernels use under 5% of a core over 2 s."""
    deadline = time.monotonic() + timeout
    before = server.cpu_seconds()
    while time.monotonic() < deadline:
        gevent.sleep(2.0)
        now = server.cpu_seconds()
        if now - before < 0.1:
            return
        before = now


def wait_for_pool(server: Server, size: int, timeout: float = 60) -> None:
    """Spaced-out visitors: wait until the pool holds ``size`` idle, rendered kernels."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(server.kernels()) < size:
        gevent.sleep(0.25)
    gevent.sleep(1.0)  # the pooled notebook finishes running


def save(results: dict, out: Path) -> None:
    """Write what is measured so far: a long run stopped half-way still leaves its figures."""
    out.write_text(json.dumps(results, indent=2, default=str))


def measure(args) -> dict:
    results: dict = {"configs": {}, "levels": args.levels}
    for cores_label, cores in args.cores:
        config: dict = {}
        results["configs"][cores_label] = config
        levels = args.levels if cores_label == "2 cores" else [n for n in args.levels if n <= 20]
        for name, (notebook, user_class, walk_fn) in NOTEBOOKS.items():
            server = start_voila(notebook, cores=cores, log_name=f"bench-{name}-{cores_label}.log")
            try:
                walk_fn(server.url)  # warm up: templates compiled, files in the page cache
                entry: dict = {"levels": {}}
                for n in levels:
                    if n == 1:
                        runs = [run_visitors(server, user_class, 1, 1) for _ in range(args.repeats)]
                        entry["levels"][1] = merge(runs)
                    else:
                        entry["levels"][n] = run_visitors(server, user_class, n, spawn_rate=1000)
                    print(f"  {cores_label:8s} {name:10s} {n:3d} visitors done", flush=True)
                    config[name] = entry
                    save(results, args.out)
                if cores_label == "2 cores":
                    entry["kernel_mb_after_walk"] = memory_after_walk(server, walk_fn)
                    if not args.no_saturation:
                        entry["saturation"] = saturation(
                            server, user_class, args.rates, args.window
                        )
                        print(f"  {cores_label:8s} {name:10s} saturation done", flush=True)
                server_mb, _ = server.rss_mb()
                entry["server_mb"] = server_mb
            finally:
                server.stop()
            config[name] = entry
            save(results, args.out)
    if not args.no_preheat:
        results["preheat_burst"] = {
            name: preheated_burst(nb, user_class, args.burst)
            for name, (nb, user_class, _fn) in NOTEBOOKS.items()
        }
        save(results, args.out)
        results["preheat"] = {
            name: preheated_first_view(nb, fn, args.cores[0][1], args.repeats)
            for name, (nb, _u, fn) in NOTEBOOKS.items()
        }
    return results


# -- printing -------------------------------------------------------------------------------
NAN = float("nan")


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or a != a or b != b or not b:
        return "-"
    return f"{a / b:.2f}x"


def p(step: dict, key: str) -> float:
    return step.get(key, NAN)


def table(results: dict) -> str:
    lines = []
    for cores_label, config in results["configs"].items():
        triv, dash = config["trivial"], config["dashboard"]
        lines.append(f"\n== server pinned to {cores_label} (dashboard, ratio to trivial) ==")
        lines.append(
            "at once | first view p50 / p95 s  | ratio p50 p95 | page p95 | errors d/t"
            " | CPU s/visitor  | MB/visitor"
        )
        for n, d in dash["levels"].items():
            t = triv["levels"].get(n)
            if t is None:
                continue
            dfv, tfv = d["steps"].get(FIRST_VIEW, {}), t["steps"].get(FIRST_VIEW, {})
            dpg, tpg = d["steps"].get(PAGE, {}), t["steps"].get(PAGE, {})
            cpu, tcpu = d["cpu_s_per_visitor"], t["cpu_s_per_visitor"]
            mem, tmem = d["peak_mb_per_visitor"], t["peak_mb_per_visitor"]
            lines.append(
                f"{n:>7} | {p(dfv, 'p50'):5.2f} / {p(dfv, 'p95'):5.2f}"
                f" ({p(tfv, 'p50'):4.2f}/{p(tfv, 'p95'):4.2f})"
                f" | {ratio(p(dfv, 'p50'), p(tfv, 'p50')):>6s}"
                f" {ratio(p(dfv, 'p95'), p(tfv, 'p95')):>6s}"
                f" | {ratio(p(dpg, 'p95'), p(tpg, 'p95')):>8s}"
                f" | {len(d['errors']):>4d}/{len(t['errors']):<5d}"
                f" | {cpu:5.2f} ({ratio(cpu, tcpu):>6s})"
                f" | {mem:4.0f} ({ratio(mem, tmem)})"
            )
        lines.append("per step, p50/p95 s (p95 as a ratio to the trivial button press):")
        button = {n: t["steps"].get("press the button", {}) for n, t in triv["levels"].items()}
        first = next(iter(dash["levels"].values()))["steps"]
        for step in [s for s in first if s not in (FIRST_VIEW, PAGE)]:
            cells = []
            for n, d in dash["levels"].items():
                st, b = d["steps"].get(step, {}), button.get(n, {})
                cells.append(
                    f"{n}: {p(st, 'p50'):.2f}/{p(st, 'p95'):.2f} "
                    f"({ratio(p(st, 'p95'), p(b, 'p95'))})"
                )
            lines.append(f"  {step:24s} " + "  ".join(cells))
        if "kernel_mb_after_walk" in dash:
            dk, tk = dash["kernel_mb_after_walk"], triv["kernel_mb_after_walk"]
            lines.append(
                f"kernel after a full walk with all three files: dashboard {dk:.0f} MB, "
                f"trivial {tk:.0f} MB ({ratio(dk, tk)}); server {dash['server_mb']:.0f} MB"
            )
        for name in ("trivial", "dashboard"):
            sat = config[name].get("saturation")
            if sat:
                rates = ", ".join(
                    f"{r}/min: p95 {v['p95_first_view_s']:.2f} s, {v['errors']} errors"
                    for r, v in sat["rates"].items()
                )
                lines.append(
                    f"saturation ({name}): p95 first view > {SATURATION_P95_S:.0f} s at "
                    f"{sat['saturated_at_per_min'] or 'none of the rates tried'}"
                    f" visitors/min, fine at {sat['last_ok_per_min']}/min  [{rates}]"
                )
    if "preheat_burst" in results:
        b = results["preheat_burst"]
        t, d = (b[n]["steps"].get(FIRST_VIEW, {}) for n in ("trivial", "dashboard"))
        lines.append(
            f"\n{b['dashboard']['visitors']} visitors at once on {b['dashboard']['pool_size']} "
            f"preheated kernels (2 cores): first view p50/p95 dashboard "
            f"{p(d, 'p50'):.2f}/{p(d, 'p95'):.2f} s, trivial {p(t, 'p50'):.2f}/{p(t, 'p95'):.2f} s "
            f"(p95 {ratio(p(d, 'p95'), p(t, 'p95'))}); errors {len(b['dashboard']['errors'])}/"
            f"{len(b['trivial']['errors'])}; the pool holds {b['dashboard']['pool_mb']:.0f} MB "
            f"(trivial {b['trivial']['pool_mb']:.0f} MB)"
        )
    if "preheat" in results:
        t, d = (statistics.median(results["preheat"][n]) for n in ("trivial", "dashboard"))
        lines.append(
            f"\npreheated kernels (pool of 2, spaced-out visitors): first view trivial {t:.2f} s, "
            f"dashboard {d:.2f} s, ratio {ratio(d, t)}"
        )
    return "\n".join(lines)


def smoke(count: int) -> dict:
    """``count`` protocol visitors at once against the dashboard: correctness only."""
    server = start_voila("app/dashboard.ipynb", log_name="bench-smoke.log")
    try:
        run = run_visitors(server, ConsultVisitor, count, spawn_rate=1000)
    finally:
        server.stop()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", type=int, metavar="N", help="N visitors, correctness only")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 20, 50])
    parser.add_argument("--repeats", type=int, default=5, help="single visitors, one after another")
    parser.add_argument("--rates", type=int, nargs="+", default=[3, 6, 10, 15, 20, 30, 45, 60, 90])
    parser.add_argument("--window", type=float, default=40, help="seconds of arrivals per rate")
    parser.add_argument("--burst", type=int, default=20, help="visitors at once, preheated")
    parser.add_argument(
        "--only",
        choices=["saturation", "burst"],
        help="measure only this part and add it to the --out file of an earlier run",
    )
    parser.add_argument("--one-core-only", action="store_true")
    parser.add_argument("--no-saturation", action="store_true")
    parser.add_argument("--no-preheat", action="store_true")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "results" / "capacity.json"
    )
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.smoke:
        run = smoke(args.smoke)
        args.out.write_text(json.dumps(run, indent=2, default=str))
        print(json.dumps({k: run[k] for k in ("visitors", "errors", "steps")}, indent=2))
        return
    args.cores = [("2 cores", "0,1"), ("1 core", "0")]
    if args.one_core_only:
        args.cores = args.cores[1:]
    if args.only == "burst":
        results = json.loads(args.out.read_text())
        results["preheat_burst"] = {
            name: preheated_burst(nb, user_class, args.burst)
            for name, (nb, user_class, _fn) in NOTEBOOKS.items()
        }
        save(results, args.out)
        print(table(results))
        return
    if args.only == "saturation":
        results = json.loads(args.out.read_text())
        for name, (notebook, user_class, walk_fn) in NOTEBOOKS.items():
            server = start_voila(notebook, cores="0,1", log_name=f"bench-saturation-{name}.log")
            try:
                walk_fn(server.url)  # warm up
                sat = saturation(server, user_class, args.rates, args.window)
            finally:
                server.stop()
            results["configs"]["2 cores"][name]["saturation"] = sat
            save(results, args.out)
            print(f"  2 cores  {name:10s} saturation done", flush=True)
        print(table(results))
        return
    started = time.monotonic()
    results = measure(args)
    results["wall_seconds"] = time.monotonic() - started
    save(results, args.out)
    print(table(results))
    print(f"\n(whole run {results['wall_seconds'] / 60:.1f} min; figures in {args.out})")


if __name__ == "__main__":
    main()

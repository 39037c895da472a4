"""Benchmark: wall time and peak memory of planning South Jakarta days through the one door.

Builds synthetic days of the given sizes with the bundled scenario's generator (same
kelurahan, cases, police bases; fleet and stock scaled with the day) and plans each
through ``ktj_logistics.plan(scenario)`` with **default options** (the scenario's own
time limit, 45 s unless ``--time-limit``) — the same call an embedding app makes —
or, with ``--cli``, through ``ktj-route plan`` as a coordinator runs it. Not a test:
nothing is asserted, the figures are for the reader.

Each run is a fresh process. Memory is sampled ten times a second over that process
and every process it starts (the parts of a large day run in worker processes), so
``tree peak`` is the most the whole planning held resident at once (a sum of resident
sizes, which counts pages forked workers share with the planner once per process), its
``PSS`` the physical memory that was in use (shared pages split between their users);
``main peak`` is the planning process alone (its ``ru_maxrss``).

    .venv/bin/python benchmarks/plan_bench.py --sizes 2000 5000 --runs 3
    .venv/bin/python benchmarks/plan_bench.py --sizes 600 --time-limit 30 --cli
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jaksel_generator import load_generator

ROOT = Path(__file__).resolve().parent.parent
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


_generator = load_generator


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc; Linux only)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0.0
    for p in pids:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE_MB
        except (OSError, IndexError, ValueError):
            continue
    return total


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size: a page shared by n processes counts 1/n in each. Forked
    search processes share the parent's road network and matrices copy-on-write, which a
    sum of resident sizes counts once per process."""
    total = 0.0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
                    break
        except (OSError, IndexError, ValueError):
            continue
    return total


class TreePeak:
    """Samples the memory of a process tree in a background thread: the sum of resident
    sizes (``peak``) and of proportional set sizes (``pss_peak``, physical memory used)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self.pss_peak = 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            tree = _tree(self.pid)
            self.peak = max(self.peak, _rss_mb(tree))
            self.pss_peak = max(self.pss_peak, _pss_mb(tree))
            self._stop.wait(0.1)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(path: Path, time_limit_s: float | None) -> dict[str, Any]:
    """One ``ktj_logistics.plan`` in this process, default options unless a time limit."""
    import ktj_logistics as ktj

    t0 = time.perf_counter()
    scenario = ktj.load(path).scenario
    load_s = time.perf_counter() - t0
    options = ktj.PlanOptions(time_limit_s=time_limit_s) if time_limit_s else None
    with TreePeak(os.getpid()) as peak:
        t0 = time.perf_counter()
        result = ktj.plan(scenario, options)
        plan_s = time.perf_counter() - t0
    t = result.plan.totals
    return {
        "households": t.households,
        "vehicles": len(scenario.vehicles),
        "method": result.method,
        "parts": len(result.parts),
        "time_limit_s": result.plan.solver.time_limit_s,
        "load_s": round(load_s, 2),
        "wall_s": round(plan_s, 2),
        "timings": {k: round(v, 2) for k, v in result.timings.items()},
        "served": t.served,
        "unserved_by_reason": t.unserved_by_reason,
        "route_hours": round(t.duration_s / 3600, 1),
        "km": round(t.distance_m / 1000, 1),
        "main_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "tree_peak_mb": round(peak.peak, 1),
        "tree_pss_peak_mb": round(peak.pss_peak, 1),
    }


def measure_cli(path: Path, time_limit_s: float | None) -> dict[str, Any]:
    """``ktj-route plan`` as a subprocess: wall time to the written outputs."""
    exe = Path(sys.executable).parent / "ktj-route"
    with tempfile.TemporaryDirectory(prefix="ktj-bench-out-") as out:
        cmd = [str(exe), "plan", str(path), "--out", out, "--quiet"]
        if time_limit_s:
            cmd += ["--time-limit", str(time_limit_s)]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        with TreePeak(proc.pid) as peak:
            _, err = proc.communicate()
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"ktj-route plan failed:\n{err[-2000:]}")
        plan = json.loads((Path(out) / "plan.json").read_text())
    return {
        "households": plan["totals"]["households"],
        "method": plan["solver"]["method"],
        "time_limit_s": plan["solver"]["time_limit_s"],
        "wall_s": round(wall, 2),
        "served": plan["totals"]["served"],
        "route_hours": round(plan["totals"]["duration_s"] / 3600, 1),
        "main_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "tree_peak_mb": round(peak.peak, 1),
        "tree_pss_peak_mb": round(peak.pss_peak, 1),
    }


def _child(args: argparse.Namespace) -> None:
    gen = _generator()
    with tempfile.TemporaryDirectory(prefix="ktj-bench-") as tmp:
        path = gen.write_day(Path(tmp), args.child, args.seed)
        run = measure_cli if args.cli else measure
        print(json.dumps(run(path, args.time_limit)))


def _spawn(n: int, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(n), "--seed", str(seed)]
    if args.time_limit:
        cmd += ["--time-limit", str(args.time_limit)]
    if args.cli:
        cmd.append("--cli")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"run of {n} households failed:\n{proc.stderr.strip()[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="planning benchmark on South Jakarta days")
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    ap.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ap.add_argument(
        "--time-limit", type=float, default=None, help="search seconds (default: the day's)"
    )
    ap.add_argument("--cli", action="store_true", help="run ktj-route plan instead of the API")
    ap.add_argument("--seed", type=int, default=20210630)
    ap.add_argument("--json", action="store_true", help="print one JSON line per run")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        _child(args)
        return
    how = "ktj-route plan" if args.cli else "ktj_logistics.plan (default options)"
    print(f"{how}; {args.runs} run(s) per size")
    for n in args.sizes:
        runs = [_spawn(n, args.seed + i, args) for i in range(args.runs)]
        if args.json:
            for r in runs:
                print(json.dumps(r))
        med = sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2]
        print(
            f"{n:>6} households: {med['method']}, time limit {med['time_limit_s']:g} s; "
            f"wall {statistics.median(r['wall_s'] for r in runs):.1f} s (median), "
            f"main peak {max(r['main_peak_mb'] for r in runs):.0f} MB, "
            f"tree peak {max(r['tree_peak_mb'] for r in runs):.0f} MB "
            f"(PSS {max(r['tree_pss_peak_mb'] for r in runs):.0f} MB); "
            f"served {[r['served'] for r in runs]}, route-h {[r['route_hours'] for r in runs]}"
        )
        if "timings" in med:
            print(f"        stages {med['timings']}, unserved {med['unserved_by_reason']}")


if __name__ == "__main__":
    main()

"""Benchmark: wall time and peak memory of plan + verify on South Jakarta days.

Builds synthetic days of 500 and 2,000 households with the bundled scenario's generator
(same kelurahan, cases, police bases; fleet and stock scaled with the day), plans and
verifies each through the public API (``ktj_logistics.run``) and prints figures. Not a
test: nothing is asserted, the numbers are for the reader (the issue's target is 2,000
households in <= 60 s wall and <= 2 GB).

Each run happens in a fresh subprocess, so the peak memory is that process's maximum
resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``: the whole process,
interpreter, OR-Tools and the generated day included).

    .venv/bin/python benchmarks/plan_bench.py                      # 500 and 2,000, 1 run each
    .venv/bin/python benchmarks/plan_bench.py --sizes 500 --runs 3 --time-limit 20

Until the built-in settlement-type plugins are installed, pass a plugin file that
declares ``dense_settlement``, ``apartment`` and ``luxury_housing`` with
``--plugins-dir``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scenarios" / "jakarta-selatan" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("jaksel_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


PART_SIZE = 250
"""As the CLI's default ``--part-size``."""


def measure(n: int, seed: int, time_limit_s: float, plugins: list[Path]) -> dict[str, Any]:
    """One run in this process: generate, load, plan + verify; stage times re-measured."""
    from ktj_logistics._cost.travel import travel_for

    import ktj_logistics as ktj
    from ktj_logistics._load.loader import load
    from ktj_logistics._problem import build_problem

    gen = _generator()
    with tempfile.TemporaryDirectory(prefix="ktj-bench-") as tmp:
        path = gen.write_day(Path(tmp), n, seed, time_limit_s)
        t0 = time.perf_counter()
        scenario = load(path, plugins).scenario
        load_s = time.perf_counter() - t0

    solutions: list[tuple[float, int]] = []

    def progress(objective: int, served: int, elapsed: float) -> None:
        solutions.append((elapsed, served))

    t0 = time.perf_counter()
    if n > 2 * PART_SIZE:  # as `ktj-route plan` does: a large day is planned by parts
        from ktj_logistics._parts.plan_by_parts import ScaleOptions, plan_large

        scaled = plan_large(
            scenario, options=ScaleOptions(part_size=PART_SIZE), plugins_dirs=plugins
        )
        plan, shaped, n_jobs = scaled.plan, scaled.shaped, None
    else:
        result = ktj.run(scenario, plugins_dirs=plugins, progress=progress)
        plan, shaped, n_jobs = result.plan, result.shaped, len(result.problem.assigned)
    run_s = time.perf_counter() - t0

    # Stage costs, measured again on the same inputs (the run itself is one call).
    travel = travel_for(scenario.settings.coordinates, scenario.settings.detour_factor)
    t0 = time.perf_counter()
    build_problem(scenario, shaped, travel) if n_jobs is not None else None
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    violations = ktj.verify_plan(scenario, plan, shaped, travel)
    verify_s = time.perf_counter() - t0

    totals = plan.totals
    solver = plan.solver
    first = solutions[0][0] if solutions else None
    return {
        "households": n,
        "vehicles": len(scenario.vehicles),
        "mode": "monolithic" if n_jobs is not None else f"parts of ~{PART_SIZE}",
        "load_s": round(load_s, 2),
        "run_s": round(run_s, 2),
        "build_problem_s": round(build_s, 2),
        "solve_s": round(solver.wall_s, 2),
        "first_solution_s": round(first, 2) if first is not None else None,
        "solutions": len(solutions),
        "solver_status": solver.status,
        "verify_s": round(verify_s, 2),
        "violations": len(violations),
        "served": totals.served,
        "unserved": totals.unserved,
        "unserved_by_reason": totals.unserved_by_reason,
        # The largest process: this one, or a worker that planned a part.
        "max_rss_mb": round(
            max(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            )
            / 1024,
            1,
        ),
    }


def _child(args: argparse.Namespace) -> None:
    out = measure(args.child, args.seed, args.time_limit, args.plugins_dir)
    print(json.dumps(out))


def _spawn(n: int, seed: int, time_limit_s: float, plugins: list[Path]) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(n), "--seed", str(seed)]
    cmd += ["--time-limit", str(time_limit_s)]
    for p in plugins:
        cmd += ["--plugins-dir", str(p)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"run of {n} households failed:\n{proc.stderr.strip()[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = round(time.perf_counter() - t0, 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="plan + verify benchmark on South Jakarta days")
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    ap.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ap.add_argument("--time-limit", type=float, default=45.0, help="solver time limit, s")
    ap.add_argument("--seed", type=int, default=20210630)
    ap.add_argument("--plugins-dir", type=Path, action="append", default=[])
    ap.add_argument("--json", action="store_true", help="print one JSON line per run")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        _child(args)
        return
    print(f"plan + verify, solver time limit {args.time_limit:g} s, {args.runs} run(s) per size")
    for n in args.sizes:
        runs = [
            _spawn(n, args.seed + i, args.time_limit, args.plugins_dir) for i in range(args.runs)
        ]
        if args.json:
            for r in runs:
                print(json.dumps(r))
        med = sorted(runs, key=lambda r: r["run_s"])[(len(runs) - 1) // 2]
        wall = statistics.median(r["run_s"] for r in runs)
        rss = max(r["max_rss_mb"] for r in runs)
        first = [r["first_solution_s"] for r in runs]
        print(
            f"{n:>6} households, {med['vehicles']} vehicles, planned {med['mode']}\n"
            f"        plan+verify {wall:.1f} s wall (median of {len(runs)}),"
            f" peak RSS {rss:.0f} MB\n"
            f"        build {med['build_problem_s']} s, solve {med['solve_s']} s"
            f" (first solution at {first} s, {med['solutions']} solution(s),"
            f" {med['solver_status']}), verify {med['verify_s']} s\n"
            f"        served {[r['served'] for r in runs]} of {n};"
            f" unserved {med['unserved_by_reason']}; violations {med['violations']}"
        )


if __name__ == "__main__":
    main()

"""Compare settings of the search A/B, interleaved, on the same instances in one run.

Usage::

    python benchmarks/ab_search.py DIR [DIR ...] --variants base,routes4 [--time-limit 10]
        [--repeat 3] [--only NAME ...]

On a machine shared with other work, absolute gaps move by points between runs; two
variants measured in separate runs cannot be compared. Here every instance is solved
by each variant in turn (A, B, A, B, ... for ``--repeat`` rounds), so both see the same
load, and the report gives each variant's median per instance and mean per folder.

A variant is a set of the search's module-level settings (``VARIANTS`` below). This is
an experiment harness: it sets private constants of ``ktj_logistics._solve`` before a
run (the portfolio's worker is forked, so it inherits them). The project's own settings
are the ``base`` variant.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from jakarta_bench import day  # noqa: E402
from vrplib_bench import Outcome, read_instance, solve_instance  # noqa: E402

from ktj_logistics import PlanOptions, plan  # noqa: E402
from ktj_logistics._solve import improve, portfolio  # noqa: E402

Setting = tuple[Any, str, Any]  # (module, attribute, value)


def _shape(lo: int, hi: int, routes: int) -> list[Setting]:
    return [(improve, "PART_SHAPE", improve.PartShape(lo, hi, routes))]


def _parts(**kw: Any) -> list[Setting]:
    return [(improve, "ONE_TRIP_PARTS", replace(improve.ONE_TRIP_PARTS, **kw))]


def _reload(**kw: Any) -> list[Setting]:
    return [(improve, "RELOAD_PARTS", replace(improve.RELOAD_PARTS, **kw))]


VARIANTS: dict[str, Callable[[], list[Setting]]] = {
    "base": lambda: [],
    "plain": lambda: [],  # OR-Tools' own search (engine ortools-plain)
    "routes4": lambda: _shape(30, 80, 4),
    "routes3": lambda: _shape(30, 60, 3),
    "centroid": lambda: [(improve, "PICK", "centroid")],
    "routes4c": lambda: [*_shape(30, 80, 4), (improve, "PICK", "centroid")],
    # reload days
    "session3": lambda: [*_reload(trips=0.0), (improve, "PARTS_GLOBAL_SPAN", True)],
    "notrips": lambda: _reload(trips=0.0),
    "trips100": lambda: _reload(trips=1.0),
    "first-span": lambda: [(portfolio, "FIRST_GLOBAL_SPAN", True)],
    "rils": lambda: _reload(
        metaheuristic="ITERATED_LOCAL_SEARCH", first_solution="PARALLEL_CHEAPEST_INSERTION"
    ),
    "rtabu": lambda: _reload(metaheuristic="TABU_SEARCH"),
    "rslow": lambda: _reload(seconds_per_job=0.02, min_s=0.5),
    "rfast": lambda: _reload(seconds_per_job=0.005, min_s=0.15),
    "first40": lambda: [(portfolio, "FIRST_SHARE", 0.4)],
    "first10": lambda: [(portfolio, "FIRST_SHARE", 0.1)],
    "rsize50": lambda: _shape(50, 50, 2),
    "polish": lambda: _parts(polish="GREEDY_DESCENT"),
    "polish-r3": lambda: [*_parts(polish="GREEDY_DESCENT"), *_shape(30, 60, 3)],
    "polish-r4": lambda: [*_parts(polish="GREEDY_DESCENT"), *_shape(30, 80, 4)],
}


def apply(name: str) -> list[tuple[Any, str, Any]]:
    """Set ``name``'s settings; returns what to restore."""
    undo = []
    for module, attr, value in VARIANTS[name]():
        undo.append((module, attr, getattr(module, attr)))
        setattr(module, attr, value)
    return undo


def run_day(households: int, name: str, limit: float) -> tuple[float, float, int]:
    """(route hours, km, households served) of the seeded Jakarta day."""
    undo = apply(name)
    try:
        engine = "ortools-plain" if name == "plain" else "ortools"
        t = plan(day(households, 1, limit), PlanOptions(time_limit_s=limit, engine=engine))
        totals = t.plan.totals
        return totals.duration_s / 3600, totals.distance_m / 1000, totals.served
    finally:
        for module, attr, value in reversed(undo):
            setattr(module, attr, value)


def jakarta(sizes: list[int], names: list[str], limit: float, repeat: int) -> None:
    print(f"load at start: {os.getloadavg()[0]:.2f}", flush=True)
    hours: dict[tuple[int, str], list[float]] = {}
    for n in sizes:
        for r in range(repeat):
            for name in names if r % 2 == 0 else names[::-1]:
                t0 = time.monotonic()
                h, km, served = run_day(n, name, limit)
                hours.setdefault((n, name), []).append(h)
                print(
                    f"  jaksel-{n} {name:<14} {h:8.2f} h {km:8.1f} km {served} served"
                    f" {time.monotonic() - t0:5.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
    print(f"load at end: {os.getloadavg()[0]:.2f}")
    print(f"{'day':<14}" + "".join(f"{n:>14}" for n in names))
    for n in sizes:
        cells = "".join(f"{statistics.median(hours[(n, name)]):>14.2f}" for name in names)
        print(f"{'jaksel-' + str(n):<14}{cells}")


def run(path: Path, name: str, limit: float) -> Outcome:
    undo = apply(name)
    try:
        return solve_instance(read_instance(path, limit), limit, plain=name == "plain")
    finally:
        for module, attr, value in reversed(undo):
            setattr(module, attr, value)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", type=Path, nargs="*")
    ap.add_argument("--jakarta", type=int, nargs="*", help="households of Jakarta days")
    ap.add_argument("--variants", required=True, help="comma-separated: " + ",".join(VARIANTS))
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", nargs="*", help="instance names to keep")
    args = ap.parse_args(argv)
    names = args.variants.split(",")
    for n in names:
        if n not in VARIANTS:
            ap.error(f"unknown variant {n}")
    if args.jakarta:
        jakarta(args.jakarta, names, args.time_limit, args.repeat)
        return 0
    print(f"load at start: {os.getloadavg()[0]:.2f}", flush=True)
    table: dict[tuple[str, str], dict[str, list[float]]] = {}
    folder_of: dict[str, str] = {}
    for d in args.dirs:
        for f in sorted(d.glob("*.vrp")):
            if args.only and f.stem not in args.only:
                continue
            folder_of[f.stem] = d.name
            for r in range(args.repeat):
                order = names if r % 2 == 0 else names[::-1]
                for n in order:
                    o = run(f, n, args.time_limit)
                    gap = o.gap_pct if o.feasible and o.gap_pct is not None else float("nan")
                    table.setdefault((f.stem, n), {}).setdefault("gap", []).append(gap)
                    print(f"  {f.stem:<12} {n:<14} {gap:6.2f}", file=sys.stderr, flush=True)
    print(f"load at end: {os.getloadavg()[0]:.2f}")
    head = f"{'instance':<14}" + "".join(f"{n:>14}" for n in names)
    print(head)
    sums: dict[tuple[str, str], list[float]] = {}
    for inst, folder in folder_of.items():
        line = f"{inst:<14}"
        for n in names:
            med = statistics.median(table[(inst, n)]["gap"])
            sums.setdefault((folder, n), []).append(med)
            line += f"{med:>14.2f}"
        print(line)
    for folder in dict.fromkeys(folder_of.values()):
        line = f"{'mean ' + folder:<14}"
        for n in names:
            vals = sums[(folder, n)]
            line += f"{sum(vals) / len(vals):>14.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

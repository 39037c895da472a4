"""Measure ktj-route's search on public VRP instances (CVRPLIB "X" CVRP, Solomon VRPTW).

Usage::

    python benchmarks/vrplib_bench.py DIR --time-limit SECONDS [--csv FILE]
        [--solutions SOLDIR] [--plain] [--repeat N] [--engine ortools|ortools+pyvrp]

Every ``*.vrp`` in DIR is read with ``vrplib``, its best-known cost from the ``.sol``
beside it, turned into the project's own ``Scenario`` and planned by the same pipeline
as ``ktj-route plan`` (shape → cost → solve → verify). Costs follow the instance's
convention: X = nearest-integer Euclidean; Solomon = DIMACS, distance *and* travel time
truncated to one decimal, held ×10 as integers (so one instance time unit is 10 s of
the planning day and the ×10 integers stay exact).

``--plain`` also solves every instance with plain OR-Tools (path-cheapest-arc + guided
local search, same time limit, same pipeline), so each report carries the baseline
measured in the same run; its rows go to ``FILE`` with ``-plain`` before the suffix.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time as clock
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import numpy as np
import vrplib

from ktj_logistics import (
    Base,
    Household,
    ItemKind,
    KtjError,
    Location,
    Plan,
    PlanOptions,
    Scenario,
    Settings,
    SupplySource,
    TimeWindow,
    Vehicle,
    plan,
)
from ktj_logistics._cost import PlanarTravel

CSV_COLUMNS = ["instance", "n", "cost", "bks", "gap_pct", "wall_s", "vehicles", "feasible"]
SOLOMON_FLEET = 25
"""Solomon's fleet limit (the files say ``VEHICLES : 25``)."""


@dataclass(frozen=True)
class Instance:
    name: str
    scenario: Scenario
    travel: PlanarTravel
    scale: int  # integer cost units per instance cost unit (10 for Solomon)
    bks: float
    n: int


@dataclass(frozen=True)
class Outcome:
    instance: str
    n: int
    cost: float | None
    bks: float
    wall_s: float
    vehicles: int
    feasible: bool
    routes: list[list[int]]
    note: str = ""

    @property
    def gap_pct(self) -> float | None:
        return None if self.cost is None else 100.0 * (self.cost - self.bks) / self.bks

    def row(self) -> dict[str, Any]:
        gap = self.gap_pct
        return {
            "instance": self.instance,
            "n": self.n,
            "cost": "" if self.cost is None else _fmt_cost(self.cost),
            "bks": _fmt_cost(self.bks),
            "gap_pct": "" if gap is None else f"{gap:.2f}",
            "wall_s": f"{self.wall_s:.1f}",
            "vehicles": self.vehicles,
            "feasible": str(self.feasible).lower(),
        }


def _fmt_cost(c: float) -> str:
    return str(int(c)) if float(c).is_integer() else f"{c:.1f}"


def _clock(seconds: int) -> time:
    """Seconds of the planning day as a ``time`` (seconds kept, unlike ``HH:MM`` text)."""
    seconds = min(seconds, 86_399)
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _window(start_s: int, end_s: int) -> TimeWindow:
    return TimeWindow(start=_clock(start_s), end=_clock(end_s))


def read_instance(path: Path, time_limit_s: float) -> Instance:
    """A ``.vrp`` file (and its ``.sol``) as a project scenario with its travel model."""
    data = vrplib.read_instance(str(path))
    sol = vrplib.read_solution(str(path.with_suffix(".sol")))
    coords = np.asarray(data["node_coord"], dtype=np.float64)
    demand = [int(d) for d in data["demand"]]
    capacity = int(data["capacity"])
    depot = int(np.atleast_1d(data["depot"])[0])
    solomon = "time_window" in data
    scale = 10 if solomon else 1
    customers = [i for i in range(len(coords)) if i != depot]

    def loc(i: int) -> Location:
        return Location(lat=float(coords[i][1]), lon=float(coords[i][0]))

    if solomon:
        tw = np.asarray(data["time_window"], dtype=np.int64) * scale
        service = data["service_time"]
        service_s = int(np.max(np.atleast_1d(service))) * scale
        horizon = _window(int(tw[depot][0]), int(tw[depot][1]))
        fleet = int(data.get("vehicles", SOLOMON_FLEET))
    else:
        tw = None
        service_s = 0
        horizon = _window(0, 86_399)
        # Unlimited fleet: the minimum number of routes plus room for the BKS's extra ones.
        k_min = math.ceil(sum(demand) / capacity)
        fleet = k_min + max(3, math.ceil(0.1 * k_min))
    households = [
        Household(
            id=str(i),
            location=loc(i),
            packages_needed=demand[i],
            time_windows=[_window(int(tw[i][0]), int(tw[i][1]))] if tw is not None else [],
        )
        for i in customers
    ]
    scenario = Scenario(
        name=path.stem,
        settings=Settings(
            planning_date=date(2021, 7, 1),
            time_limit_s=time_limit_s,
            coordinates="planar",
            service_minutes=service_s / 60.0,
            # One gram per package: the weight dimension never binds, as in the instance.
            items={"standard": ItemKind(weight_kg=0.001)},
        ),
        sources=[
            SupplySource(
                id="depot",
                location=loc(depot),
                stock={"standard": sum(demand)},
                opening_hours=horizon,
                loading_minutes=0,
            )
        ],
        bases=[Base(id="depot", location=loc(depot))],
        vehicles=[
            Vehicle(
                id=f"v{k + 1}",
                kind="car",
                base="depot",
                capacity_packages=capacity,
                capacity_kg=20_000,
                shift=horizon,
                max_trips=1,
            )
            for k in range(fleet)
        ],
        households=households,
    )
    travel = PlanarTravel("trunc1" if solomon else "nint")
    return Instance(path.stem, scenario, travel, scale, float(sol["cost"]), len(customers))


ENGINE = "ortools"
"""The engine of the project's runs (``--engine``)."""


def solve_instance(inst: Instance, time_limit_s: float, plain: bool) -> Outcome:
    """One run through the public entry point (``plain``: OR-Tools' own search alone)."""
    options = PlanOptions(
        time_limit_s=time_limit_s,
        travel=inst.travel,
        engine="ortools-plain" if plain else ENGINE,  # type: ignore[arg-type]
    )
    t0 = clock.monotonic()
    try:
        result = plan(inst.scenario, options)
    except KtjError as exc:  # no plan, or a plan the verifier rejected
        return Outcome(
            inst.name, inst.n, None, inst.bks, clock.monotonic() - t0, 0, False, [], str(exc)
        )
    wall = clock.monotonic() - t0
    found = result.plan
    routes = _routes(found)
    all_served = found.totals.unserved == 0
    return Outcome(
        instance=inst.name,
        n=inst.n,
        cost=found.totals.distance_m / inst.scale,
        bks=inst.bks,
        wall_s=wall,
        vehicles=len(routes),
        feasible=all_served,
        routes=routes,
        note="" if all_served else f"{found.totals.unserved} customers unserved",
    )


def median_run(inst: Instance, time_limit_s: float, plain: bool, repeat: int) -> Outcome:
    """The median of ``repeat`` runs by cost (an infeasible run counts as the worst)."""
    runs = [solve_instance(inst, time_limit_s, plain) for _ in range(max(1, repeat))]
    runs.sort(key=lambda o: (not o.feasible, o.cost if o.cost is not None else float("inf")))
    return runs[(len(runs) - 1) // 2]


def _routes(found: Plan) -> list[list[int]]:
    """Customer numbers (CVRPLIB numbering: depot 0) of each non-empty route."""
    out = []
    for r in found.routes:
        seq = [int(h) for s in r.stops for h in s.household_ids]
        if seq:
            out.append(seq)
    return out


def write_solution(path: Path, outcome: Outcome) -> None:
    lines = [
        f"Route #{k}: {' '.join(str(c) for c in route)}"
        for k, route in enumerate(outcome.routes, 1)
    ]
    cost = outcome.cost if outcome.cost is not None else float("nan")
    lines.append(f"Cost {_fmt_cost(cost)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(path: Path, outcomes: list[Outcome]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for o in outcomes:
            w.writerow(o.row())


def _mean_gap(outcomes: list[Outcome]) -> str:
    gaps = [o.gap_pct for o in outcomes if o.gap_pct is not None and o.feasible]
    if len(gaps) < len(outcomes):
        return f"{sum(gaps) / len(gaps):.2f} (over {len(gaps)} feasible)" if gaps else "-"
    return f"{sum(gaps) / len(gaps):.2f}"


def print_table(ours: list[Outcome], plain: list[Outcome]) -> None:
    head = f"{'instance':<12}{'n':>5}{'bks':>10}{'cost':>10}{'gap%':>7}{'veh':>5}{'wall':>6} ok"
    if plain:
        head += f" | {'plain':>9}{'gap%':>7}{'veh':>5} ok"
    print(head)
    print("-" * len(head))
    for k, o in enumerate(ours):
        r = o.row()
        line = (
            f"{o.instance:<12}{o.n:>5}{r['bks']:>10}{r['cost'] or '-':>10}"
            f"{r['gap_pct'] or '-':>7}{o.vehicles:>5}{o.wall_s:>6.1f} {'y' if o.feasible else 'N'}"
        )
        if plain:
            p = plain[k].row()
            line += (
                f" | {p['cost'] or '-':>9}{p['gap_pct'] or '-':>7}{plain[k].vehicles:>5}"
                f" {'y' if plain[k].feasible else 'N'}"
            )
        print(line + (f"  ({o.note})" if o.note else ""))
    print("-" * len(head))
    summary = f"mean gap: {_mean_gap(ours)} %  feasible {sum(o.feasible for o in ours)}/{len(ours)}"
    if plain:
        summary += (
            f" | plain: {_mean_gap(plain)} %  feasible {sum(o.feasible for o in plain)}/"
            f"{len(plain)}"
        )
    print(summary)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    ap.add_argument("--csv", type=Path)
    ap.add_argument("--solutions", type=Path, help="folder for VRPLIB .sol files")
    ap.add_argument("--plain", action="store_true", help="also run plain OR-Tools (baseline)")
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs per instance; the median run is reported"
    )
    ap.add_argument(
        "--engine",
        default="ortools",
        choices=["ortools", "ortools+pyvrp"],
        help="engine of the project's runs (ortools+pyvrp races PyVRP on one-trip days)",
    )
    args = ap.parse_args(argv)
    global ENGINE
    ENGINE = args.engine
    files = sorted(args.dir.glob("*.vrp"))
    if not files:
        print(f"no .vrp files in {args.dir}", file=sys.stderr)
        return 2
    ours: list[Outcome] = []
    plain: list[Outcome] = []
    for f in files:
        inst = read_instance(f, args.time_limit)
        ours.append(median_run(inst, args.time_limit, False, args.repeat))
        if args.plain:
            plain.append(median_run(inst, args.time_limit, True, args.repeat))
        if args.solutions:
            args.solutions.mkdir(parents=True, exist_ok=True)
            write_solution(args.solutions / f"{inst.name}.sol", ours[-1])
            if args.plain:
                (args.solutions / "plain").mkdir(exist_ok=True)
                write_solution(args.solutions / "plain" / f"{inst.name}.sol", plain[-1])
        print(f"  {inst.name}: {ours[-1].row()['cost'] or 'no plan'}", file=sys.stderr, flush=True)
    print_table(ours, plain)
    if args.csv:
        write_csv(args.csv, ours)
        if args.plain:
            write_csv(args.csv.with_name(f"{args.csv.stem}-plain{args.csv.suffix}"), plain)
    return 0 if all(o.feasible for o in ours) else 1


if __name__ == "__main__":
    sys.exit(main())

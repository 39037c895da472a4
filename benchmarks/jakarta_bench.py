"""A realistic yardstick: a clustered South Jakarta day with motorbikes and cars.

Usage::

    python benchmarks/jakarta_bench.py [--households N] [--time-limit S]
        [--reference-limit S] [--seed K]

Households are drawn (seeded) around kelurahan centres of Jakarta Selatan, as isolating
households cluster in RTs; the fleet mixes motorbikes (4 packages, reloads allowed) and
cars (12 packages) based at the Polres, where the stock is. Each day is planned three
ways through the same pipeline as ``ktj-route plan``: plain OR-Tools (path-cheapest-arc +
guided local search), the project's search, and the project's search with a long time
limit as the reference (and, with ``--long-limit``, once more with a longer one, to say
how far the reference is from what more search finds). The figures: households served,
total route time and distance, the route time's gap to the reference, the longest
route and the wall time.
"""

from __future__ import annotations

import argparse
import sys
import time as clock
from datetime import date, time

import numpy as np

from ktj_logistics import (
    Base,
    Household,
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

POLRES = Location(lat=-6.253334, lon=106.798257)  # Polres Metro Jakarta Selatan
KELURAHAN = {  # approximate centres
    "Pela Mampang": (-6.2480, 106.8180),
    "Kebayoran Lama Utara": (-6.2390, 106.7770),
    "Cipete Utara": (-6.2650, 106.8010),
    "Pasar Minggu": (-6.2830, 106.8420),
    "Tebet Barat": (-6.2310, 106.8470),
    "Jagakarsa": (-6.3330, 106.8230),
    "Cilandak Barat": (-6.2870, 106.7950),
    "Pesanggrahan": (-6.2540, 106.7560),
}


def day(n: int, seed: int, time_limit_s: float) -> Scenario:
    rng = np.random.default_rng(seed)
    names = list(KELURAHAN)
    households = []
    for i in range(n):
        kel = names[int(rng.integers(len(names)))]
        lat, lon = KELURAHAN[kel]
        # RT clusters: a few hundred metres around the kelurahan centre.
        dlat, dlon = rng.normal(0.0, 0.006, size=2)
        households.append(
            Household(
                id=f"H{i:04d}",
                location=Location(lat=lat + float(dlat), lon=lon + float(dlon)),
                kelurahan=kel,
                members=int(rng.integers(1, 7)),
                packages_needed=1 if rng.random() < 0.85 else 2,
                elderly=bool(rng.random() < 0.2),
            )
        )
    packages = sum(h.packages_needed for h in households)
    bikes = max(4, n // 25)
    cars = max(2, n // 60)
    shift = TimeWindow(start=time(8, 0), end=time(16, 0))
    vehicles = [
        Vehicle(
            id=f"m{k:02d}",
            kind="motorbike",
            base="polres",
            capacity_packages=4,
            capacity_kg=70,
            shift=shift,
        )
        for k in range(bikes)
    ] + [
        Vehicle(
            id=f"c{k:02d}",
            kind="car",
            base="polres",
            capacity_packages=12,
            capacity_kg=300,
            shift=shift,
        )
        for k in range(cars)
    ]
    return Scenario(
        name=f"jaksel-{n}-{seed}",
        settings=Settings(planning_date=date(2021, 7, 1), time_limit_s=time_limit_s),
        sources=[SupplySource(id="polres", location=POLRES, stock={"standard": packages})],
        bases=[Base(id="polres", location=POLRES)],
        vehicles=vehicles,
        households=households,
    )


def _plan(scenario: Scenario, engine: str, limit: float) -> tuple[Plan, float]:
    """One plan through the public entry point; ``engine`` as in ``PlanOptions``."""
    t0 = clock.monotonic()
    options = PlanOptions(time_limit_s=limit, engine=engine)  # type: ignore[arg-type]
    found = plan(scenario, options).plan
    return found, clock.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--households", type=int, nargs="+", default=[200])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--reference-limit", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--long-limit",
        type=float,
        default=0.0,
        help="also plan with this limit (e.g. 600): how far the reference is from a long run",
    )
    args = ap.parse_args(argv)
    print(
        f"{'day':<18}{'search':<12}{'limit':>6}{'served':>8}{'route h':>9}{'km':>8}{'gap%':>7}"
        f"{'max h':>7}{'wall':>6}"
    )
    for n in args.households:
        sc = day(n, args.seed, args.time_limit)
        rows = [
            ("plain", *_plan(sc, "ortools-plain", args.time_limit), args.time_limit),
            ("ktj-route", *_plan(sc, "ortools", args.time_limit), args.time_limit),
            ("reference", *_plan(sc, "ortools", args.reference_limit), args.reference_limit),
        ]
        if args.long_limit:
            rows.append(("long", *_plan(sc, "ortools", args.long_limit), args.long_limit))
        ref = rows[2][1].totals.duration_s
        for name, found, wall, limit in rows:
            t = found.totals
            gap = 100.0 * (t.duration_s - ref) / ref
            print(
                f"{sc.name:<18}{name:<12}{limit:>6.0f}{t.served:>5}/{t.households:<3}"
                f"{t.duration_s / 3600:>8.2f}{t.distance_m / 1000:>8.1f}{gap:>7.2f}"
                f"{max(r.duration_s for r in found.routes) / 3600:>7.2f}{wall:>6.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

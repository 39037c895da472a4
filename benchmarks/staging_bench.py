"""Staged-day benchmark: stock staged at the ten Polsek against the same day without.

Builds South Jakarta days with the bundled scenario's generator (same seed, so the same
households, stock and delivery fleet) in three variants and plans each through
``ktj_logistics.plan`` with default options (the day's own time limit unless
``--time-limit``), each in a fresh process:

* ``unstaged``  — today's day: no hubs, no trucks, officers anywhere, no daily limit;
* ``staged``    — hubs at the ten Polsek, the Polres trucks stocking them, motorbikes
  limited to 60 km a day;
* ``staged+areas`` — the same with officer areas on (Polsek officers in their kecamatan).

Figures per run: households served; motorbike km per package delivered (median over
the motorbikes that delivered, and all motorbike km over all their packages); the
longest motorbike day; the share of km driven towards loading stops (motorbikes, and
all vehicles); households served outside the serving Polsek vehicle's kecamatan; wall
time. Not a test: nothing is asserted; the targets are printed beside the figures.

    .venv/bin/python benchmarks/staging_bench.py --sizes 600 2000
    .venv/bin/python benchmarks/staging_bench.py --sizes 600 --time-limit 20 --json
    .venv/bin/python benchmarks/staging_bench.py --travel geodesic   # straight-line legs

The days travel on the roads, as the bundled day does (``--travel geodesic``: the
straight line, as the figures measured before road travel).

The machine is shared (2 cores, several sessions): wall times are indicative.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from jaksel_generator import load_generator

ROOT = Path(__file__).resolve().parent.parent
VARIANTS: dict[str, dict[str, Any]] = {
    "unstaged": {"staging": False, "areas": False, "bike_km": None},
    "staged": {"staging": True, "areas": False, "bike_km": 60.0},
    "staged+areas": {"staging": True, "areas": True, "bike_km": 60.0},
}


_generator = load_generator


def _kecamatan_of_bases(gen: ModuleType) -> dict[str, str]:
    """Each Polsek base's kecamatan, to count deliveries outside it in any variant."""
    geo = gen.load_geography()
    return {
        b["id"]: b["area"]["kecamatan"][0] for b in gen.make_bases(geo, areas=True) if "area" in b
    }


def figures(result: Any, scenario: Any, home: dict[str, str], wall_s: float) -> dict[str, Any]:
    """The benchmark's figures of one planned day."""
    plan = result.plan
    bases = {v.id: v.base for v in scenario.vehicles}
    bikes, all_km, all_load_km = [], 0.0, 0.0
    for r in plan.routes:
        km = r.distance_m / 1000
        load_km = sum(s.distance_from_previous_m for s in r.stops if s.kind.value == "load") / 1000
        all_km += km
        all_load_km += load_km
        if r.vehicle_kind == "motorbike" and r.packages_delivered:
            bikes.append((km, r.packages_delivered, load_km))
    kecamatan = {h.id: " ".join(h.kecamatan.upper().split()) for h in scenario.households}
    outside = sum(
        1
        for o in plan.served()
        if (k := home.get(bases.get(o.vehicle_id or "", ""))) is not None
        and kecamatan[o.household_id] != k
    )
    trunk_km = sum(r.distance_m for r in plan.routes if r.vehicle_kind == "truck") / 1000
    return {
        "households": plan.totals.households,
        "served": plan.totals.served,
        "unserved_by_reason": plan.totals.unserved_by_reason,
        "method": result.method,
        "wall_s": round(wall_s, 1),
        "bike_km_per_pkg_median": round(statistics.median(k / p for k, p, _ in bikes), 2),
        "bike_km_per_pkg_total": round(
            sum(k for k, _, _ in bikes) / sum(p for _, p, _ in bikes), 2
        ),
        "bike_km_max": round(max(k for k, _, _ in bikes), 1),
        "bikes_over_60_km": sum(1 for k, _, _ in bikes if k > 60),
        "bike_loading_share": round(sum(x for _, _, x in bikes) / sum(k for k, _, _ in bikes), 3),
        "all_loading_share": round(all_load_km / all_km, 3),
        "served_outside_kecamatan": outside,
        "trunk_km": round(trunk_km, 1),
        "total_km": round(all_km, 1),
    }


def _child(args: argparse.Namespace) -> None:
    import ktj_logistics as ktj

    gen = _generator()
    with tempfile.TemporaryDirectory(prefix="ktj-staging-") as tmp:
        variant = VARIANTS[args.variant]
        path = gen.write_day(Path(tmp), args.child, args.seed, travel=args.travel, **variant)
        scenario = ktj.load(path).scenario
        options = ktj.PlanOptions(time_limit_s=args.time_limit) if args.time_limit else None
        t0 = time.perf_counter()
        result = ktj.plan(scenario, options)
        wall = time.perf_counter() - t0
        print(json.dumps(figures(result, scenario, _kecamatan_of_bases(gen), wall)))


def _spawn(n: int, variant: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(n), "--variant", variant]
    cmd += ["--seed", str(args.seed), "--travel", args.travel]
    if args.time_limit:
        cmd += ["--time-limit", str(args.time_limit)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{variant} day of {n} failed:\n{proc.stderr.strip()[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


COLUMNS = (
    ("served", "served"),
    ("bike_km_per_pkg_median", "bike km/pkg (median)"),
    ("bike_km_per_pkg_total", "bike km/pkg (all)"),
    ("bike_km_max", "longest bike day km"),
    ("bike_loading_share", "bike km to loading"),
    ("all_loading_share", "all km to loading"),
    ("served_outside_kecamatan", "served outside kecamatan"),
    ("trunk_km", "truck km"),
    ("wall_s", "wall s"),
)


def _table(n: int, runs: dict[str, dict[str, Any]]) -> list[str]:
    names = list(runs)
    lines = [f"| {n} households | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for key, label in COLUMNS:
        cells = []
        for v in names:
            value = runs[v][key]
            cells.append(f"{value:.0%}" if "share" in key else str(value))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _verdict(runs: dict[str, dict[str, Any]]) -> list[str]:
    base, staged, areas = runs["unstaged"], runs["staged"], runs["staged+areas"]
    out = []
    for name, r in (("staged", staged), ("staged+areas", areas)):
        ratio = r["bike_km_per_pkg_median"] / base["bike_km_per_pkg_median"]
        out.append(
            f"{name}: median bike km/pkg {ratio:.0%} of unstaged (target <= 50%); "
            f"all bike km/pkg {r['bike_km_per_pkg_total'] / base['bike_km_per_pkg_total']:.0%};"
            f" bikes over 60 km: {r['bikes_over_60_km']} (target 0); served "
            f"{r['served'] - base['served']:+d} vs unstaged (target >= 0)"
        )
    drop = (staged["served"] - areas["served"]) / staged["served"]
    change = f"{drop:.1%} fewer" if drop > 0 else f"{-drop:.1%} more"
    out.append(
        f"officer areas: {areas['served_outside_kecamatan']} served outside their vehicle's "
        f"area (target 0); served {areas['served']} vs {staged['served']} without areas: "
        f"{change} (target: at most 2% fewer)"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="staged-day benchmark on South Jakarta days")
    ap.add_argument("--sizes", type=int, nargs="+", default=[600, 2000])
    ap.add_argument("--time-limit", type=float, default=None, help="default: the day's")
    ap.add_argument("--seed", type=int, default=20210630)
    ap.add_argument("--json", action="store_true", help="also print one JSON line per run")
    ap.add_argument("--travel", choices=("road", "geodesic"), default="road")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--variant", default="unstaged", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        _child(args)
        return
    for n in args.sizes:
        runs = {v: _spawn(n, v, args) for v in VARIANTS}
        if args.json:
            for v, r in runs.items():
                print(json.dumps({"size": n, "variant": v, **r}))
        print("\n".join(_table(n, runs)))
        print("\n".join("  " + line for line in _verdict(runs)))
        print()


if __name__ == "__main__":
    main()

"""Benchmark: fairness across kelurahan on a large South Jakarta day with short stock.

Builds an unseen-style day with the bundled scenario's generator (the same kelurahan,
cases, Polsek and fleet rules, but another seed than the bundled day), cuts the
standard stock of every source to ``--stock-share`` of what the households need, and
plans it twice through ``ktj_logistics.plan``: fairness off, then on
(``settings.fairness``). Prints, for each run, the overall served share, the worst
kelurahan's share, the gap between them, Jain's index over the kelurahan shares, the
households served and the total route time — so the route-time cost of fairness is
read off the two lines. Not a test: nothing is asserted.

    .venv/bin/python benchmarks/fairness_bench.py --households 5000 --time-limit 120
    .venv/bin/python benchmarks/fairness_bench.py --households 800 --time-limit 20 --travel road
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from jaksel_generator import load_generator

ROOT = Path(__file__).resolve().parent.parent
UNSEEN_SEED = 20210714  # not the bundled day's seed (20210630)


_generator = load_generator


def write_short_day(
    out: Path,
    households: int,
    seed: int,
    stock_share: float,
    travel: str,
    staging: bool = True,
    areas: bool = True,
) -> Path:
    """The generated day with every source's standard stock cut to ``stock_share`` of
    the day's need (kept in the generator's proportions between sources)."""
    gen = _generator()
    path: Path = gen.write_day(out, households, seed, travel=travel, staging=staging, areas=areas)
    doc = yaml.safe_load(path.read_text("utf-8"))
    need = gen.demand(gen.make_households(gen.load_geography(), households, seed))["standard"]
    held = sum(s["stock"].get("standard", 0) for s in doc["sources"])
    for s in doc["sources"]:
        s["stock"]["standard"] = int(s["stock"].get("standard", 0) * stock_share * need / held)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def run(path: Path, fairness: dict[str, Any] | None, time_limit_s: float) -> dict[str, Any]:
    """Plan the day once (fairness settings or off) and measure it from the plan."""
    import ktj_logistics as ktj

    scenario = ktj.load(path).scenario
    if fairness is not None:
        settings = scenario.settings.model_copy(
            update={"fairness": ktj.FairnessSettings.model_validate(fairness)}
        )
        scenario = scenario.model_copy(update={"settings": settings})
    t0 = time.perf_counter()
    result = ktj.plan(scenario, ktj.PlanOptions(time_limit_s=time_limit_s))
    wall = time.perf_counter() - t0
    figure = ktj.fairness_figure(scenario, result.plan, "kelurahan")
    t = result.plan.totals
    worst = min(figure.areas, key=lambda a: (a.share, a.area))
    kelurahan = {h.id: h.kelurahan.upper() for h in scenario.households}
    lowest = sorted(figure.areas, key=lambda a: (a.share, a.area))[:3]
    why = {
        a.area: dict(
            Counter(
                o.reason.value
                for o in result.plan.households
                if o.reason is not None and kelurahan.get(o.household_id) == a.area
            )
        )
        for a in lowest
    }
    return {
        "fairness": "on" if fairness else "off",
        "method": result.method,
        "households": t.households,
        "served": t.served,
        "overall_share": round(figure.overall_share, 3),
        "worst_kelurahan": worst.area,
        "worst_share": round(worst.share, 3),
        "gap": round(figure.gap, 3),
        "jain": round(figure.jain, 3),
        "route_hours": round(t.duration_s / 3600, 1),
        "km": round(t.distance_m / 1000, 1),
        "unserved_by_reason": t.unserved_by_reason,
        "lowest": {a.area: [a.served, a.due, why[a.area]] for a in lowest},
        "wall_s": round(wall, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=UNSEEN_SEED)
    ap.add_argument("--stock-share", type=float, default=0.7, help="standard stock / need")
    ap.add_argument("--time-limit", type=float, default=120.0, help="search seconds per run")
    ap.add_argument("--travel", choices=("road", "geodesic"), default="geodesic")
    ap.add_argument("--max-gap", type=float, default=0.10, help="fairness.max_gap when on")
    ap.add_argument("--only", choices=("off", "on"), default=None, help="run one side only")
    ap.add_argument("--no-staging", action="store_true", help="no Polsek hubs and trucks")
    ap.add_argument("--no-areas", action="store_true", help="officers deliver anywhere")
    ap.add_argument("--json", action="store_true", help="print one JSON line per run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ktj-fair-") as tmp:
        path = write_short_day(
            Path(tmp),
            args.households,
            args.seed,
            args.stock_share,
            args.travel,
            staging=not args.no_staging,
            areas=not args.no_areas,
        )
        sides: list[dict[str, Any] | None] = [
            None,
            {"enabled": True, "by": "kelurahan", "max_gap": args.max_gap},
        ]
        if args.only:
            sides = [sides[0] if args.only == "off" else sides[1]]
        rows = [run(path, side, args.time_limit) for side in sides]
    print(
        f"{args.households} households (seed {args.seed}), standard stock "
        f"{args.stock_share:.0%} of need, {args.travel} travel, {args.time_limit:g} s search"
    )
    print(
        f"{'fairness':<9}{'served':>8}{'overall':>9}{'worst':>8}{'gap':>7}{'jain':>7}"
        f"{'route h':>9}{'km':>8}{'wall s':>8}  worst kelurahan"
    )
    for r in rows:
        print(
            f"{r['fairness']:<9}{r['served']:>8}{r['overall_share']:>9.1%}"
            f"{r['worst_share']:>8.1%}{r['gap']:>7.1%}{r['jain']:>7.3f}{r['route_hours']:>9.1f}"
            f"{r['km']:>8.0f}{r['wall_s']:>8.0f}  {r['worst_kelurahan']}"
        )
        if args.json:
            print(json.dumps(r))
    if len(rows) == 2 and rows[0]["route_hours"]:
        cost = rows[1]["route_hours"] / rows[0]["route_hours"] - 1
        print(f"route time with fairness: {cost:+.1%} against fairness off")


if __name__ == "__main__":
    main()

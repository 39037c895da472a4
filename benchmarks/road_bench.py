"""Benchmark: road matrices on the South Jakarta network, and the bundled day on roads.

``matrices`` builds car and motorbike matrices (square, the shape of one part of a day)
for 500, 2,000 and 5,000 household points placed by the bundled scenario's generator,
each run in a fresh subprocess: first cold (the network parsed, the matrices computed
and kept), then again from the cache; time and the process's peak resident memory
(``ru_maxrss``: interpreter, network and the four int64 matrices included). Target for
5,000 points: ≤ 20 s and ≤ 1.5 GB, cached ≤ 2 s.

``legs`` times the verifier's independent check: one networkx leg per consecutive pair
of stops over a 5,000-point tour (nearest-neighbour order, like a planned route).

``day`` plans the bundled day twice through the public API — straight line
(``geodesic``) and roads — with the same time limit, and prints served households,
route-hours, km and wall time, then the five households (served in both) whose arrival
moved most, with what changed for each.

``bigday`` plans a generated 5,000-household day both ways (by parts) and compares
wall times (target: roads ≤ 2 × straight line).

    .venv/bin/python benchmarks/road_bench.py matrices [--sizes 500 2000 5000]
    .venv/bin/python benchmarks/road_bench.py legs
    .venv/bin/python benchmarks/road_bench.py day [--time-limit 45]
    .venv/bin/python benchmarks/road_bench.py bigday [--time-limit 120]

Figures print to stdout; nothing is asserted. The cache goes to a temporary folder. On a
machine shared with other work, the CPU seconds say more than the wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jaksel_generator import load_generator

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "scenarios" / "jakarta-selatan"
NETWORK = BUNDLED / "data" / "roads_jaksel_osm2012_simplified.graphml.gz"


_generator = load_generator


def _points(n: int, seed: int = 11) -> list[Any]:
    from ktj_logistics import Location

    gen = _generator()
    rows = gen.make_households(gen.load_geography(), n, seed)
    return [Location(lat=r["lat"], lon=r["lon"]) for r in rows]


def one_run(n: int, cache: Path) -> dict[str, Any]:
    """In this process: car and motorbike matrices over ``n`` points (from the cache
    when an earlier run left them there)."""
    from ktj_logistics import VehicleKind
    from ktj_logistics._cost import Profile
    from ktj_logistics._cost.road import RoadTravel, load_network

    points = _points(n)
    profiles = [Profile(VehicleKind.car, 18.0), Profile(VehicleKind.motorbike, 22.0)]
    t0 = time.perf_counter()
    net = load_network(NETWORK, cache)
    t1, c1 = time.perf_counter(), time.process_time()
    RoadTravel(net, cache_dir=cache).costs(points, None, profiles)
    t2, c2 = time.perf_counter(), time.process_time()
    return {
        "network_s": round(t1 - t0, 2),
        "matrices_s": round(t2 - t1, 2),
        "matrices_cpu_s": round(c2 - c1, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _subprocess(n: int, cache: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "_one", str(n), cache],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def matrices(sizes: list[int]) -> None:
    """Each size twice, each run in a fresh process: cold, then from the cache."""
    print(
        f"{'points':>7} {'cold: network s':>16} {'2 profiles s':>13} {'(cpu s)':>8} {'peak MB':>8}"
        f" {'cached: network s':>18} {'2 profiles s':>13} {'peak MB':>8}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as cache:
            cold = _subprocess(n, cache)
            warm = _subprocess(n, cache)
        print(
            f"{n:>7} {cold['network_s']:>16} {cold['matrices_s']:>13}"
            f" {cold['matrices_cpu_s']:>8} {cold['peak_mb']:>8}"
            f" {warm['network_s']:>18} {warm['matrices_s']:>13} {warm['peak_mb']:>8}"
        )


def legs(n: int = 5000) -> None:
    """One networkx leg per hop of a nearest-neighbour tour over ``n`` points."""
    import numpy as np

    from ktj_logistics import VehicleKind
    from ktj_logistics._cost import Profile
    from ktj_logistics._cost.road import RoadTravel, load_network

    points = _points(n)
    xy = np.array([(p.lat, p.lon) for p in points])
    order, left = [0], set(range(1, n))
    while left:
        rest = np.array(sorted(left))
        k = int(rest[np.argmin(((xy[rest] - xy[order[-1]]) ** 2).sum(axis=1))])
        order.append(k)
        left.remove(k)
    travel = RoadTravel(load_network(NETWORK))
    car = Profile(VehicleKind.car, 18.0)
    t0 = time.perf_counter()
    for a, b in zip(order, order[1:], strict=False):
        travel.leg(points[a], points[b], car)
    took = time.perf_counter() - t0
    print(f"{n - 1} legs (car, tour order): {took:.1f} s, {1000 * took / (n - 1):.1f} ms per leg")


def _plan(path: Path, model: str, time_limit: float) -> tuple[Any, float]:
    import ktj_logistics as ktj

    scenario = ktj.load(path).scenario
    if model == "geodesic":
        travel = scenario.settings.travel.model_copy(update={"model": "geodesic"})
        settings = scenario.settings.model_copy(update={"travel": travel})
        scenario = scenario.model_copy(update={"settings": settings})
    t0 = time.perf_counter()
    result = ktj.plan(scenario, ktj.PlanOptions(time_limit_s=time_limit, base_dir=path.parent))
    return result.plan, time.perf_counter() - t0


def _totals(name: str, plan: Any, wall: float) -> None:
    t = plan.totals
    print(
        f"{name:>9}: served {t.served}/{t.households}, route-hours {t.duration_s / 3600:.1f}, "
        f"km {t.distance_m / 1000:.1f}, wall {wall:.1f} s"
    )


def _stops(plan: Any) -> dict[str, tuple[str, int, int, int, int]]:
    """household → (vehicle, trip, delivery number, arrival s, metres of the leg in)."""
    out = {}
    for r in plan.routes:
        n = 0
        for s in r.stops:
            if s.kind == "delivery":
                n += 1
                for h in s.household_ids:
                    out[h] = (r.vehicle_id, s.trip, n, s.arrival_s, s.distance_from_previous_m)
    return out


def day(time_limit: float) -> None:
    from ktj_logistics._cost import travel_for
    from ktj_logistics._timefmt import hhmm

    path = BUNDLED / "scenario.yaml"
    straight, wall_s = _plan(path, "geodesic", time_limit)
    roads, wall_r = _plan(path, "road", time_limit)
    _totals("straight", straight, wall_s)
    _totals("roads", roads, wall_r)
    a, b = _stops(straight), _stops(roads)
    both = sorted(set(a) & set(b), key=lambda h: -abs(b[h][3] - a[h][3]))
    import ktj_logistics as ktj

    scenario = ktj.load(path).scenario
    road = travel_for(scenario.settings, path.parent)
    snaps = {}
    for kind in ("car", "motorbike"):
        snaps[kind] = dict(
            zip(
                [h.id for h in scenario.households],
                road.snaps([h.location for h in scenario.households], kind),  # type: ignore[attr-defined]
                strict=True,
            )
        )
    retimed(straight, scenario, road)
    print("five households whose arrival moved most (straight plan → road plan):")
    for h in both[:5]:
        (va, ta, na, sa, da), (vb, tb, nb, sb, db) = a[h], b[h]
        kind = "motorbike" if vb.startswith("m") else "car"
        access = round(snaps[kind][h].access_dm / 10)
        print(
            f"  {h}: {hhmm(sa)} → {hhmm(sb)} ({(sb - sa) / 60:+.0f} min); "
            f"{va} trip {ta} stop {na} → {vb} trip {tb} stop {nb}; "
            f"leg in {da} m → {db} m; road {access} m from the house"
        )


def retimed(plan: Any, scenario: Any, road: Any) -> None:
    """The straight-line plan's own routes driven on the roads: which arrivals move most,
    and the leg before each that grew most (with the roads it takes)."""
    from ktj_logistics import Location
    from ktj_logistics._cost import Profile
    from ktj_logistics._timefmt import hhmm

    vehicles = {v.id: v for v in scenario.vehicles}
    moved = []
    for r in plan.routes:
        v = vehicles[r.vehicle_id]
        profile = Profile(v.kind, v.effective_speed_kmh())
        t = r.stops[0].departure_s
        worst: tuple[int, str] = (0, "")
        for prev, st in zip(r.stops, r.stops[1:], strict=False):
            a, b = Location(lat=prev.lat, lon=prev.lon), Location(lat=st.lat, lon=st.lon)
            metres, secs = road.leg(a, b, profile)
            grew = metres - st.distance_from_previous_m
            if grew > worst[0]:
                roads = ", ".join(road.route(a, b, profile).roads) or "unnamed streets"
                worst = (grew, f"{st.distance_from_previous_m} m → {metres} m via {roads}")
            arrive = t + secs
            begin = max(arrive, st.arrival_s + st.wait_s) if st.wait_s else arrive
            t = begin + st.service_s
            if st.kind == "delivery":
                moved.append((arrive - st.arrival_s, st, r.vehicle_id, worst[1]))
    moved.sort(key=lambda m: -abs(m[0]))
    print("the straight-line routes driven on the roads; arrivals that move most:")
    for shift, st, vid, why in moved[:5]:
        print(
            f"  {' '.join(st.household_ids)} ({vid} trip {st.trip}): {hhmm(st.arrival_s)} → "
            f"{hhmm(st.arrival_s + shift)} ({shift / 60:+.0f} min); "
            f"leg that grew most before it: {why}"
        )


def bigday(time_limit: float) -> None:
    gen = _generator()
    with tempfile.TemporaryDirectory() as folder:
        for model in ("geodesic", "road"):
            path = gen.write_day(Path(folder) / model, 5000, 20210630, time_limit, travel=model)
            plan, wall = _plan(path, model, time_limit)
            _totals(model, plan, wall)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_one":
        print(json.dumps(one_run(int(sys.argv[2]), Path(sys.argv[3]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    m = sub.add_parser("matrices")
    m.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    sub.add_parser("legs")
    d = sub.add_parser("day")
    d.add_argument("--time-limit", type=float, default=45.0)
    g = sub.add_parser("bigday")
    g.add_argument("--time-limit", type=float, default=120.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ktj-bench-") as cache:
        os.environ.setdefault("KTJ_CACHE_DIR", cache)
        if args.what == "matrices":
            matrices(args.sizes)
        elif args.what == "legs":
            legs()
        elif args.what == "day":
            day(args.time_limit)
        else:
            bigday(args.time_limit)


if __name__ == "__main__":
    main()

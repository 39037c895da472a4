"""Benchmark of large days planned by parts, on real Jakarta geography.

Households are sampled inside the real 2019 kelurahan polygons (numpy point-in-polygon),
each kelurahan in proportion to its people in home isolation on 30 June 2021
(``positif_isolasi_mandiri``), falling back to population. Posts: the 10 Polsek and the
Polres of South Jakarta from ``police_stations_jaksel.csv``; elsewhere one synthetic post
per kecamatan (a point inside its most populous kelurahan). Each post holds member
donations for its area and a fleet of cars and motorbikes sized to its need.

    python benchmarks/scale_bench.py jaksel --households 5000
    python benchmarks/scale_bench.py dki --households 50000
    python benchmarks/scale_bench.py reference --households 600   # decomposition cost
    python benchmarks/scale_bench.py clustering --households 5000 # sweep vs k-means

Prints wall time, peak memory (this process and the largest worker), served share and
total route time. Data: ``KTJ_DATA`` or ../shared/data/jakarta-selatan.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import numpy as np

import ktj_logistics as ktj
from ktj_logistics import (
    Base,
    Household,
    Location,
    Scenario,
    Settings,
    SupplySource,
    Vehicle,
    VehicleKind,
)
from ktj_logistics._parts import PartsSettings

# The public data set beside the repository (``../shared``); KTJ_DATA overrides it.
DATA = Path(
    os.environ.get(
        "KTJ_DATA", Path(__file__).resolve().parents[1].parent / "shared/data/jakarta-selatan"
    )
)
HOUSEHOLDS_PER_VEHICLE = 30


def _rings(geom: dict) -> list[list[np.ndarray]]:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return [[np.asarray(r, dtype=np.float64) for r in poly] for poly in polys]


def _inside(x: np.ndarray, y: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd ray casting, vectorised over points."""
    xi, yi = ring[:-1, 0], ring[:-1, 1]
    xj, yj = ring[1:, 0], ring[1:, 1]
    cond = (yi[None] > y[:, None]) != (yj[None] > y[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        xc = (xj - xi)[None] * (y[:, None] - yi[None]) / (yj - yi)[None] + xi[None]
    return np.sum(cond & (x[:, None] < xc), axis=1) % 2 == 1


def sample_in(geom: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    polys = _rings(geom)
    allpts = np.concatenate([p[0] for p in polys])
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    out: list[np.ndarray] = []
    while sum(len(o) for o in out) < n:
        pts = rng.uniform(lo, hi, size=(max(64, 4 * n), 2))
        ok = np.zeros(len(pts), dtype=bool)
        for rings in polys:
            inside = _inside(pts[:, 0], pts[:, 1], rings[0])
            for hole in rings[1:]:
                inside &= ~_inside(pts[:, 0], pts[:, 1], hole)
            ok |= inside
        out.append(pts[ok])
    return np.concatenate(out)[:n]


def build_day(region: str, n: int, seed: int = 2021, time_limit_s: float = 5.0) -> Scenario:
    rng = np.random.default_rng(seed)
    feats = json.loads((DATA / "kelurahan_dki_2019.geojson").read_text())["features"]
    feats = [f for f in feats if f["properties"]["kota"] != "KEPULAUAN SERIBU"]
    if region == "jaksel":
        feats = [f for f in feats if f["properties"]["kota"] == "JAKARTA SELATAN"]
    iso: dict[str, int] = {}
    with (DATA / "covid19_kelurahan_dki_monthly_2020-2021.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["snapshot_date"] == "2021-06-30":
                iso[row["kode_kel"]] = int(row["positif_isolasi_mandiri"] or 0)
    w = np.array(
        [
            iso.get(f["properties"]["kode_kel"], 0) or f["properties"]["penduduk_2019"] / 1000
            for f in feats
        ],
        dtype=np.float64,
    )
    counts = rng.multinomial(n, w / w.sum())
    households: list[Household] = []
    need: Counter[str] = Counter()
    for f, c in zip(feats, counts, strict=True):
        if not c:
            continue
        p = f["properties"]
        for k, (lon, lat) in enumerate(sample_in(f["geometry"], int(c), rng)):
            households.append(
                Household(
                    id=f"{p['kode_kel']}-{k:04d}",
                    location=Location(lat=round(float(lat), 6), lon=round(float(lon), 6)),
                    kelurahan=p["kelurahan"],
                    kecamatan=p["kecamatan"],
                    members=int(rng.integers(1, 6)),
                    elderly=bool(rng.random() < 0.15),
                    comorbid=bool(rng.random() < 0.1),
                )
            )
            need[p["kecamatan"]] += 1
    posts = _posts(region, feats, rng)
    bases, sources, vehicles = [], [], []
    for kec, loc in sorted(posts.items()):
        if not need.get(kec):
            continue
        bid = "post-" + kec.lower().replace(" ", "-")
        bases.append(Base(id=bid, kind="polsek", location=loc))
        sources.append(
            SupplySource(
                id=bid,
                kind="member_donation",
                location=loc,
                stock={"standard": math.ceil(need[kec] * 1.1)},
            )
        )
        for i in range(max(1, math.ceil(need[kec] / HOUSEHOLDS_PER_VEHICLE))):
            car = i % 3 != 2
            vehicles.append(
                Vehicle(
                    id=f"{bid}-{i}",
                    kind=VehicleKind.car if car else VehicleKind.motorbike,
                    base=bid,
                    capacity_packages=8 if car else 3,
                    capacity_kg=200 if car else 60,
                )
            )
    return Scenario(
        name=f"{region}-{n}",
        settings=Settings(planning_date=date(2021, 7, 1), time_limit_s=time_limit_s),
        sources=sources,
        bases=bases,
        vehicles=vehicles,
        households=households,
    )


def _posts(region: str, feats: list[dict], rng: np.random.Generator) -> dict[str, Location]:
    posts: dict[str, Location] = {}
    if region == "jaksel":
        with (DATA / "police_stations_jaksel.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["tingkat"] == "Polsek":
                    posts[row["kecamatan_lokasi"]] = Location(
                        lat=float(row["lat"]), lon=float(row["lon"])
                    )
        return posts
    biggest: dict[str, dict] = {}
    for f in feats:
        p = f["properties"]
        if (
            p["kecamatan"] not in biggest
            or p["penduduk_2019"] > biggest[p["kecamatan"]]["properties"]["penduduk_2019"]
        ):
            biggest[p["kecamatan"]] = f
    for kec, f in biggest.items():
        lon, lat = sample_in(f["geometry"], 1, rng)[0]
        posts[kec] = Location(lat=float(lat), lon=float(lon))
    return posts


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def _report(label: str, sc: Scenario, plan, wall: float) -> None:
    t = plan.totals
    own, kids = _peak_mb()
    print(
        f"{label}: {t.households} households, {len(sc.vehicles)} vehicles | wall {wall:.1f} s | "
        f"peak RSS main {own:.0f} MB, largest worker {kids:.0f} MB | served {t.served} "
        f"({t.served / max(1, t.households):.1%}) | route time {t.duration_s / 3600:.1f} h, "
        f"{t.distance_m / 1000:.0f} km | unserved {dict(t.unserved_by_reason)}",
        flush=True,
    )


def _per_served(t: object) -> float:
    return t.duration_s / max(1, t.served)  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["jaksel", "dki", "reference", "clustering"])
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument(
        "--time-limit", type=float, default=30.0, help="seconds of search for the whole day"
    )
    ap.add_argument("--part-size", type=int, default=250)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reference-time", type=float, default=120.0)
    a = ap.parse_args()
    region = "dki" if a.mode == "dki" else "jaksel"
    t0 = time.monotonic()
    sc = build_day(region, a.households, time_limit_s=a.time_limit)
    print(f"generated {len(sc.households)} households in {time.monotonic() - t0:.1f} s", flush=True)
    opts = ktj.PlanOptions(part_size=a.part_size, workers=a.workers)

    def tick(p: ktj.Progress) -> None:
        print(f"  parts {p.parts_done}/{p.parts_total}, served {p.served}", file=sys.stderr)

    if a.mode in ("jaksel", "dki"):
        t0 = time.monotonic()
        r = ktj.plan(sc, opts.model_copy(update={"progress": tick}))
        _report(f"{a.mode} by {len(r.parts)} parts (verified)", sc, r.plan, time.monotonic() - t0)
        sizes = [p.households for p in r.parts]
        print(
            f"  part sizes min {min(sizes)} max {max(sizes)}; "
            f"retried {sum(p.retried for p in r.parts)}, split {sum(p.split for p in r.parts)}, "
            f"repaired {sum(p.repaired for p in r.parts)}"
        )
    elif a.mode == "reference":
        # One kecamatan-sized sub-area: monolithic long run vs parts with the usual budget.
        by_kec = defaultdict(list)
        for h in sc.households:
            by_kec[h.kecamatan].append(h)
        kec = max(by_kec, key=lambda k: len(by_kec[k]))
        bids = {"post-" + kec.lower().replace(" ", "-")}
        sub = sc.model_copy(
            update={
                "name": f"{kec} sub-area",
                "households": by_kec[kec],
                "bases": [b for b in sc.bases if b.id in bids],
                "sources": [s for s in sc.sources if s.id in bids],
                "vehicles": [v for v in sc.vehicles if v.base in bids],
            }
        )
        t0 = time.monotonic()
        mono = ktj.plan(sub, ktj.PlanOptions(time_limit_s=a.reference_time, method="whole")).plan
        _report(
            f"monolithic reference {kec} ({a.reference_time:g} s search)",
            sub,
            mono,
            time.monotonic() - t0,
        )
        t0 = time.monotonic()
        r = ktj.plan(
            sub, opts.model_copy(update={"part_size": a.part_size // 2, "method": "parts"})
        )
        _report(f"decomposed {kec} ({len(r.parts)} parts)", sub, r.plan, time.monotonic() - t0)
        dm, dd = mono.totals, r.plan.totals
        print(
            f"  cost of decomposition: served {dd.served - dm.served:+d}, route time "
            f"{_per_served(dd) / _per_served(dm) - 1:+.1%} per served household"
        )
    else:
        for method in ("sweep", "kmeans"):
            settings = PartsSettings(part_size=a.part_size, workers=a.workers, method=method)  # type: ignore[arg-type]
            t0 = time.monotonic()
            r = ktj.plan(sc, opts.model_copy(update={"parts_settings": settings}))
            sizes = [p.households for p in r.parts]
            print(
                f"{method}: {len(r.parts)} parts, households min {min(sizes)} / "
                f"median {int(np.median(sizes))} / max {max(sizes)}"
            )
            _report(f"  {method} planned", sc, r.plan, time.monotonic() - t0)


if __name__ == "__main__":
    main()

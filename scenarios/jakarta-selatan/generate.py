"""Generate the bundled South Jakarta delivery day (seeded, reproducible).

Run with the project's virtual environment from the repository root::

    .venv/bin/python scenarios/jakarta-selatan/generate.py            # rewrites this folder
    .venv/bin/python scenarios/jakarta-selatan/generate.py --households 2000 --out /tmp/day

Writes ``scenario.yaml``, ``households.csv`` and ``vehicles.csv``. Everything is driven
by the real data in ``data/`` (kelurahan and RW polygons, the 30 June 2021 COVID-19
self-isolation counts, police stations, OSM street names); the households themselves,
their names and phone numbers are synthetic. Only the project's dependencies are used
(numpy, pyyaml): point-in-polygon is an even-odd ray test in numpy.

The benchmark (``benchmarks/plan_bench.py``) imports this file to build larger days on
the same geography, so the functions here take the day size and seed as arguments.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

PLANNING_DATE = date(2021, 6, 30)
ROAD_NETWORK = DATA / "roads_jaksel_osm2012_simplified.graphml.gz"
SNAPSHOT = "2021-06-30"  # month-end snapshot, peak of the Delta wave in Jaksel
DELIVERIES_PER_ISOLATION = 2  # a package on day 1 and day 7 of a 14-day isolation
ISOLATION_DAYS = 14
DEFAULT_SEED = 20210630

# An RW's zone colour from the households isolating in it, adapted from the PPKM Mikro
# RT thresholds (0 / 1-2 / 3-5 / >5 houses) to an RW of roughly ten RT.
ZONE_THRESHOLDS = ((0, "green"), (5, "yellow"), (12, "orange"))

ITEMS = {
    "standard": {"weight_kg": 15.0, "description": "paket sembako: beras 10 kg, minyak, gula, mi"},
    "infant_pack": {"weight_kg": 3.0, "description": "susu formula, bubur bayi, popok"},
    "elderly_pack": {"weight_kg": 4.0, "description": "susu lansia, vitamin, masker"},
}


@dataclass(frozen=True)
class Place:
    """A named point that must lie in a given kelurahan (checked at generation)."""

    name: str
    kelurahan: str
    lat: float
    lon: float
    street: str


# Approximate locations (map reading, not surveyed); each is checked to fall inside its
# kelurahan polygon. Residential towers of real apartment complexes:
TOWERS = (
    Place("Kalibata City Tower Jasmine", "RAWAJATI", -6.2570, 106.8520, "Jl. Raya Kalibata"),
    Place("Kalibata City Tower Herbras", "RAWAJATI", -6.2580, 106.8512, "Jl. Raya Kalibata"),
    Place("Kalibata City Tower Flamboyan", "RAWAJATI", -6.2588, 106.8525, "Jl. Raya Kalibata"),
    Place("Taman Rasuna Tower 5", "MENTENG ATAS", -6.2205, 106.8370, "Jl. H.R. Rasuna Said"),
    Place("Kebagusan City Tower A", "KEBAGUSAN", -6.2995, 106.8295, "Jl. Baung Raya"),
    Place("Casablanca Mansion Tower B", "MENTENG DALAM", -6.2245, 106.8430, "Jl. Casablanca"),
    Place(
        "Gandaria Heights", "KEBAYORAN LAMA UTARA", -6.2445, 106.7835, "Jl. Sultan Iskandar Muda"
    ),
)
# Gated estates (the officer hands over at the security post of the cluster):
ESTATES = (
    Place("Pondok Indah", "PONDOK PINANG", -6.2780, 106.7840, "Jl. Metro Pondok Indah"),
    Place("Permata Hijau", "GROGOL UTARA", -6.2215, 106.7835, "Jl. Permata Hijau"),
    Place("Simprug Golf", "GROGOL SELATAN", -6.2360, 106.7820, "Jl. Simprug Golf"),
    Place("Darmawangsa", "PULO", -6.2560, 106.8035, "Jl. Darmawangsa Raya"),
)
DONOR = Place(
    "Gudang Yayasan Berbagi Sembako (fiktif)",
    "PEJATEN BARAT",
    -6.2775,
    106.8440,
    "Jl. Raya Pasar Minggu",
)
DONOR_KECAMATAN = ("PASAR MINGGU", "JAGAKARSA")  # the donor earmarks its stock for these


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(sep) if w.strip())


APARTMENT_SHARE = 0.45  # of a tower kelurahan's households
ESTATE_SHARE = 0.40  # of an estate kelurahan's households

GIVEN_M = _words(
    "Agus Budi Dedi Eko Fajar Hendra Irfan Joko Rudi Slamet Teguh Wahyu Yusuf Bambang "
    "Hasan Ahmad Rizky Andi Dimas Sugeng"
)
GIVEN_F = _words(
    "Sari Rina Dewi Siti Wati Yanti Lestari Ratna Indah Fitri Nur Ani Endang Tuti "
    "Maya Rahma Ayu Putri Dian Kartika"
)
FAMILY = _words(
    "Setiawan Susanto Wijaya Hidayat Saputra Kurniawan Nugroho Pratama Siregar "
    "Hutapea Simanjuntak Lubis Nasution Rahman Santoso Gunawan Halim Purba Harahap "
    "Tanjung"
)
GANG = _words(
    "Hj. Saimun|H. Naim|Masjid|Langgar|Mawar|Melati|Kelapa|Haji Ung|Sawo|Delima|Asem|"
    "Kenari|Musholla|H. Dalim|Salak|Kober|Buntu|Mushola Al-Ikhlas|Swadaya|Damai",
    sep="|",
)
WINDOWS = ("09:00-12:00", "13:00-16:00", "10:00-14:00", "08:00-11:00")
NOTES = {
    "regular": ("", "", "", "Rumah pagar hijau", "Depan warung", "Telepon dulu sebelum datang"),
    "dense_settlement": ("Gang sempit, hanya motor", "Masuk gang samping masjid", "", ""),
    "apartment": ("Titip di resepsionis tower", "Antar ke depan unit, pakai masker", ""),
    "luxury_housing": ("Lapor satpam di gerbang cluster", "Titip di pos satpam", ""),
}


# --- geometry ------------------------------------------------------------------------


@dataclass
class Area:
    """A polygon (list of rings, lon/lat) with its bounding box; even-odd containment."""

    rings: list[np.ndarray]
    bbox: tuple[float, float, float, float] = field(init=False)  # min lon, min lat, max ...

    def __post_init__(self) -> None:
        allpts = np.vstack(self.rings)
        self.bbox = (
            float(allpts[:, 0].min()),
            float(allpts[:, 1].min()),
            float(allpts[:, 0].max()),
            float(allpts[:, 1].max()),
        )

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        inside = np.zeros(lon.shape, dtype=bool)
        x, y = lon[:, None], lat[:, None]
        for ring in self.rings:
            x1, y1 = ring[:-1, 0], ring[:-1, 1]
            x2, y2 = ring[1:, 0], ring[1:, 1]
            crosses = (y1 > y) != (y2 > y)
            with np.errstate(divide="ignore", invalid="ignore"):
                xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            inside ^= (crosses & (x < xi)).sum(axis=1) % 2 == 1
        return inside

    def contains_point(self, lat: float, lon: float) -> bool:
        return bool(self.contains(np.array([lon]), np.array([lat]))[0])

    def sample(self, rng: np.random.Generator, within: Area | None = None) -> tuple[float, float]:
        """A uniform random point (lat, lon) inside this area (and inside ``within``)."""
        x0, y0, x1, y1 = self.bbox
        for _ in range(50):
            lon = rng.uniform(x0, x1, 64)
            lat = rng.uniform(y0, y1, 64)
            ok = self.contains(lon, lat)
            if within is not None:
                ok &= within.contains(lon, lat)
            hit = np.flatnonzero(ok)
            if hit.size:
                return float(lat[hit[0]]), float(lon[hit[0]])
        raise ValueError("no point found inside the area")


def _rings(geometry: dict[str, Any]) -> list[np.ndarray]:
    kind, coords = geometry["type"], geometry.get("coordinates") or []
    if kind == "Polygon":
        return [np.asarray(r, dtype=float)[:, :2] for r in coords]
    if kind == "MultiPolygon":
        return [np.asarray(r, dtype=float)[:, :2] for poly in coords for r in poly]
    if kind == "GeometryCollection":
        return [r for g in geometry["geometries"] for r in _rings(g)]
    return []


# --- the real data -------------------------------------------------------------------


@dataclass
class RW:
    number: str  # "03"
    area_km2: float
    area: Area


@dataclass
class Kelurahan:
    code: str
    name: str
    kecamatan: str
    area: Area
    area_km2: float
    density_per_km2: float
    people_per_household: float
    share_over_60: float
    share_under_5: float
    isolating: int  # positif_isolasi_mandiri on the snapshot date
    rws: list[RW] = field(default_factory=list)


@dataclass
class Geography:
    kelurahan: list[Kelurahan]
    stations: dict[str, dict[str, str]]
    street_xy: np.ndarray  # (n, 2) lat, lon
    street_name: list[str]

    def by_name(self, name: str) -> Kelurahan:
        return next(k for k in self.kelurahan if k.name == name)

    def street_near(self, lat: float, lon: float) -> str:
        d = (self.street_xy[:, 0] - lat) ** 2 + ((self.street_xy[:, 1] - lon) * 0.994) ** 2
        return self.street_name[int(np.argmin(d))]

    def bbox(self) -> tuple[float, float, float, float]:
        boxes = np.array([k.area.bbox for k in self.kelurahan])
        lo, hi = boxes.min(axis=0), boxes.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[2]), float(hi[3])


def load_geography(data_dir: Path = DATA) -> Geography:
    kel_json = json.loads((data_dir / "kelurahan_jaksel_2019.geojson").read_text("utf-8"))
    cases: dict[str, int] = {}
    with (data_dir / "covid19_kelurahan_jaksel_2021.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["snapshot_date"] == SNAPSHOT:
                cases[row["kode_kel"]] = int(row["positif_isolasi_mandiri"])
    kels: list[Kelurahan] = []
    for f in kel_json["features"]:
        p = f["properties"]
        pop = p["penduduk_2019"]
        over_60 = sum(p[c] for c in ("usia_60_64", "usia_65_69", "usia_70_74", "usia_75_plus"))
        kels.append(
            Kelurahan(
                code=p["kode_kel"],
                name=p["kelurahan"],
                kecamatan=p["kecamatan"],
                area=Area(_rings(f["geometry"])),
                area_km2=p["area_km2"],
                density_per_km2=p["kepadatan_per_km2"],
                people_per_household=p["orang_per_kk"],
                share_over_60=over_60 / pop,
                share_under_5=p["usia_0_4"] / pop,
                isolating=cases[p["kode_kel"]],
            )
        )
    kels.sort(key=lambda k: k.code)
    by_code = {k.code: k for k in kels}
    rw_json = json.loads((data_dir / "rw_jaksel_2012.geojson").read_text("utf-8"))
    for f in rw_json["features"]:
        p = f["properties"]
        rings = _rings(f["geometry"])
        if not p.get("rw") or not rings or p.get("kode_kel") not in by_code:
            continue
        number = "".join(ch for ch in p["rw"] if ch.isdigit()).zfill(2)
        by_code[p["kode_kel"]].rws.append(RW(number, p["area_km2"], Area(rings)))
    for k in kels:
        k.rws.sort(key=lambda r: r.number)
    with (data_dir / "police_stations_jaksel.csv").open(encoding="utf-8") as fh:
        stations = {r["id"]: r for r in csv.DictReader(fh)}
    with (data_dir / "street_names_jaksel_osm2012.csv").open(encoding="utf-8") as fh:
        streets = list(csv.DictReader(fh))
    xy = np.array([[float(s["lat"]), float(s["lon"])] for s in streets])
    names = [_street_label(s["name"]) for s in streets]
    geo = Geography(kels, stations, xy, names)
    for place in (*TOWERS, *ESTATES, DONOR):
        if not geo.by_name(place.kelurahan).area.contains_point(place.lat, place.lon):
            raise ValueError(f"{place.name} is not inside kelurahan {place.kelurahan}")
    return geo


def _street_label(name: str) -> str:
    low = name.lower()
    if low.startswith(("jl", "jalan", "gang", "gg")):
        return name
    return f"Jl. {name}"


# --- households ----------------------------------------------------------------------


def isolating_households(geo: Geography) -> float:
    """Households in self-isolation on the snapshot date: cases / people per household."""
    return sum(k.isolating / k.people_per_household for k in geo.kelurahan)


def default_day_size(geo: Geography) -> int:
    """Each isolating household gets DELIVERIES_PER_ISOLATION packages in 14 days."""
    return round(isolating_households(geo) * DELIVERIES_PER_ISOLATION / ISOLATION_DAYS)


def apportion(weights: list[float], total: int) -> list[int]:
    """Largest-remainder split of ``total`` in proportion to ``weights``."""
    s = sum(weights)
    exact = [w * total / s for w in weights]
    out = [math.floor(e) for e in exact]
    order = sorted(range(len(exact)), key=lambda i: (out[i] - exact[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _rw_caseloads(k: Kelurahan, rng: np.random.Generator) -> list[int]:
    """Isolating households per RW: the kelurahan's count spread by RW area, clustered.

    Cases cluster (a family, a gang), so the count is gamma-Poisson, not Poisson.
    """
    total_area = sum(r.area_km2 for r in k.rws) or 1.0
    households = k.isolating / k.people_per_household
    out = []
    for r in k.rws:
        mean = households * r.area_km2 / total_area
        shape = 1.5
        out.append(int(rng.poisson(rng.gamma(shape, mean / shape))) if mean > 0 else 0)
    return out


def zone_colour(isolating_households_in_rw: int) -> str:
    for limit, colour in ZONE_THRESHOLDS:
        if isolating_households_in_rw <= limit:
            return colour
    return "red"


def _rw_at(k: Kelurahan, lat: float, lon: float) -> int | None:
    for i, r in enumerate(k.rws):
        if r.area.contains_point(lat, lon):
            return i
    return None


def _name(rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        return f"Bapak {rng.choice(GIVEN_M)} {rng.choice(FAMILY)}"
    return f"Ibu {rng.choice(GIVEN_F)} {rng.choice(FAMILY)}"


def _settlement(k: Kelurahan, rng: np.random.Generator) -> tuple[str, Place | None]:
    towers = [t for t in TOWERS if t.kelurahan == k.name]
    if towers and rng.random() < APARTMENT_SHARE:
        return "apartment", towers[int(rng.integers(len(towers)))]
    estates = [e for e in ESTATES if e.kelurahan == k.name]
    if estates and rng.random() < ESTATE_SHARE:
        return "luxury_housing", estates[int(rng.integers(len(estates)))]
    # Kampung with gang are where people live densest: 10 % of households at low
    # density up to 75 % in the densest kelurahan (50,000 people/km²).
    p_dense = min(0.75, max(0.10, 0.15 + (k.density_per_km2 - 10_000) / 40_000))
    return ("dense_settlement" if rng.random() < p_dense else "regular"), None


_MEMBERS_EXTRA = {"regular": 2.2, "dense_settlement": 2.8, "apartment": 1.4, "luxury_housing": 2.5}
_NO_INCOME = {"regular": 0.2, "dense_settlement": 0.45, "apartment": 0.12, "luxury_housing": 0.0}


def make_households(geo: Geography, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` synthetic households of the day, in proportion to each kelurahan's cases."""
    rng = np.random.default_rng(seed)
    counts = apportion([k.isolating / k.people_per_household for k in geo.kelurahan], n)
    out: list[dict[str, Any]] = []
    for k, count in zip(geo.kelurahan, counts, strict=True):
        if count == 0:
            continue
        caseload = _rw_caseloads(k, rng)
        weights = np.array(caseload, dtype=float)
        if weights.sum() == 0:
            weights = np.array([r.area_km2 for r in k.rws]) + 1e-9
        day_in_rw: Counter[int] = Counter()
        rows = []
        for _ in range(count):
            kind, place = _settlement(k, rng)
            if place is not None and kind == "apartment":
                lat, lon = place.lat, place.lon
                rw_i = _rw_at(k, lat, lon)
            elif place is not None:
                # Houses of a gated estate lie within ~400 m of its centre.
                while True:
                    lat = place.lat + rng.normal(0, 0.0018)
                    lon = place.lon + rng.normal(0, 0.0018)
                    if k.area.contains_point(lat, lon):
                        break
                rw_i = _rw_at(k, lat, lon)
            else:
                rw_i = int(rng.choice(len(k.rws), p=weights / weights.sum())) if k.rws else None
                try:
                    lat, lon = k.rws[rw_i].area.sample(rng, within=k.area)  # type: ignore[index]
                except (ValueError, TypeError):
                    lat, lon = k.area.sample(rng)
                    rw_i = _rw_at(k, lat, lon)
            if rw_i is None and k.rws:
                centres = [np.mean(r.area.rings[0], axis=0) for r in k.rws]
                rw_i = int(np.argmin([(c[1] - lat) ** 2 + (c[0] - lon) ** 2 for c in centres]))
            day_in_rw[rw_i if rw_i is not None else -1] += 1
            rows.append((kind, place, lat, lon, rw_i))
        for i, n_day in day_in_rw.items():
            if i >= 0:
                caseload[i] = max(caseload[i], n_day)  # the day's households are among them
        for kind, place, lat, lon, rw_i in rows:
            rw = k.rws[rw_i].number if rw_i is not None else "01"
            zone = zone_colour(caseload[rw_i]) if rw_i is not None else "yellow"
            out.append(_household(k, kind, place, lat, lon, rw, zone, geo, rng))
    for i, h in enumerate(out, start=1):
        h["id"] = f"JS-{i:04d}"
        h["phone"] = f"0800-0000-{i:04d}"  # 0800-0000-xxxx: not a mobile number block
    return out


def _household(
    k: Kelurahan,
    kind: str,
    place: Place | None,
    lat: float,
    lon: float,
    rw: str,
    zone: str,
    geo: Geography,
    rng: np.random.Generator,
) -> dict[str, Any]:
    members = int(min(10, 1 + rng.poisson(_MEMBERS_EXTRA[kind])))
    rt = f"{int(rng.integers(1, 13)):03d}"
    no = int(rng.integers(1, 120))
    if kind == "apartment" and place is not None:
        floor, unit = int(rng.integers(2, 33)), int(rng.integers(1, 30))
        address = f"{place.name} Lt. {floor} No. {unit:02d}, {place.street}"
        building = place.name
    elif kind == "luxury_housing" and place is not None:
        block = "ABCDEFGHJK"[int(rng.integers(10))]
        address = f"{place.street} Blok {block}{int(rng.integers(1, 9))} No. {no}"
        building = place.name
    elif kind == "dense_settlement":
        gang = GANG[int(rng.integers(len(GANG)))]
        address = f"{geo.street_near(lat, lon)} Gg. {gang} No. {no}"
        building = ""
    else:
        address = f"{geo.street_near(lat, lon)} No. {no}"
        building = ""
    p_elderly = 1 - (1 - k.share_over_60 * (0.5 if kind == "apartment" else 1.0)) ** members
    p_child = 1 - (1 - k.share_under_5) ** members
    elderly = bool(rng.random() < p_elderly)
    child = bool(rng.random() < p_child)
    items = []
    if child and rng.random() < 0.35:
        items.append("infant_pack:1")
    if elderly and rng.random() < 0.35:
        items.append("elderly_pack:1")
    start = PLANNING_DATE - timedelta(days=int(rng.integers(0, ISOLATION_DAYS)))
    return {
        "id": "",
        "name": _name(rng),
        "phone": "",
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "address": address,
        "kelurahan": k.name,
        "kecamatan": k.kecamatan,
        "rw": rw,
        "rt": rt,
        "settlement_type": kind,
        "building": building,
        "zone_colour": zone,
        "members": members,
        "packages_needed": 1 if members <= 4 else 2,
        "items": "|".join(items),
        "elderly": elderly,
        "child_under_5": child,
        "pregnant": bool(members >= 2 and rng.random() < 0.04),
        "comorbid": bool(rng.random() < 0.18),
        "disability": bool(rng.random() < 0.03),
        "no_income": bool(rng.random() < _NO_INCOME[kind]),
        "isolation_start": start.isoformat(),
        "time_windows": WINDOWS[int(rng.integers(len(WINDOWS)))] if rng.random() < 0.05 else "",
        "notes": str(rng.choice(NOTES[kind])),
    }


def demand(households: list[dict[str, Any]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for h in households:
        total["standard"] += h["packages_needed"]
        for part in filter(None, h["items"].split("|")):
            item, _, count = part.partition(":")
            total[item] += int(count)
    return {i: total[i] for i in ITEMS}


# --- supply and fleet ----------------------------------------------------------------


def make_sources(geo: Geography, households: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Polda shipment, members' donations at the Polres, a donor's earmarked store.

    Standard stock is ~15 % above the day's demand; special items are ~10 % short, so the
    plan must choose who gets them.
    """
    need = demand(households)
    donor_kel = sorted(k.name for k in geo.kelurahan if k.kecamatan in DONOR_KECAMATAN)
    donor_need = sum(h["packages_needed"] for h in households if h["kelurahan"] in donor_kel)
    std = need["standard"]
    donor_std = min(round(0.25 * std), round(0.8 * donor_need))
    polda_std = round(0.60 * std)
    polres_std = max(0, round(1.15 * std) - polda_std - donor_std)

    def split(item: str, share: float) -> int:
        return math.floor(need[item] * 0.9 * share)

    polda, polres = geo.stations["polda_metro_jaya"], geo.stations["polres_metro_jaksel"]
    return [
        {
            "id": "polda-mj",
            "name": "Polda Metro Jaya - bantuan sembako",
            "kind": "polda",
            "location": {"lat": float(polda["lat"]), "lon": float(polda["lon"])},
            "stock": {
                "standard": polda_std,
                "infant_pack": split("infant_pack", 0.6),
                "elderly_pack": split("elderly_pack", 0.6),
            },
            "opening_hours": "07:00-18:00",
            "available_from": "10:00",  # the truck from the Polda warehouse arrives
            "loading_minutes": 5,
        },
        {
            "id": "polres-donasi",
            "name": "Polres Metro Jakarta Selatan - donasi anggota",
            "kind": "member_donation",
            "location": {"lat": float(polres["lat"]), "lon": float(polres["lon"])},
            "stock": {
                "standard": polres_std,
                "infant_pack": split("infant_pack", 0.4),
                "elderly_pack": split("elderly_pack", 0.4),
            },
            "opening_hours": "07:00-20:00",
            "loading_minutes": 5,
        },
        {
            "id": "donatur-pasar-minggu",
            "name": DONOR.name,
            "kind": "donor",
            "location": {"lat": DONOR.lat, "lon": DONOR.lon},
            "stock": {"standard": donor_std},
            "opening_hours": "08:00-17:00",
            "loading_minutes": 8,
            "earmark": {"kelurahan": donor_kel},
        },
    ]


BASE_IDS = (
    "polres_metro_jaksel",
    "polsek_kebayoran_baru",
    "polsek_kebayoran_lama",
    "polsek_cilandak",
    "polsek_pesanggrahan",
    "polsek_mampang_prapatan",
    "polsek_tebet",
    "polsek_setiabudi",
    "polsek_pancoran",
    "polsek_pasar_minggu",
    "polsek_jagakarsa",
)


def make_bases(geo: Geography, areas: bool = True) -> list[dict[str, Any]]:
    """The Polres and the ten Polsek; with ``areas``, each Polsek's officers deliver in
    its own kecamatan (the station's ``wilayah``), the Polres's anywhere in the city."""
    out = []
    for sid in BASE_IDS:
        s = geo.stations[sid]
        base: dict[str, Any] = {
            "id": sid.replace("_", "-"),
            "name": s["nama"],
            "kind": s["tingkat"].lower(),
            "location": {"lat": float(s["lat"]), "lon": float(s["lon"])},
        }
        if areas and s["tingkat"].lower() == "polsek":
            base["area"] = {"kecamatan": [s["wilayah"]]}
        out.append(base)
    return out


def make_hubs() -> list[dict[str, Any]]:
    """A hub at each Polsek: trucks bring the day's stock there in the morning, and the
    Polsek's officers load it for their kecamatan (its stock is for the Polsek's area)."""
    return [
        {
            "id": "hub-" + sid.split("_", 1)[1].replace("_", "-"),
            "kind": "polsek",
            "base": sid.replace("_", "-"),
            "opening_hours": "07:00-18:00",
            "unloading_minutes": 15,
            "loading_minutes": 3,
        }
        for sid in BASE_IDS
        if sid.startswith("polsek")
    ]


BIKE_KM = 60.0
"""A daily limit for a motorbike officer (``--bike-km``; the staging benchmark uses it).
The bundled day has none: with one motorbike per Polsek and 140 households in alleys
only motorbikes may enter, a 60 km day would leave about 17 of them out."""

TRUCK = {"capacity_packages": 150, "capacity_kg": 2500, "shift": "07:00-15:00"}
"""A light truck (colt diesel) of the Polres: 150 packages of 15 kg, 2.5 t."""


SHIFTS = ("08:00-16:00",) * 6 + ("07:00-15:00", "09:00-17:00", "10:00-16:00")


def make_vehicles(
    n_households: int,
    seed: int,
    reference: int = 440,
    trunk: bool = True,
    bike_km: float | None = None,
) -> list[dict[str, Any]]:
    """Cars and Bhabinkamtibmas motorbikes at the Polres and each Polsek.

    The reference day of ~440 households gets, per Polsek, 1 car and 1 motorbike, and
    at the Polres 3 cars and 2 motorbikes (25 vehicles); larger days scale every count.
    A bigger fleet would not serve more on this day: the solver's first solution grows
    with vehicles x stops, and 25 vehicles already reach every household in it.
    With ``trunk``, the Polres also has light trucks (two per reference day, at least
    two) that only carry stock to the Polsek hubs; ``bike_km`` is the most a
    motorbike officer rides in the day (None: no limit).
    """
    rng = np.random.default_rng(seed + 1)
    scale = n_households / reference
    out: list[dict[str, Any]] = []
    officer = 0
    for sid in BASE_IDS:
        base = sid.replace("_", "-")
        short = sid.split("_", 1)[1].replace("metro_", "").replace("_", "-")
        polres = sid.startswith("polres")
        cars = max(1, round((3 if polres else 1) * scale))
        bikes = max(1, round((2 if polres else 1) * scale))
        for kind, count in (("car", cars), ("motorbike", bikes)):
            for i in range(1, count + 1):
                officer += 1
                big = kind == "car" and rng.random() < 0.5
                out.append(
                    {
                        "id": f"{'c' if kind == 'car' else 'm'}-{short}-{i}",
                        "kind": kind,
                        "base": base,
                        "capacity_packages": (10 if big else 8) if kind == "car" else 2,
                        "capacity_kg": 200 if kind == "car" else 40,
                        "shift": SHIFTS[int(rng.integers(len(SHIFTS)))],
                        "officer": f"BHABIN-{officer:02d}",
                        "role": "delivery",
                        "max_km": bike_km if kind == "motorbike" and bike_km else "",
                    }
                )
    if trunk:
        for i in range(1, max(2, round(2 * scale)) + 1):
            out.append(
                {
                    "id": f"t-jaksel-{i}",
                    "kind": "truck",
                    "base": "polres-metro-jaksel",
                    **TRUCK,
                    "officer": f"LOG-{i:02d}",
                    "role": "trunk",
                    "max_km": "",
                }
            )
    return out


# --- writing -------------------------------------------------------------------------

HOUSEHOLD_COLUMNS = _words(
    "id name phone lat lon address kelurahan kecamatan rw rt settlement_type building"
    " zone_colour members packages_needed items elderly child_under_5 pregnant comorbid"
    " disability no_income isolation_start time_windows notes"
)
VEHICLE_COLUMNS = [
    "id",
    "kind",
    "base",
    "capacity_packages",
    "capacity_kg",
    "shift",
    "officer",
    "role",
    "max_km",
]


def _excel_cell(value: Any) -> str:
    """Format as Excel in an Indonesian locale exports: decimal comma, ya/tidak."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return f"{value}".replace(".", ",")
    return str(value)


def write_csv(path: Path, columns: Sequence[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_excel_cell(r[c]) for c in columns])


def travel_settings(model: str, out_dir: Path) -> dict[str, Any]:
    """Road travel on the bundled OSM network (its path relative to the scenario when
    the day is written next to it), or the straight line."""
    if model != "road":
        return {"model": "geodesic"}
    try:
        network = ROAD_NETWORK.relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        network = str(ROAD_NETWORK)
    # The 2012 extract misses many lanes in the kampung: a household up to 1 km from a
    # mapped road is common there, so only farther ones are worth a warning.
    return {"model": "road", "network": network, "snap_limit_m": 1000}


def scenario_document(
    geo: Geography,
    households: list[dict[str, Any]],
    time_limit_s: float,
    name: str = "jakarta-selatan-2021-06-30",
    staging: bool = True,
    areas: bool = True,
    travel: dict[str, Any] | None = None,
) -> dict[str, Any]:
    x0, y0, x1, y1 = geo.bbox()
    pad = 0.02
    return {
        "name": name,
        "description": (
            f"One sembako delivery day in Kota Jakarta Selatan on {PLANNING_DATE}, the peak"
            f" of the Delta wave: {len(households)} synthetic households in self-isolation"
            " placed in proportion to the real per-kelurahan counts (Pemprov DKI Jakarta)."
            " Names and phone numbers are fictitious."
        ),
        "settings": {
            "planning_date": PLANNING_DATE.isoformat(),
            "time_limit_s": time_limit_s,
            "deterministic": False,
            "detour_factor": 1.35,
            "travel": travel or {"model": "geodesic"},
            "service_minutes": 4,
            "service_area": {
                "min_lat": round(y0 - pad, 3),
                "max_lat": round(y1 + pad, 3),
                "min_lon": round(x0 - pad, 3),
                "max_lon": round(x1 + pad, 3),
            },
            "items": ITEMS,
        },
        "sources": make_sources(geo, households),
        "bases": make_bases(geo, areas),
        **({"hubs": make_hubs()} if staging else {}),
        "vehicles": "vehicles.csv",
        "households": "households.csv",
    }


BUNDLED_EXPECT: dict[str, Any] = {
    # What `ktj-route check` guards on the bundled day. The search is time-limited, so
    # the floor sits a little below what it reaches on the roads (legs ~20 % longer than
    # the straight line), with stock staged at the Polsek hubs and officers in their own
    # kecamatan: big households in car-free alleys get split visits, a household whose
    # special item ran out still gets its standard packages, and the few left are left
    # for fleet time.
    "min_served_share": 0.9,
    "no_vehicle_at": [{"kinds": ["car", "van"], "settlement_type": "dense_settlement"}],
    "one_stop_per_building": True,
    "back_by_shift_end": True,
    "stock_respected": True,
    "no_capacity_drop_while_idle": True,
    "special_shortfall_keeps_standard": True,
}


def write_day(
    out_dir: Path,
    n_households: int | None = None,
    seed: int = DEFAULT_SEED,
    time_limit_s: float = 45.0,
    geo: Geography | None = None,
    staging: bool = True,
    areas: bool = True,
    bike_km: float | None = None,
    travel: str = "road",
) -> Path:
    """Write scenario.yaml, households.csv and vehicles.csv; return the scenario path.

    ``staging``: hubs at the ten Polsek and the Polres trucks that stock them;
    ``areas``: Polsek officers deliver in their own kecamatan; ``bike_km``: the most a
    motorbike rides in the day. The same seed gives the same households and delivery
    fleet either way, so days compare like for like.
    """
    geo = geo or load_geography()
    n = n_households if n_households is not None else default_day_size(geo)
    households = make_households(geo, n, seed)
    vehicles = make_vehicles(n, seed, trunk=staging, bike_km=bike_km)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "households.csv", HOUSEHOLD_COLUMNS, households)
    write_csv(out_dir / "vehicles.csv", VEHICLE_COLUMNS, vehicles)
    doc = scenario_document(
        geo,
        households,
        time_limit_s,
        staging=staging,
        areas=areas,
        travel=travel_settings(travel, out_dir),
    )
    if n_households is None:
        doc["expect"] = BUNDLED_EXPECT
    header = (
        "# Generated by scenarios/jakarta-selatan/generate.py"
        f" (seed {seed}, {n} households); do not edit by hand.\n"
        "# Data: Dukcapil DKI Jakarta 2019 (kelurahan), Pemprov DKI Jakarta (COVID-19),\n"
        "# RW boundaries, street names and the road network (c) OpenStreetMap contributors\n"
        "# (ODbL). See README.md.\n"
    )
    path = out_dir / "scenario.yaml"
    path.write_text(
        header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), "utf-8"
    )
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=None, help="day size (default: from cases)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--time-limit", type=float, default=45.0, help="solver time limit, s")
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    ap.add_argument("--no-staging", action="store_true", help="no hubs and no trucks")
    ap.add_argument("--no-areas", action="store_true", help="officers may deliver anywhere")
    ap.add_argument("--bike-km", type=float, default=0, help="a motorbike's daily km limit")
    ap.add_argument(
        "--travel", choices=("road", "geodesic"), default="road", help="travel model (road)"
    )
    args = ap.parse_args()
    path = write_day(
        args.out,
        args.households,
        args.seed,
        args.time_limit,
        staging=not args.no_staging,
        areas=not args.no_areas,
        bike_km=args.bike_km or None,
        travel=args.travel,
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

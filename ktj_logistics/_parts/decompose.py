"""Cut a large day into parts that are planned one by one.

One OR-Tools model of thousands of stops is slow and needs gigabytes (its matrices grow
with the square of the stops). The work is organised by Polsek area anyway — each
kecamatan has its own officers and posts — so a day is cut the same way:

1. **areas**: stops by their ``kecamatan``; a vehicle belongs to the area its base sits
   in (the kecamatan most common among the stops nearest to the base), or, with a hard
   officer area, to the kecamatan whose stops its area covers most;
2. **sectors**: an area with more than ``part_size`` households is cut into angular
   sweep sectors of about ``part_size`` households around its post (or k-means
   clusters, kept to compare the two on real data);
3. **vehicles** are moved between areas only when an area has much less fleet than its
   share of the need (never out of a hard officer area), and shared among an area's
   sectors in proportion to need (each to a sector its area covers).

Stock needs no splitting: the day's allocation already named each stop's source. A stop
(a building's lobby with its households) is never cut, and the visits of one household
or group (split delivery, a tower's units) stay in one part, so one area's officers
serve it and its visits are ordered in one model. Only coordinates, counts and ids
are used here; no matrix over the whole city is built.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .._problem import Day, VehicleSpec
from .._scenario import Location
from .able import can_serve, hard_area, serves_any

Method = Literal["sweep", "kmeans"]
_M_PER_DEG = 111_320.0
BASE_AREA_NEIGHBOURS = 15
"""How many nearby stops decide which area a base (and its vehicles) belongs to."""
REBALANCE_BELOW = 1.0
"""An area below this share of its fair part of the fleet (by need) borrows vehicles. At
0.6 the Polres fleet stayed around the Polres, partly idle, while areas at 70-90 % of
their share left households out for lack of fleet (a 600-household day)."""


@dataclass(frozen=True)
class Unit:
    """One stop to plan: a job of the day, where it is, and how much it asks."""

    job: int
    households: int
    location: Location
    area: str
    need: int  # items of every kind


@dataclass(frozen=True)
class PartSpec:
    """One piece of the day: which of its vehicles and jobs (by index) plan together."""

    key: str
    area: str
    vehicles: tuple[int, ...]
    jobs: tuple[int, ...]
    centroid: Location


@dataclass
class _Draft:
    key: str
    area: str
    units: list[Unit]
    vehicles: list[int] = field(default_factory=list)

    @property
    def need(self) -> int:
        return sum(u.need for u in self.units)

    @property
    def households(self) -> int:
        return sum(u.households for u in self.units)


def _xy(points: Sequence[Location], origin: Location) -> np.ndarray:
    """Local metric coordinates (equirectangular; good to a fraction of a percent in a city)."""
    lat = np.array([p.lat for p in points], dtype=np.float64)
    lon = np.array([p.lon for p in points], dtype=np.float64)
    k = math.cos(math.radians(origin.lat))
    return np.stack([(lon - origin.lon) * _M_PER_DEG * k, (lat - origin.lat) * _M_PER_DEG], axis=1)


def _centroid(points: Sequence[Location]) -> Location:
    return Location(
        lat=float(np.mean([p.lat for p in points])), lon=float(np.mean([p.lon for p in points]))
    )


def distance_m(a: Location, b: Location) -> float:
    """Straight-line metres between two points (for "which is nearer" only)."""
    return float(np.hypot(*_xy([a], b)[0]))


def vehicle_capability(v: VehicleSpec) -> float:
    """Rough work a vehicle can do in a day: shift hours, more for bigger loads per trip."""
    start, end = v.shift
    return (end - start) / 3600.0 * math.sqrt(min(v.cap_parcels, 16))


def units_of(day: Day, jobs: Sequence[int]) -> list[Unit]:
    return [
        Unit(
            job=j,
            households=len(day.jobs[j].household_ids),
            location=day.locations[day.jobs[j].loc],
            area=day.jobs[j].area,
            need=day.jobs[j].parcels,
        )
        for j in jobs
    ]


def base_areas(day: Day, units: Sequence[Unit]) -> dict[int, str]:
    """Each base's area (by place index): the kecamatan most common among its nearest stops."""
    bases = sorted({v.loc for v in day.vehicles})
    known = [u for u in units if u.area]
    if not known:
        return dict.fromkeys(bases, "")
    origin = _centroid([u.location for u in known])
    xy = _xy([u.location for u in known], origin)
    out: dict[int, str] = {}
    for b in bases:
        d = np.hypot(*(xy - _xy([day.locations[b]], origin)[0]).T)
        nearest = np.argsort(d, kind="stable")[:BASE_AREA_NEIGHBOURS]
        votes = Counter(known[i].area for i in nearest)
        out[b] = min(votes, key=lambda a: (-votes[a], a))
    return out


def _rebalance(drafts: list[_Draft], day: Day, capability: Mapping[int, float]) -> None:
    """Lend vehicles to areas far below their fair share of the fleet (by need)."""
    total_w = sum(capability[v] for d in drafts for v in d.vehicles)
    total_need = sum(d.need for d in drafts) or 1

    def ratio(d: _Draft, extra: float = 0.0) -> float:
        target = total_w * d.need / total_need
        have = sum(capability[v] for v in d.vehicles) + extra
        return have / target if target > 0 else math.inf

    for _ in range(sum(len(d.vehicles) for d in drafts)):
        poor = min(drafts, key=lambda d: (ratio(d), d.key))
        if ratio(poor) >= REBALANCE_BELOW:
            return
        centre = _centroid([u.location for u in poor.units])
        # The best-off lender first (the area around the Polres, usually), then the
        # vehicle nearest to the borrower.
        best: tuple[float, float, str, _Draft, int] | None = None
        for d in drafts:
            if d is poor:
                continue
            for v in d.vehicles:
                if not serves_any(day, v, [u.job for u in poor.units]):
                    continue  # a hard officer area keeps it where it is
                w = capability[v]
                if ratio(d, -w) < ratio(poor, w):
                    continue  # lending it would leave the lender worse off than the borrower
                dist = distance_m(day.locations[day.vehicles[v].loc], centre)
                key = (-ratio(d), dist, day.vehicles[v].id)
                if best is None or key < best[:3]:
                    best = (*key, d, v)
        if best is None:
            return
        *_, lender, v = best
        lender.vehicles.remove(v)
        poor.vehicles.append(v)


def sweep(units: list[Unit], centre: Location, k: int) -> list[list[Unit]]:
    """Angular sectors around ``centre`` with about equal household counts.

    The circle is cut at its widest empty angle, so a sector never straddles the gap.
    """
    xy = _xy([u.location for u in units], centre)
    ang = np.arctan2(xy[:, 1], xy[:, 0])
    order = np.lexsort((np.arange(len(units)), ang))
    a = ang[order]
    gaps = np.diff(np.concatenate([a, [a[0] + 2 * math.pi]]))
    start = (int(np.argmax(gaps)) + 1) % len(units)
    order = np.roll(order, -start)
    cum = np.cumsum(np.array([units[i].households for i in order]))
    total = int(cum[-1])
    cuts = [int(np.searchsorted(cum, total * s / k, side="left")) + 1 for s in range(1, k)]
    bounds = [0, *cuts, len(units)]
    return [
        [units[i] for i in order[b:e]] for b, e in zip(bounds, bounds[1:], strict=False) if e > b
    ]


def _kmeans(units: list[Unit], k: int, seed: int, iterations: int = 50) -> list[list[Unit]]:
    """Lloyd's k-means (k-means++ start, fixed seed); unweighted, so sizes come out uneven."""
    centre = _centroid([u.location for u in units])
    xy = _xy([u.location for u in units], centre)
    rng = np.random.default_rng(seed)
    centres = [xy[rng.integers(len(xy))]]
    for _ in range(1, k):
        d2 = np.min(((xy[:, None, :] - np.array(centres)[None]) ** 2).sum(axis=2), axis=1)
        p = d2 / d2.sum() if d2.sum() > 0 else None
        centres.append(xy[rng.choice(len(xy), p=p)])
    c = np.array(centres)
    label = np.zeros(len(xy), dtype=np.int64)
    for _ in range(iterations):
        label = np.argmin(((xy[:, None, :] - c[None]) ** 2).sum(axis=2), axis=1)
        new = np.array(
            [xy[label == j].mean(axis=0) if np.any(label == j) else c[j] for j in range(k)]
        )
        if np.allclose(new, c):
            break
        c = new
    return [[units[i] for i in np.flatnonzero(label == j)] for j in range(k) if np.any(label == j)]


def share_vehicles(
    vehicles: list[int], sectors: list[list[Unit]], day: Day, capability: Mapping[int, float]
) -> list[list[int]]:
    """Each sector at least one vehicle, then the rest by need, nearest base first."""
    need = [sum(u.need for u in s) for s in sectors]
    total_w = sum(capability[v] for v in vehicles)
    total_need = sum(need) or 1
    target = [total_w * n / total_need for n in need]
    have = [0.0] * len(sectors)
    out: list[list[int]] = [[] for _ in sectors]
    centres = [_centroid([u.location for u in s]) for s in sectors]
    free = sorted(vehicles, key=lambda v: day.vehicles[v].id)
    while free:
        empty = [i for i in range(len(sectors)) if not out[i]]
        if empty:
            i = max(empty, key=lambda i: (need[i], -i))
        else:
            i = max(range(len(sectors)), key=lambda i: (target[i] - have[i], -i))
        able = [v for v in free if serves_any(day, v, [u.job for u in sectors[i]])] or free
        v = min(
            able,
            key=lambda v: (
                distance_m(day.locations[day.vehicles[v].loc], centres[i]),
                day.vehicles[v].id,
            ),
        )
        free.remove(v)
        out[i].append(v)
        have[i] += capability[v]
    return out


def post_of(day: Day, vehicles: Sequence[int], units: list[Unit]) -> Location:
    """Where an area's officers set out from: the base of most of its vehicles."""
    if not vehicles:
        return _centroid([u.location for u in units])
    counts = Counter(day.vehicles[v].loc for v in vehicles)
    return day.locations[min(counts, key=lambda b: (-counts[b], b))]


def _areas(day: Day, units: list[Unit], rebalance: bool) -> list[_Draft]:
    """Stops and vehicles by area; a stop or base outside every area joins the nearest."""
    b_area = base_areas(day, units)
    named = sorted({u.area for u in units if u.area})
    centre = {a: _centroid([u.location for u in units if u.area == a]) for a in named}
    by_area: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        area = u.area
        if not area and centre:  # no kecamatan given: the area of the nearest base
            nearest = min(b_area, key=lambda b: (distance_m(day.locations[b], u.location), b))
            area = b_area[nearest]
        by_area[area].append(u)
    drafts = [_Draft(a, a, us) for a, us in sorted(by_area.items())]
    index = {d.area: d for d in drafts}
    stops = {d.area: [u.job for u in d.units] for d in drafts}
    for v in sorted(range(len(day.vehicles)), key=lambda v: day.vehicles[v].id):
        area = hard_area(day, v, stops) or b_area.get(day.vehicles[v].loc, "")
        if area not in index:  # a base outside every area: the area nearest to it
            at = day.locations[day.vehicles[v].loc]
            area = min(
                index,
                key=lambda a: (distance_m(at, _centroid([u.location for u in index[a].units])), a),
            )
        index[area].vehicles.append(v)
    if rebalance:
        _rebalance(
            drafts, day, {v: vehicle_capability(day.vehicles[v]) for v in range(len(day.vehicles))}
        )
    return drafts


def decompose(
    day: Day,
    assigned: Mapping[int, int],
    part_size: int = 250,
    method: Method = "sweep",
    rebalance: bool = True,
    seed: int = 0,
) -> list[PartSpec]:
    """Cut the jobs of ``day`` the allocation offers (``assigned``: job → depot) and its
    vehicles into parts of about ``part_size`` households (see module doc)."""
    units = units_of(day, sorted(assigned))
    if not units:
        return []
    capability = {v: vehicle_capability(day.vehicles[v]) for v in range(len(day.vehicles))}
    parts: list[_Draft] = []
    for d in _areas(day, units, rebalance):
        k = min(math.ceil(d.households / part_size), len(d.vehicles))
        if not d.vehicles or k <= 1 or len(d.units) < 2:
            # No vehicle anywhere near: kept as a part so its households get their reason.
            parts.append(d)
            continue
        post = post_of(day, d.vehicles, d.units)
        pieces = sweep(d.units, post, k) if method == "sweep" else _kmeans(d.units, k, seed)
        shares = share_vehicles(d.vehicles, pieces, day, capability)
        for i, (us, vs) in enumerate(zip(pieces, shares, strict=True)):
            parts.append(_Draft(f"{d.area or 'area'}#{i + 1}", d.area, us, vs))
    _move_to_a_capable_part(day, assigned, parts)
    _keep_families(day, parts)
    return [_spec(day, d) for d in parts if d.units or d.vehicles]


def _keep_families(day: Day, parts: Sequence[_Draft]) -> None:
    """All visits of a household or group go to the part that holds most of them."""
    where: dict[str, Counter[int]] = defaultdict(Counter)
    for k, d in enumerate(parts):
        for u in d.units:
            where[day.jobs[u.job].family][k] += 1
    for family, counts in where.items():
        if len(counts) < 2 or not family:
            continue
        home = min(counts, key=lambda k: (-counts[k], k))
        for k in counts:
            if k == home:
                continue
            moving = [u for u in parts[k].units if day.jobs[u.job].family == family]
            parts[k].units[:] = [u for u in parts[k].units if u not in moving]
            parts[home].units.extend(moving)


def _move_to_a_capable_part(day: Day, assigned: Mapping[int, int], parts: list[_Draft]) -> None:
    """A stop no vehicle of its part can serve (too big for the part's motorbikes, a
    source they may not load at) goes to the nearest part with a vehicle that can:
    otherwise it would be dropped for "fleet" while the right van stands elsewhere."""
    centres = [_centroid([u.location for u in d.units]) if d.units else None for d in parts]
    for d in parts:
        for u in list(d.units):
            if any(can_serve(day, v, u.job, assigned[u.job]) for v in d.vehicles):
                continue
            able = [
                k
                for k, other in enumerate(parts)
                if other is not d
                and any(can_serve(day, v, u.job, assigned[u.job]) for v in other.vehicles)
            ]
            if not able:
                continue
            k = min(able, key=lambda k: (distance_m(centres[k] or u.location, u.location), k))
            d.units.remove(u)
            parts[k].units.append(u)


def _spec(day: Day, d: _Draft) -> PartSpec:
    """The part of a draft; one left with vehicles only is placed at their bases."""
    spots = [u.location for u in d.units] or [
        day.locations[day.vehicles[v].loc] for v in d.vehicles
    ]
    return PartSpec(
        key=d.key or "all",
        area=d.area,
        vehicles=tuple(sorted(d.vehicles)),
        jobs=tuple(sorted(u.job for u in d.units)),
        centroid=_centroid(spots),
    )


def halves(day: Day, part: PartSpec) -> list[PartSpec]:
    """Split one part in two by sweep (for a part the solver could not cope with)."""
    units = units_of(day, part.jobs)
    if len(units) < 2 or len(part.vehicles) < 2:
        return [part]
    capability = {v: vehicle_capability(day.vehicles[v]) for v in part.vehicles}
    pieces = sweep(units, post_of(day, part.vehicles, units), 2)
    shares = share_vehicles(list(part.vehicles), pieces, day, capability)
    drafts = [
        _Draft(f"{part.key}/{i + 1}", part.area, us, vs)
        for i, (us, vs) in enumerate(zip(pieces, shares, strict=True))
    ]
    _keep_families(day, drafts)
    return [_spec(day, d) for d in drafts]


def with_jobs(part: PartSpec, extra: Sequence[int]) -> PartSpec:
    """``part`` offered more jobs (boundary repair)."""
    return PartSpec(
        part.key + "+", part.area, part.vehicles, tuple(sorted({*part.jobs, *extra})), part.centroid
    )

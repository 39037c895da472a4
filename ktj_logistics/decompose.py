"""Split a large day into parts that the ordinary pipeline can plan one by one.

One OR-Tools model of thousands of households is slow and needs gigabytes (its matrices
grow with the square of the stops). The work is organised by Polsek area anyway — each
kecamatan has its own officers and posts — so a day is cut the same way:

1. **areas**: households by their ``kecamatan``; a vehicle belongs to the area its base
   sits in (the kecamatan most common among the households nearest to the base);
2. **sectors**: an area with more than ``part_size`` households is cut into angular sweep
   sectors of about ``part_size`` households around its post (or k-means clusters, kept
   to compare the two on real data);
3. **vehicles** are moved between areas only when an area has much less fleet than its
   share of the need, and shared among an area's sectors in proportion to need;
4. **stock** is reserved household by household, most urgent first, at the nearest
   source that may supply it (as the supply stage does for a whole day); what is left is
   shared in proportion to need. The parts' stock never adds up to more than the input's.

A stop group (a building's lobby) is never cut: its households travel together. Only
coordinates, counts and ids are used here; no matrix over the whole city is built.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .model import Household, Location, Scenario, SupplySource, Vehicle
from .shape import Shaped

Method = Literal["sweep", "kmeans"]
_M_PER_DEG = 111_320.0
BASE_AREA_NEIGHBOURS = 15
"""How many nearby households decide which area a base (and its vehicles) belongs to."""
REBALANCE_BELOW = 0.6
"""An area whose fleet is below this share of its fair part (by need) borrows vehicles."""


@dataclass(frozen=True)
class Unit:
    """What cannot be split: one household, or a stop group's households."""

    key: str
    household_ids: tuple[str, ...]
    location: Location
    area: str
    need: int  # packages of every item
    priority: float


@dataclass(frozen=True)
class Part:
    """One piece of the day: an ordinary scenario the pipeline can plan."""

    key: str
    area: str
    scenario: Scenario
    centroid: Location

    @property
    def household_ids(self) -> list[str]:
        return [h.id for h in self.scenario.households]


@dataclass
class _Draft:
    key: str
    area: str
    units: list[Unit]
    vehicles: list[Vehicle] = field(default_factory=list)

    @property
    def need(self) -> int:
        return sum(u.need for u in self.units)

    @property
    def households(self) -> int:
        return sum(len(u.household_ids) for u in self.units)


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


def vehicle_capability(v: Vehicle) -> float:
    """Rough work a vehicle can do in a day: shift hours, more for bigger loads per trip."""
    start, end = v.shift.as_seconds()
    return (end - start) / 3600.0 * math.sqrt(min(v.capacity_packages, 16))


def units_of(scenario: Scenario, shaped: Shaped) -> list[Unit]:
    """Households and stop groups as indivisible units, in input order."""
    by_id = {h.id: h for h in scenario.households}
    out: list[Unit] = []
    done: set[str] = set()
    for h in scenario.households:
        if h.id in done:
            continue
        group_key = shaped.households[h.id].group
        if group_key is not None:
            g = shaped.groups[group_key]
            members = [by_id[i] for i in g.household_ids]
            key, loc = f"group:{g.key}", g.location
        else:
            members, key, loc = [h], h.id, h.location
        done.update(m.id for m in members)
        out.append(
            Unit(
                key=key,
                household_ids=tuple(m.id for m in members),
                location=loc,
                area=_area_name(members[0]),
                need=sum(sum(m.demand().values()) for m in members),
                priority=max(shaped.households[m.id].priority for m in members),
            )
        )
    return out


def _area_name(h: Household) -> str:
    return " ".join(h.kecamatan.upper().split())


def base_areas(scenario: Scenario, units: Sequence[Unit]) -> dict[str, str]:
    """Each base's area: the kecamatan most common among the households nearest to it."""
    known = [u for u in units if u.area]
    if not known:
        return {b.id: "" for b in scenario.bases}
    origin = _centroid([u.location for u in known])
    xy = _xy([u.location for u in known], origin)
    out: dict[str, str] = {}
    for b in scenario.bases:
        d = np.hypot(*(xy - _xy([b.location], origin)[0]).T)
        nearest = np.argsort(d, kind="stable")[:BASE_AREA_NEIGHBOURS]
        votes = Counter(known[i].area for i in nearest)
        out[b.id] = min(votes, key=lambda a: (-votes[a], a))
    return out


def _rebalance(
    drafts: list[_Draft], bases: Mapping[str, Location], capability: Mapping[str, float]
) -> None:
    """Lend vehicles to areas far below their fair share of the fleet (by need)."""
    total_w = sum(capability[v.id] for d in drafts for v in d.vehicles)
    total_need = sum(d.need for d in drafts) or 1

    def ratio(d: _Draft, extra: float = 0.0) -> float:
        target = total_w * d.need / total_need
        have = sum(capability[v.id] for v in d.vehicles) + extra
        return have / target if target > 0 else math.inf

    for _ in range(sum(len(d.vehicles) for d in drafts)):
        poor = min(drafts, key=lambda d: (ratio(d), d.key))
        if ratio(poor) >= REBALANCE_BELOW:
            return
        centre = _centroid([u.location for u in poor.units])
        best: tuple[float, str, _Draft, Vehicle] | None = None
        for d in drafts:
            if d is poor:
                continue
            for v in d.vehicles:
                w = capability[v.id]
                if ratio(d, -w) < ratio(poor, w):
                    continue  # lending it would leave the lender worse off than the borrower
                dist = float(np.hypot(*_xy([bases[v.base]], centre)[0]))
                if best is None or (dist, v.id) < (best[0], best[1]):
                    best = (dist, v.id, d, v)
        if best is None:
            return
        _, _, lender, v = best
        lender.vehicles.remove(v)
        poor.vehicles.append(v)


def _sweep(units: list[Unit], centre: Location, k: int) -> list[list[Unit]]:
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
    sizes = np.array([len(units[i].household_ids) for i in order])
    cum = np.cumsum(sizes)
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


def _share_vehicles(
    area_vehicles: list[Vehicle],
    sectors: list[list[Unit]],
    bases: Mapping[str, Location],
    capability: Mapping[str, float],
) -> list[list[Vehicle]]:
    """Each sector at least one vehicle, then the rest by need, nearest base first."""
    need = [sum(u.need for u in s) for s in sectors]
    total_w = sum(capability[v.id] for v in area_vehicles)
    total_need = sum(need) or 1
    target = [total_w * n / total_need for n in need]
    have = [0.0] * len(sectors)
    out: list[list[Vehicle]] = [[] for _ in sectors]
    centres = [_centroid([u.location for u in s]) for s in sectors]
    free = sorted(area_vehicles, key=lambda v: v.id)
    while free:
        empty = [i for i in range(len(sectors)) if not out[i]]
        if empty:
            i = max(empty, key=lambda i: (need[i], -i))
        else:
            i = max(range(len(sectors)), key=lambda i: (target[i] - have[i], -i))
        v = min(
            free,
            key=lambda v: (float(np.hypot(*_xy([bases[v.base]], centres[i])[0])), v.id),
        )
        free.remove(v)
        out[i].append(v)
        have[i] += capability[v.id]
    return out


def _post(
    vehicles: Sequence[Vehicle], bases: Mapping[str, Location], units: list[Unit]
) -> Location:
    """Where an area's officers set out from: the base of most of its vehicles."""
    if not vehicles:
        return _centroid([u.location for u in units])
    counts = Counter(v.base for v in vehicles)
    return bases[min(counts, key=lambda b: (-counts[b], b))]


def _split_stock(
    scenario: Scenario, drafts: list[_Draft], units: list[Unit]
) -> list[dict[str, dict[str, int]]]:
    """Per part, per source: its stock. Reserved nearest-first by priority, rest by need."""
    by_id = {h.id: h for h in scenario.households}
    part_of = {u.key: p for p, d in enumerate(drafts) for u in d.units}
    sources = scenario.sources
    left = [dict(s.stock) for s in sources]
    out: list[dict[str, dict[str, int]]] = [
        {s.id: dict.fromkeys(s.stock, 0) for s in sources} for _ in drafts
    ]
    if not units:
        return out
    origin = _centroid([u.location for u in units])
    src_xy = _xy([s.location for s in sources], origin)
    unit_xy = _xy([u.location for u in units], origin)
    demand_of = {u.key: _sum_demand([by_id[h] for h in u.household_ids]) for u in units}
    allowed = {
        u.key: [
            k for k, s in enumerate(sources) if _earmark_ok(s, [by_id[h] for h in u.household_ids])
        ]
        for u in units
    }
    order = sorted(range(len(units)), key=lambda i: (-units[i].priority, units[i].key))
    for i in order:
        u = units[i]
        dem = demand_of[u.key]
        if not dem:
            continue
        ok = [k for k in allowed[u.key] if all(left[k].get(it, 0) >= n for it, n in dem.items())]
        if not ok:
            continue
        d = np.hypot(*(src_xy[ok] - unit_xy[i]).T)
        k = ok[int(np.argmin(d))]
        for it, n in dem.items():
            left[k][it] -= n
            out[part_of[u.key]][sources[k].id][it] += n
    # What nobody reserved is shared by need among the parts the source may supply.
    for k, s in enumerate(sources):
        for it, spare in left[k].items():
            if spare <= 0:
                continue
            weights = [0] * len(drafts)
            for u in units:
                if k in allowed[u.key]:
                    weights[part_of[u.key]] += demand_of[u.key].get(it, 0)
            for p, n in enumerate(_largest_remainder(spare, weights)):
                out[p][s.id][it] += n
    return out


def _sum_demand(members: Sequence[Household]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for m in members:
        total.update(m.demand())
    return dict(total)


def _earmark_ok(source: SupplySource, members: Sequence[Household]) -> bool:
    return source.earmark is None or all(source.earmark.allows(m) for m in members)


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (integers summing to ``total``)."""
    s = sum(weights)
    if s <= 0:
        return [0] * len(weights)
    exact = [total * w / s for w in weights]
    base = [math.floor(x) for x in exact]
    rest = total - sum(base)
    by_rem = sorted(range(len(weights)), key=lambda i: (-(exact[i] - base[i]), i))
    for i in by_rem[:rest]:
        base[i] += 1
    return base


def decompose(
    scenario: Scenario,
    shaped: Shaped,
    part_size: int = 250,
    method: Method = "sweep",
    rebalance: bool = True,
) -> list[Part]:
    """Cut ``scenario`` into parts of about ``part_size`` households (see module doc)."""
    units = units_of(scenario, shaped)
    bases = {b.id: b.location for b in scenario.bases}
    capability = {v.id: vehicle_capability(v) for v in scenario.vehicles}
    b_area = base_areas(scenario, units)
    areas = sorted({u.area for u in units})
    by_area: dict[str, list[Unit]] = defaultdict(list)
    if not units:
        return []
    area_centre = {a: _centroid([u.location for u in units if u.area == a]) for a in areas if a}
    for u in units:
        area = u.area
        if not area and area_centre:  # no kecamatan given: the area of the nearest base
            area = b_area[_nearest(u.location, scenario.bases)]
        by_area[area].append(u)
    drafts = [_Draft(a, a, us) for a, us in sorted(by_area.items())]
    index = {d.area: d for d in drafts}
    for v in sorted(scenario.vehicles, key=lambda v: v.id):
        area = b_area.get(v.base, "")
        if area not in index:  # a base outside every area: the area nearest to it
            area = min(
                index,
                key=lambda a: (
                    float(
                        np.hypot(
                            *_xy([bases[v.base]], _centroid([u.location for u in index[a].units]))[
                                0
                            ]
                        )
                    ),
                    a,
                ),
            )
        index[area].vehicles.append(v)
    if rebalance:
        _rebalance(drafts, bases, capability)
    parts: list[_Draft] = []
    for d in drafts:
        if not d.vehicles:
            # No vehicle anywhere near: kept as a part so its households get their reason.
            parts.append(d)
            continue
        k = min(math.ceil(d.households / part_size), len(d.vehicles))
        if k <= 1 or len(d.units) < 2:
            parts.append(d)
            continue
        post = _post(d.vehicles, bases, d.units)
        pieces = (
            _sweep(d.units, post, k)
            if method == "sweep"
            else _kmeans(d.units, k, scenario.settings.seed)
        )
        shares = _share_vehicles(d.vehicles, pieces, bases, capability)
        for i, (us, vs) in enumerate(zip(pieces, shares, strict=True)):
            parts.append(_Draft(f"{d.area or 'area'}#{i + 1}", d.area, us, vs))
    stock = _split_stock(scenario, parts, units)
    return [_materialise(scenario, d, s) for d, s in zip(parts, stock, strict=True)]


def _nearest(loc: Location, bases: Sequence[object]) -> str:
    from .model import Base

    bs = [b for b in bases if isinstance(b, Base)]
    xy = _xy([b.location for b in bs], loc)
    return bs[int(np.argmin(np.hypot(xy[:, 0], xy[:, 1])))].id


def _materialise(scenario: Scenario, d: _Draft, stock: dict[str, dict[str, int]]) -> Part:
    ids = {h for u in d.units for h in u.household_ids}
    households = [h for h in scenario.households if h.id in ids]
    used_bases = {v.base for v in d.vehicles}
    bases = [b for b in scenario.bases if b.id in used_bases] or [scenario.bases[0]]
    vehicles = d.vehicles or []
    sources = [s.model_copy(update={"stock": stock[s.id]}) for s in scenario.sources]
    part = scenario.model_copy(
        update={
            "name": f"{scenario.name} [{d.key or 'all'}]",
            "households": households,
            "vehicles": vehicles,
            "bases": bases,
            "sources": sources,
        }
    )
    return Part(d.key or "all", d.area, part, _centroid([u.location for u in d.units]))


def with_households(
    part: Part, extra: Sequence[Household], extra_stock: Mapping[str, Mapping[str, int]]
) -> Part:
    """``part`` given more households and more stock (boundary repair)."""
    sc = part.scenario
    sources = [
        s.model_copy(
            update={
                "stock": {
                    it: s.stock.get(it, 0) + extra_stock.get(s.id, {}).get(it, 0)
                    for it in {*s.stock, *extra_stock.get(s.id, {})}
                }
            }
        )
        for s in sc.sources
    ]
    scenario = sc.model_copy(update={"households": [*sc.households, *extra], "sources": sources})
    return Part(part.key + "+", part.area, scenario, part.centroid)


def halves(part: Part, shaped: Shaped) -> list[Part]:
    """Split one part in two by sweep (for a part the solver could not cope with)."""
    sc = part.scenario
    units = units_of(sc, shaped)
    if len(units) < 2 or len(sc.vehicles) < 2:
        return [part]
    bases = {b.id: b.location for b in sc.bases}
    capability = {v.id: vehicle_capability(v) for v in sc.vehicles}
    post = _post(sc.vehicles, bases, units)
    pieces = _sweep(units, post, 2)
    shares = _share_vehicles(list(sc.vehicles), pieces, bases, capability)
    drafts = [
        _Draft(f"{part.key}/{i + 1}", part.area, us, vs)
        for i, (us, vs) in enumerate(zip(pieces, shares, strict=True))
    ]
    stock = _split_stock(sc, drafts, units)
    return [_materialise(sc, d, s) for d, s in zip(drafts, stock, strict=True)]


def matrix_points(part: Part) -> int:
    """Points in the part's travel matrix: bases, sources and households (groups count once)."""
    sc = part.scenario
    return len(sc.bases) + len(sc.sources) + len(sc.households)

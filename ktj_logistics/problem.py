"""Freeze a shaped scenario into a solver-neutral ``Problem`` of integers.

A ``Problem`` holds jobs (a household, or a group delivered in one stop), depots (supply
sources as loading places), vehicles and integer matrices. Jobs that no vehicle could
serve whatever the solver did are set aside here with their reason, so the solver only
sees work it can actually plan and every unserved household has a true explanation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .model import Household, Location, Scenario, VehicleKind
from .plan import UnservedReason
from .shape import Shaped
from .supply import allocate
from .travel import TravelModel

PRIORITY_GROWTH = 1.1
"""Drop penalty factor per priority point (capped at 120 points)."""


@dataclass(frozen=True)
class Job:
    id: str
    household_ids: tuple[str, ...]
    label: str
    loc: int
    demand: tuple[int, ...]  # per item, in Problem.items order
    weight_g: int
    service_s: int
    extra_service_s: Mapping[VehicleKind, int]
    windows: tuple[tuple[int, int], ...]
    kinds: frozenset[VehicleKind]
    priority: float

    @property
    def parcels(self) -> int:
        return sum(self.demand)


@dataclass(frozen=True)
class Depot:
    id: str
    loc: int
    window: tuple[int, int]
    loading_s: int
    stock: tuple[int, ...]
    kinds: frozenset[VehicleKind]


@dataclass(frozen=True)
class VehicleSpec:
    id: str
    kind: VehicleKind
    loc: int
    shift: tuple[int, int]
    cap_parcels: int
    cap_weight_g: int
    speed_kmh: float
    profile: int
    depots: frozenset[int]
    max_trips: int | None


@dataclass(frozen=True)
class Excluded:
    reason: UnservedReason
    detail: str
    short_items: tuple[str, ...] = ()  # for stock_shortfall: the items that ran out


@dataclass(frozen=True, eq=False)
class Problem:
    """Everything the solver needs, as integers; built once, never changed."""

    items: tuple[str, ...]
    locations: tuple[Location, ...]
    distance: np.ndarray
    durations: tuple[np.ndarray, ...]  # one per profile (speed)
    speeds: tuple[float, ...]
    depots: tuple[Depot, ...]
    vehicles: tuple[VehicleSpec, ...]
    jobs: tuple[Job, ...]  # all jobs, planned or not
    assigned: Mapping[int, int]  # job index -> depot index, for jobs offered to the solver
    penalties: Mapping[int, int]
    excluded: Mapping[int, Excluded]
    objective: str = "duration"

    def vehicles_for(self, j: int) -> list[int]:
        """Vehicles that may serve job ``j`` from its assigned depot."""
        job, depot = self.jobs[j], self.assigned[j]
        return [
            v
            for v, spec in enumerate(self.vehicles)
            if spec.kind in job.kinds and depot in spec.depots
        ]

    def service_s(self, j: int, kind: VehicleKind) -> int:
        job = self.jobs[j]
        return job.service_s + job.extra_service_s.get(kind, 0)

    def travel_s(self, a: int, b: int, profile: int) -> int:
        return int(self.durations[profile][a, b])


def _jobs(
    scenario: Scenario, shaped: Shaped, loc_of: dict[str, int], items: list[str]
) -> list[Job]:
    weights = {k: round(v.weight_kg * 1000) for k, v in scenario.settings.items.items()}
    by_id = {h.id: h for h in scenario.households}
    done: set[str] = set()
    jobs: list[Job] = []

    def demand_of(members: list[Household]) -> tuple[int, ...]:
        total = dict.fromkeys(items, 0)
        for h in members:
            for item, n in h.demand().items():
                total[item] += n
        return tuple(total[i] for i in items)

    for h in scenario.households:
        if h.id in done:
            continue
        s = shaped.households[h.id]
        if s.group is not None:
            g = shaped.groups[s.group]
            members = [by_id[i] for i in g.household_ids]
            shapes = [shaped.households[i] for i in g.household_ids]
            kinds = frozenset.intersection(*(x.allowed_kinds for x in shapes))
            windows: list[tuple[int, int]] | None = (
                [w.as_seconds() for w in g.time_windows] if g.time_windows else None
            )
            conflict = False
            for x in shapes:
                if x.window_conflict:
                    conflict = True
                if x.windows_s:
                    windows = _intersect(windows, list(x.windows_s))
            if windows is not None and not windows:
                conflict = True
            extra: dict[VehicleKind, int] = {}
            for x in shapes:
                for k, v in x.extra_service_s.items():
                    extra[k] = max(extra.get(k, 0), v)
            job = Job(
                id=g.key,
                household_ids=tuple(g.household_ids),
                label=g.label,
                loc=loc_of[f"job:{g.key}"],
                demand=demand_of(members),
                weight_g=0,
                service_s=g.setup_s + sum(x.service_s for x in shapes),
                extra_service_s=extra,
                windows=tuple(windows or ()) if not conflict else ((0, 0),),
                kinds=kinds,
                priority=max(x.priority for x in shapes),
            )
            done.update(g.household_ids)
        else:
            job = Job(
                id=h.id,
                household_ids=(h.id,),
                label=h.id,
                loc=loc_of[f"job:{h.id}"],
                demand=demand_of([h]),
                weight_g=0,
                service_s=s.service_s,
                extra_service_s=dict(s.extra_service_s),
                windows=s.windows_s if not s.window_conflict else ((0, 0),),
                kinds=s.allowed_kinds,
                priority=s.priority,
            )
            done.add(h.id)
        weight = sum(n * weights[i] for n, i in zip(job.demand, items, strict=True))
        jobs.append(_with_weight(job, weight))
    return jobs


def _with_weight(job: Job, weight_g: int) -> Job:
    from dataclasses import replace

    return replace(job, weight_g=weight_g)


def _intersect(a: list[tuple[int, int]] | None, b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if a is None:
        return sorted(b)
    out = [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b]
    return sorted((s, e) for s, e in out if s < e)


def build_problem(scenario: Scenario, shaped: Shaped, travel: TravelModel) -> Problem:
    """Scenario + plugin answers + travel model → frozen ``Problem``."""
    st = scenario.settings
    items = list(st.items)
    locations: list[Location] = []
    loc_of: dict[str, int] = {}

    def add(key: str, loc: Location) -> None:
        loc_of[key] = len(locations)
        locations.append(loc)

    for b in scenario.bases:
        add(f"base:{b.id}", b.location)
    for s in scenario.sources:
        add(f"source:{s.id}", s.location)
    grouped: set[str] = set()
    for key, g in shaped.groups.items():
        add(f"job:{key}", g.location)
        grouped.update(g.household_ids)
    for h in scenario.households:
        if h.id not in grouped:
            add(f"job:{h.id}", h.location)

    distance = travel.distances(locations)
    speeds = sorted({v.effective_speed_kmh() for v in scenario.vehicles})
    durations = tuple(travel.durations(distance, sp) for sp in speeds)

    depots = tuple(
        Depot(
            id=s.id,
            loc=loc_of[f"source:{s.id}"],
            window=s.load_window_s(),
            loading_s=round(s.loading_minutes * 60),
            stock=tuple(s.stock.get(i, 0) for i in items),
            kinds=frozenset(s.vehicle_kinds) if s.vehicle_kinds else frozenset(VehicleKind),
        )
        for s in scenario.sources
    )
    vehicles: list[VehicleSpec] = []
    for v in scenario.vehicles:
        allowed = {
            k
            for k, d in enumerate(depots)
            if v.kind in d.kinds and (not v.sources or d.id in v.sources)
        }
        base_loc = loc_of[f"base:{v.base}"]
        vehicles.append(
            VehicleSpec(
                id=v.id,
                kind=v.kind,
                loc=base_loc,
                shift=v.shift.as_seconds(),
                cap_parcels=v.capacity_packages,
                cap_weight_g=round(v.capacity_kg * 1000),
                speed_kmh=v.effective_speed_kmh(),
                profile=speeds.index(v.effective_speed_kmh()),
                depots=frozenset(allowed),
                max_trips=v.max_trips,
            )
        )
    jobs = _jobs(scenario, shaped, loc_of, items)
    alloc = allocate(scenario, jobs, depots, vehicles, distance, durations)
    # A drop must cost more than any single household can add to the objective (a
    # separate trip out and back, counted by arc cost and by route span, plus loading
    # and handover), so the solver never leaves out work it could do.
    cost = durations[0] if st.coordinates == "wgs84" else distance
    longest = int(cost.max()) if cost.size else 0
    handling = max((d.loading_s for d in depots), default=0) + max(
        (j.service_s for j in jobs), default=0
    )
    base = 4 * longest + 2 * handling + 3600
    # Urgency weighs steeply: ten points more is worth 2.6 times as much, so when fleet
    # time runs short the officers' time goes to the most urgent, not to whichever
    # households happen to be nearest.
    penalties = {
        j: int(st.penalty_scale * base * PRIORITY_GROWTH ** min(jobs[j].priority, 120.0))
        for j in alloc.assigned
    }
    return Problem(
        items=tuple(items),
        locations=tuple(locations),
        distance=distance,
        durations=durations,
        speeds=tuple(speeds),
        depots=depots,
        vehicles=tuple(vehicles),
        jobs=tuple(jobs),
        assigned=alloc.assigned,
        penalties=penalties,
        excluded=alloc.excluded,
        objective="duration" if st.coordinates == "wgs84" else "distance",
    )

"""The day as the solver sees it: stops, sources and vehicles as integers.

``day_of`` freezes a shaped scenario into a ``Day``: its ``Job``s (``_jobs.py``: a
household, or units of a group delivered together, maybe one of several visits), one
``Depot`` per supply source, one
``VehicleSpec`` per vehicle, and the places they refer to. A ``Day`` has no travel costs;
``priced`` turns it (or one part of it, ``Day.part``) into a ``Problem`` with matrices,
the depot each planned job loads at and its drop penalty. Nothing here imports a solver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ._area import OfficerArea
from ._cost import Costs, Profile, TravelModel
from ._jobs import Job, first_start, jobs_of
from ._kinds import VehicleKind, VehicleRole
from ._scenario import Location, Scenario
from ._shape import Shaped

__all__ = [
    "Day",
    "Depot",
    "Job",
    "Problem",
    "VehicleSpec",
    "day_of",
    "first_start",
    "priced",
]

PRIORITY_GROWTH = 1.1
"""Drop penalty factor per priority point (capped at 120 points)."""


@dataclass(frozen=True)
class Depot:
    """A supply source as a loading place."""

    id: str
    label: str
    loc: int
    window: tuple[int, int]
    loading_s: int
    stock: tuple[int, ...]
    kinds: frozenset[VehicleKind]
    origin: str = ""  # at a hub: the source its staged stock came from; "": a source


@dataclass(frozen=True)
class AreaRule:
    """Where a vehicle may deliver (``_area.OfficerArea`` as place keys)."""

    keys: frozenset[str]
    hard: bool
    penalty_s: int  # soft: cost of each stop outside, in objective units

    def covers(self, job: Job) -> bool:
        return bool(self.keys & job.places)


@dataclass(frozen=True)
class VehicleSpec:
    id: str
    kind: VehicleKind
    officer: str
    base_id: str
    base_label: str
    loc: int
    shift: tuple[int, int]
    cap_parcels: int
    cap_weight_g: int
    profile: Profile
    depots: frozenset[int]  # depots (by index) it may load at
    max_trips: int | None
    start_loc: int | None = None  # where its route begins when not at its base (replan)
    start_label: str = ""
    area: AreaRule | None = None
    max_distance_m: int | None = None  # the most it may ride in the day

    @property
    def start(self) -> int:
        """The place its route begins: its base, or where a re-plan found it."""
        return self.loc if self.start_loc is None else self.start_loc

    def may_serve(self, job: Job) -> bool:
        """Its kind is allowed at ``job`` and a hard area (if any) covers it."""
        if self.kind not in job.kinds:
            return False
        return self.area is None or not self.area.hard or self.area.covers(job)


@dataclass(frozen=True, eq=False)
class Day:
    """The whole day (or one part of it) before travel is priced."""

    items: tuple[str, ...]
    locations: tuple[Location, ...]
    jobs: tuple[Job, ...]
    depots: tuple[Depot, ...]
    vehicles: tuple[VehicleSpec, ...]
    objective: str  # "duration" (WGS 84 days) or "distance" (benchmark instances)
    penalty_scale: float
    issued: Mapping[int, str] = field(default_factory=dict)  # job -> vehicle id (replan)
    move_cost: int = 0  # objective units for a job served by another vehicle than issued

    def part(self, vehicles: Sequence[int], jobs: Sequence[int]) -> tuple[Day, dict[int, int]]:
        """Only ``vehicles`` and ``jobs`` (every depot kept), places renumbered; with the
        map from this day's job index to the part's."""
        locs: list[Location] = []
        new_loc: dict[int, int] = {}

        def keep(loc: int) -> int:
            if loc not in new_loc:
                new_loc[loc] = len(locs)
                locs.append(self.locations[loc])
            return new_loc[loc]

        vs = [_moved(self.vehicles[v], keep) for v in vehicles]
        ds = [replace(d, loc=keep(d.loc)) for d in self.depots]
        js = [replace(self.jobs[j], loc=keep(self.jobs[j].loc)) for j in jobs]
        index = {j: k for k, j in enumerate(jobs)}
        day = Day(
            self.items,
            tuple(locs),
            tuple(js),
            tuple(ds),
            tuple(vs),
            self.objective,
            self.penalty_scale,
            {index[j]: vid for j, vid in self.issued.items() if j in index},
            self.move_cost,
        )
        return day, index

    def profiles(self) -> tuple[Profile, ...]:
        return tuple(sorted({v.profile for v in self.vehicles}))

    def with_jobs(self, changed: Mapping[int, Job]) -> Day:
        """The same day with some jobs replaced (by index), e.g. cut to what is in stock."""
        if not changed:
            return self
        jobs = tuple(changed.get(j, job) for j, job in enumerate(self.jobs))
        return replace(self, jobs=jobs)


@dataclass(frozen=True, eq=False)
class Problem:
    """A ``Day`` priced for the solver; built once, never changed.

    ``assigned`` holds the jobs offered to the solver (job index → depot index); jobs
    the allocation set aside are not in it.
    """

    items: tuple[str, ...]
    locations: tuple[Location, ...]
    jobs: tuple[Job, ...]
    depots: tuple[Depot, ...]
    vehicles: tuple[VehicleSpec, ...]
    cost: Mapping[Profile, Costs]
    assigned: Mapping[int, int]
    penalties: Mapping[int, int]
    objective: str = "duration"
    issued: Mapping[int, str] = field(default_factory=dict)
    """Job -> the vehicle id it had on the sheets already issued (a re-plan)."""
    move_cost: int = 0
    """Added to the objective for each issued job served by another vehicle."""

    def vehicles_for(self, j: int) -> list[int]:
        """Vehicles that may serve job ``j`` from its assigned depot."""
        job, depot = self.jobs[j], self.assigned[j]
        return [
            v
            for v, spec in enumerate(self.vehicles)
            if spec.may_serve(job) and depot in spec.depots
        ]

    def service_s(self, j: int, kind: VehicleKind) -> int:
        job = self.jobs[j]
        return job.service_s + job.extra_service_s.get(kind, 0)

    def duration(self, v: int) -> Costs:
        """The travel costs of vehicle ``v``'s profile."""
        return self.cost[self.vehicles[v].profile]

    @property
    def proximity(self) -> Costs:
        """Costs of one profile, for "which stops are near" questions (not for timing)."""
        return self.cost[min(self.cost)]

    def single_trip_depot(self) -> int | None:
        """The depot every vehicle loads at before leaving, when the day is one trip each.

        When all stock comes from one source at the vehicles' own base (the same place)
        and no vehicle may make a second trip — the classic CVRP/VRPTW shape — the
        solver loads vehicles at the start instead of modelling pickups.
        """
        depots = set(self.assigned.values())
        if len(depots) != 1:
            return None
        (k,) = depots
        loc = self.depots[k].loc
        for v in self.vehicles:
            same_place = v.loc == loc or int(self.proximity.distance[v.loc, loc]) == 0
            if v.max_trips != 1 or k not in v.depots or not same_place or v.start != v.loc:
                return None
        return k


def _moved(spec: VehicleSpec, keep: Callable[[int], int]) -> VehicleSpec:
    """``spec`` with its places renumbered by ``keep``."""
    start = None if spec.start_loc is None else keep(spec.start_loc)
    return replace(spec, loc=keep(spec.loc), start_loc=start)


def priced(day: Day, travel: TravelModel, assigned: Mapping[int, int]) -> Problem:
    """``day`` with travel matrices over all its places and drop penalties."""
    profiles = day.profiles()
    costs = dict(
        zip(profiles, travel.costs(list(day.locations), None, list(profiles)), strict=True)
    )
    # A drop must cost more than any single household can add to the objective (a
    # separate trip out and back, counted by arc cost and by route span, plus loading
    # and handover), so the solver never leaves out work it could do.
    longest = max(
        (
            int((c.duration if day.objective == "duration" else c.distance).max())
            for c in costs.values()
            if c.distance.size
        ),
        default=0,
    )
    handling = max((d.loading_s for d in day.depots), default=0) + max(
        (j.service_s for j in day.jobs), default=0
    )
    base = 4 * longest + 2 * handling + 3600
    # Urgency weighs steeply: ten points more is worth 2.6 times as much, so when fleet
    # time runs short the officers' time goes to the most urgent, not to whichever
    # households happen to be nearest.
    penalties = {
        j: int(day.penalty_scale * base * PRIORITY_GROWTH ** min(day.jobs[j].priority, 120.0))
        for j in assigned
    }
    return Problem(
        items=day.items,
        locations=day.locations,
        jobs=day.jobs,
        depots=day.depots,
        vehicles=day.vehicles,
        cost=costs,
        assigned=dict(assigned),
        penalties=penalties,
        objective=day.objective,
        issued=day.issued,
        move_cost=day.move_cost,
    )


def day_of(scenario: Scenario, shaped: Shaped) -> Day:
    """Scenario + plugin answers → the day's ``Day`` (places: bases, sources, stops)."""
    st = scenario.settings
    items = tuple(st.items)
    locations: list[Location] = []
    loc_of: dict[str, int] = {}

    def add(key: str, loc: Location) -> int:
        loc_of[key] = len(locations)
        locations.append(loc)
        return loc_of[key]

    for b in scenario.bases:
        add(f"base:{b.id}", b.location)
    depots = tuple(
        Depot(
            id=s.id,
            label=s.name or s.id,
            loc=add(f"source:{s.id}", s.location),
            window=s.load_window_s(),
            loading_s=round(s.loading_minutes * 60),
            stock=tuple(s.stock.get(i, 0) for i in items),
            kinds=frozenset(s.vehicle_kinds) if s.vehicle_kinds else frozenset(VehicleKind),
        )
        for s in scenario.sources
    )
    bases = scenario.base_by_id()
    vehicles = tuple(
        VehicleSpec(
            id=v.id,
            kind=v.kind,
            officer=v.officer,
            base_id=v.base,
            base_label=bases[v.base].name or v.base,
            loc=loc_of[f"base:{v.base}"],
            shift=v.shift.as_seconds(),
            cap_parcels=v.capacity_packages,
            cap_weight_g=round(v.capacity_kg * 1000),
            profile=Profile(v.kind, v.effective_speed_kmh()),
            depots=frozenset(
                k
                for k, d in enumerate(depots)
                if v.kind in d.kinds and (not v.sources or d.id in v.sources)
            ),
            max_trips=v.max_trips,
            start_loc=None
            if v.start is None
            else add(f"start:{v.id}", Location(lat=v.start.lat, lon=v.start.lon)),
            start_label=v.start.label if v.start else "",
            area=_area_rule(scenario.area_of(v)),
            max_distance_m=round(v.max_km * 1000) if v.max_km is not None else None,
        )
        for v in scenario.vehicles
    )
    trunk = {v.id for v in scenario.vehicles if v.role == VehicleRole.trunk}
    jobs = jobs_of(  # split by what the delivery fleet carries: trunk vehicles serve no one
        scenario,
        shaped,
        items,
        add,
        [
            (v.kind, v.cap_parcels, v.cap_weight_g, v.area.keys if v.area and v.area.hard else None)
            for v in vehicles
            if v.id not in trunk
        ],
    )
    issued = scenario.issued
    return Day(
        items=items,
        locations=tuple(locations),
        jobs=tuple(jobs),
        depots=depots,
        vehicles=vehicles,
        objective="duration" if st.coordinates == "wgs84" else "distance",
        penalty_scale=st.penalty_scale,
        issued={
            j: issued.vehicle_of[job.household_ids[0]]
            for j, job in enumerate(jobs)
            if issued and job.household_ids and job.household_ids[0] in issued.vehicle_of
        },
        move_cost=issued.move_cost_s if issued else 0,
    )


def _area_rule(area: OfficerArea | None) -> AreaRule | None:
    if area is None:
        return None
    return AreaRule(area.keys(), area.hard, round(area.penalty_minutes * 60))

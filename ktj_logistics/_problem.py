"""The day as the solver sees it: stops, sources and vehicles as integers.

``day_of`` freezes a shaped scenario into a ``Day``: one ``Job`` per stop (a household, or
a group of households delivered together), one ``Depot`` per supply source, one
``VehicleSpec`` per vehicle, and the places they refer to. A ``Day`` has no travel costs;
``priced`` turns it (or one part of it, ``Day.part``) into a ``Problem`` with matrices,
the depot each planned job loads at and its drop penalty. Nothing here imports a solver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ._area import OfficerArea, place_keys
from ._cost import Costs, Profile, TravelModel
from ._kinds import VehicleKind
from ._scenario import Household, Location, Scenario
from ._shape import Shaped, intersect

PRIORITY_GROWTH = 1.1
"""Drop penalty factor per priority point (capped at 120 points)."""


def first_start(windows: Sequence[tuple[int, int]], t: int) -> int | None:
    """Earliest service start at or after ``t`` within ``windows`` (None if none fits)."""
    if not windows:
        return t
    for s, e in sorted(windows):
        if t <= e:
            return max(t, s)
    return None


@dataclass(frozen=True)
class Job:
    """One stop: a household, or a group of households served together."""

    id: str
    household_ids: tuple[str, ...]
    label: str
    loc: int
    demand: tuple[int, ...]  # per item, in Day.items order
    weight_g: int
    service_s: int
    extra_service_s: Mapping[VehicleKind, int]
    windows: tuple[tuple[int, int], ...]  # empty: any time
    window_conflict: bool  # the windows of the stop (or of its members) do not overlap
    kinds: frozenset[VehicleKind]
    priority: float
    area: str  # kecamatan: where a large day is cut
    places: frozenset[str] = frozenset()  # place keys every household of the stop lies in

    @property
    def parcels(self) -> int:
        return sum(self.demand)


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
    area: AreaRule | None = None
    max_distance_m: int | None = None  # the most it may ride in the day

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

        vs = [replace(self.vehicles[v], loc=keep(self.vehicles[v].loc)) for v in vehicles]
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
        )
        return day, index

    def profiles(self) -> tuple[Profile, ...]:
        return tuple(sorted({v.profile for v in self.vehicles}))


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
            if v.max_trips != 1 or k not in v.depots or not same_place:
                return None
        return k


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
            area=_area_rule(scenario.area_of(v)),
            max_distance_m=round(v.max_km * 1000) if v.max_km is not None else None,
        )
        for v in scenario.vehicles
    )
    jobs = _jobs(scenario, shaped, items, add)
    return Day(
        items=items,
        locations=tuple(locations),
        jobs=tuple(jobs),
        depots=depots,
        vehicles=vehicles,
        objective="duration" if st.coordinates == "wgs84" else "distance",
        penalty_scale=st.penalty_scale,
    )


def _jobs(
    scenario: Scenario, shaped: Shaped, items: tuple[str, ...], add: Callable[[str, Location], int]
) -> list[Job]:
    """One job per stop group, and one per household outside any group."""
    weights = {k: round(v.weight_kg * 1000) for k, v in scenario.settings.items.items()}
    by_id = {h.id: h for h in scenario.households}
    done: set[str] = set()
    jobs: list[Job] = []
    for h in scenario.households:
        if h.id in done:
            continue
        s = shaped.households[h.id]
        if s.group is not None:
            g = shaped.groups[s.group]
            members = [by_id[i] for i in g.household_ids]
            shapes = [shaped.households[i] for i in g.household_ids]
            windows: list[tuple[int, int]] | None = (
                [w.as_seconds() for w in g.time_windows] if g.time_windows else None
            )
            conflict = any(x.window_conflict for x in shapes)
            for x in shapes:
                if x.windows_s:
                    windows = intersect(windows, list(x.windows_s))
            extra: dict[VehicleKind, int] = {}
            for x in shapes:
                for k, v in x.extra_service_s.items():
                    extra[k] = max(extra.get(k, 0), v)
            key, label, loc = g.key, g.label, g.location
            service = g.setup_s + sum(x.service_s for x in shapes)
            kinds = frozenset.intersection(*(x.allowed_kinds for x in shapes))
            priority = max(x.priority for x in shapes)
        else:
            members, key, label, loc = [h], h.id, h.id, h.location
            windows = list(s.windows_s) if s.windows_s else None
            conflict = s.window_conflict
            extra, service, kinds, priority = (
                dict(s.extra_service_s),
                s.service_s,
                s.allowed_kinds,
                s.priority,
            )
        conflict = conflict or (windows is not None and not windows)
        demand = _demand(members, items)
        done.update(m.id for m in members)
        jobs.append(
            Job(
                id=key,
                household_ids=tuple(m.id for m in members),
                label=label,
                loc=add(f"job:{key}", loc),
                demand=demand,
                weight_g=sum(n * weights[i] for n, i in zip(demand, items, strict=True)),
                service_s=service,
                extra_service_s=extra,
                windows=() if conflict else tuple(windows or ()),
                window_conflict=conflict,
                kinds=kinds,
                priority=priority,
                area=" ".join(members[0].kecamatan.upper().split()),
                places=frozenset.intersection(*(place_keys(m) for m in members)),
            )
        )
    return jobs


def _area_rule(area: OfficerArea | None) -> AreaRule | None:
    if area is None:
        return None
    return AreaRule(area.keys(), area.hard, round(area.penalty_minutes * 60))


def _demand(members: list[Household], items: tuple[str, ...]) -> tuple[int, ...]:
    total = dict.fromkeys(items, 0)
    for h in members:
        for item, n in h.demand().items():
            total[item] += n
    return tuple(total[i] for i in items)

"""Timed routes from visit sequences.

Times are recomputed here by a forward pass (earliest feasible schedule) from the
problem's matrices, so the plan's numbers do not depend on how a solver chose to report
its own time variables. A route that waits on the road for a window leaves the base
later instead, when that keeps every service at the same time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .._plan import Route, Stop, StopKind
from .._problem import Problem, first_start
from .._solve.types import Routes, Visit


class Served(NamedTuple):
    """Where and when one household gets (some of) its items: one visit."""

    vehicle_id: str
    trip: int
    stop_seq: int
    place_id: str
    arrival_s: int
    source_id: str
    job_id: str
    items: dict[str, int]


@dataclass
class Scheduled:
    """The timed routes of (part of) a day, and what they do for households and stock."""

    routes: list[Route] = field(default_factory=list)
    served: dict[str, list[Served]] = field(default_factory=dict)  # household -> visits
    loaded: dict[str, Counter[str]] = field(default_factory=dict)  # source id -> items

    def add(self, other: Scheduled) -> None:
        self.routes.extend(other.routes)
        for hid, visits in other.served.items():
            self.served.setdefault(hid, []).extend(visits)
        for sid, items in other.loaded.items():
            self.loaded.setdefault(sid, Counter()).update(items)


def start_place(vehicle_id: str) -> str:
    """The place id of a route's start away from its base (a re-plan during the day)."""
    return f"start:{vehicle_id}"


def _items(problem: Problem, amounts: tuple[int, ...]) -> dict[str, int]:
    return {i: n for i, n in zip(problem.items, amounts, strict=True) if n}


class _Pass:
    """One forward pass over a vehicle's visits: earliest service at each, in order."""

    def __init__(self, problem: Problem, v: int, leave: int) -> None:
        self.problem, self.spec = problem, problem.vehicles[v]
        self.cost = problem.cost[self.spec.profile]
        self.served: dict[str, list[Served]] = {}
        self.loaded: dict[str, Counter[str]] = {}
        self.t, self.prev, self.trip, self.on_board = leave, self.spec.start, 0, 0
        self.slack = 10**9  # of each service start before its window closes: bounds the delay
        self.waited: int | None = None  # the first wait on the road
        self.stops = [self._at_base(0, StopKind.start, leave, leave, 0, 0)]

    @property
    def delay(self) -> int:
        """How much later the vehicle could leave without changing any service time."""
        return max(0, self.waited or 0)

    def _at_base(self, seq: int, kind: StopKind, arrive: int, depart: int, m: int, s: int) -> Stop:
        away = kind == StopKind.start and self.spec.start != self.spec.loc  # a re-plan
        base = self.problem.locations[self.spec.start if away else self.spec.loc]
        return Stop(
            seq=seq,
            kind=kind,
            trip=self.trip,
            place_id=start_place(self.spec.id) if away else self.spec.base_id,
            label=self.spec.start_label if away else self.spec.base_label,
            lat=base.lat,
            lon=base.lon,
            arrival_s=arrive,
            departure_s=depart,
            distance_from_previous_m=m,
            travel_from_previous_s=s,
            load_after_packages=self.on_board,
        )

    def _timing(
        self, seq: int, here: int, windows: tuple[tuple[int, int], ...], service: int
    ) -> dict[str, Any]:
        """Arrival, wait and departure at place ``here``; tracks how late the start may be."""
        travel = int(self.cost.duration[self.prev, here])
        arrive = self.t + travel
        begin = first_start(windows, arrive)
        if begin is None:  # the verifier reports it; keep the arrival as is
            begin = arrive
        if self.waited is None and begin > arrive:
            self.waited = min(begin - arrive, self.slack)
        end_of_window = max((e for s_, e in windows if s_ <= begin <= e), default=begin)
        self.slack = min(self.slack, end_of_window - begin)
        at = self.problem.locations[here]
        return dict(
            seq=seq,
            trip=self.trip,
            lat=at.lat,
            lon=at.lon,
            arrival_s=arrive,
            departure_s=begin + service,
            wait_s=begin - arrive,
            service_s=service,
            distance_from_previous_m=int(self.cost.distance[self.prev, here]),
            travel_from_previous_s=travel,
        )

    def load(self, seq: int, vis: Visit, new_trip: bool) -> None:
        depot = self.problem.depots[vis.index]
        # As in the solver: loading is set up once per visit to a place.
        service = depot.loading_s if depot.loc != self.prev else 0
        if new_trip:
            self.trip += 1  # a new trip starts with the first load after deliveries
        timing = self._timing(seq, depot.loc, (depot.window,), service)
        self.on_board += sum(vis.load)
        items = _items(self.problem, vis.load)
        self.loaded.setdefault(depot.id, Counter()).update(items)
        self._add(
            Stop(
                kind=StopKind.load,
                place_id=depot.id,
                source_id=depot.origin or depot.id,  # at a hub: where its stock came from
                label=depot.label,
                items=items,
                load_after_packages=self.on_board,
                **timing,
            ),
            depot.loc,
        )

    def deliver(self, seq: int, vis: Visit) -> None:
        p, job = self.problem, self.problem.jobs[vis.index]
        timing = self._timing(seq, job.loc, job.windows, p.service_s(vis.index, self.spec.kind))
        self.on_board -= sum(job.demand)
        handovers = {
            h: _items(p, share) for h, share in zip(job.household_ids, job.shares, strict=True)
        }
        stop = Stop(
            kind=StopKind.delivery,
            place_id=job.family or job.id,
            label=job.label,
            household_ids=list(job.household_ids),
            items=_items(p, job.demand),
            load_after_packages=self.on_board,
            handovers=handovers,
            **timing,
        )
        depot = p.depots[p.assigned[vis.index]]
        source = depot.origin or depot.id
        begin = stop.arrival_s + stop.wait_s
        for hid in job.household_ids:
            self.served.setdefault(hid, []).append(
                Served(
                    self.spec.id,
                    self.trip,
                    seq,
                    stop.place_id,
                    begin,
                    source,
                    job.id,
                    handovers[hid],
                )
            )
        self._add(stop, job.loc)

    def _add(self, stop: Stop, here: int) -> None:
        self.stops.append(stop)
        self.t, self.prev = stop.departure_s, here

    def home(self) -> list[Stop]:
        travel = int(self.cost.duration[self.prev, self.spec.loc])
        metres = int(self.cost.distance[self.prev, self.spec.loc])
        back = self.t + travel
        self.stops.append(self._at_base(len(self.stops), StopKind.end, back, back, metres, travel))
        return self.stops


def _pass(problem: Problem, v: int, visits: tuple[Visit, ...], leave: int) -> _Pass:
    """Earliest-time schedule of vehicle ``v``'s visits, leaving its base at ``leave``."""
    run = _Pass(problem, v, leave)
    for seq, vis in enumerate(visits, start=1):
        if vis.kind == StopKind.load:
            run.load(seq, vis, seq == 1 or visits[seq - 2].kind != StopKind.load)
        else:
            run.deliver(seq, vis)
    run.home()
    return run


def _route(problem: Problem, v: int, stops: list[Stop]) -> Route:
    spec = problem.vehicles[v]
    return Route(
        vehicle_id=spec.id,
        vehicle_kind=spec.kind.value,
        officer=spec.officer,
        base_id=spec.base_id,
        stops=stops,
        distance_m=sum(s.distance_from_previous_m for s in stops),
        duration_s=stops[-1].arrival_s - stops[0].arrival_s,
        trips=stops[-1].trip,
        packages_delivered=sum(sum(s.items.values()) for s in stops if s.kind == StopKind.delivery),
        households_served=len({h for s in stops for h in s.household_ids}),
    )


def schedule(problem: Problem, routes: Routes) -> Scheduled:
    """Timed routes for every vehicle with visits (vehicles without stay at their base)."""
    out = Scheduled()
    for v, visits in enumerate(routes):
        if not visits:
            continue
        leave = problem.vehicles[v].shift[0]
        built = _pass(problem, v, visits, leave)
        if built.delay > 0:
            # Leave later instead of waiting on the road: same services, shorter day.
            later = _pass(problem, v, visits, leave + built.delay)
            if all(
                a.arrival_s + a.wait_s == b.arrival_s + b.wait_s
                for a, b in zip(built.stops[1:-1], later.stops[1:-1], strict=True)
            ):
                built = later
        out.add(Scheduled([_route(problem, v, built.stops)], built.served, built.loaded))
    return out

"""Timed routes from visit sequences.

Times are recomputed here by a forward pass (earliest feasible schedule) from the
problem's matrices, so the plan's numbers do not depend on how a solver chose to report
its own time variables. A route that waits on the road for a window leaves the base
later instead, when that keeps every service at the same time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from .._plan import Route, Stop, StopKind
from .._problem import Problem, first_start
from .._solve.types import Routes, Visit


class Served(NamedTuple):
    """Where and when one household is served."""

    vehicle_id: str
    trip: int
    stop_seq: int
    place_id: str
    arrival_s: int
    source_id: str


@dataclass
class Scheduled:
    """The timed routes of (part of) a day, and what they do for households and stock."""

    routes: list[Route] = field(default_factory=list)
    served: dict[str, Served] = field(default_factory=dict)
    loaded: dict[str, Counter[str]] = field(default_factory=dict)  # source id -> items

    def add(self, other: Scheduled) -> None:
        self.routes.extend(other.routes)
        self.served.update(other.served)
        for sid, items in other.loaded.items():
            self.loaded.setdefault(sid, Counter()).update(items)


def _items(problem: Problem, amounts: tuple[int, ...]) -> dict[str, int]:
    return {i: n for i, n in zip(problem.items, amounts, strict=True) if n}


@dataclass
class _Pass:
    """One forward pass over a vehicle's visits."""

    stops: list[Stop]
    served: dict[str, Served]
    loaded: dict[str, Counter[str]]
    delay: int  # how much later the vehicle could leave without changing service


def _pass(problem: Problem, v: int, visits: tuple[Visit, ...], leave: int) -> _Pass:
    """Earliest-time schedule of vehicle ``v``'s visits, leaving its base at ``leave``."""
    spec = problem.vehicles[v]
    cost = problem.cost[spec.profile]
    base = problem.locations[spec.loc]
    stops = [
        Stop(
            seq=0,
            kind=StopKind.start,
            trip=0,
            place_id=spec.base_id,
            label=spec.base_label,
            lat=base.lat,
            lon=base.lon,
            arrival_s=leave,
            departure_s=leave,
        )
    ]
    out = _Pass(stops, {}, {}, 0)
    t, prev, trip, on_board = leave, spec.loc, 0, 0
    slack = 10**9  # of each service start before its window closes: bounds the delay
    delay: int | None = None
    for seq, vis in enumerate(visits, start=1):
        if vis.kind == StopKind.load:
            depot = problem.depots[vis.index]
            here, windows = depot.loc, (depot.window,)
            # As in the solver: loading is set up once per visit to a place.
            service = depot.loading_s if here != prev else 0
        else:
            job = problem.jobs[vis.index]
            here, windows = job.loc, job.windows
            service = problem.service_s(vis.index, spec.kind)
        travel = int(cost.duration[prev, here])
        arrive = t + travel
        begin = first_start(windows, arrive)
        if begin is None:  # the verifier reports it; keep the arrival as is
            begin = arrive
        if delay is None and begin > arrive:
            delay = min(begin - arrive, slack)
        end_of_window = max((e for s_, e in windows if s_ <= begin <= e), default=begin)
        slack = min(slack, end_of_window - begin)
        here_at = problem.locations[here]
        common = dict(
            seq=seq,
            lat=here_at.lat,
            lon=here_at.lon,
            arrival_s=arrive,
            departure_s=begin + service,
            wait_s=begin - arrive,
            service_s=service,
            distance_from_previous_m=int(cost.distance[prev, here]),
            travel_from_previous_s=travel,
        )
        if vis.kind == StopKind.load:
            if seq == 1 or visits[seq - 2].kind != StopKind.load:
                trip += 1  # a new trip starts with the first load after deliveries
            on_board += sum(vis.load)
            out.loaded.setdefault(depot.id, Counter()).update(_items(problem, vis.load))
            stop = Stop(
                kind=StopKind.load,
                trip=trip,
                place_id=depot.id,
                source_id=depot.id,
                label=depot.label,
                items=_items(problem, vis.load),
                load_after_packages=on_board,
                **common,
            )
        else:
            on_board -= job.parcels
            stop = Stop(
                kind=StopKind.delivery,
                trip=trip,
                place_id=job.id,
                label=job.label,
                household_ids=list(job.household_ids),
                items=_items(problem, job.demand),
                load_after_packages=on_board,
                **common,
            )
            source = problem.depots[problem.assigned[vis.index]].id
            for hid in job.household_ids:
                out.served[hid] = Served(spec.id, trip, seq, job.id, begin, source)
        stops.append(stop)
        t, prev = stop.departure_s, here
    travel = int(cost.duration[prev, spec.loc])
    stops.append(
        Stop(
            seq=len(visits) + 1,
            kind=StopKind.end,
            trip=trip,
            place_id=spec.base_id,
            label=spec.base_label,
            lat=base.lat,
            lon=base.lon,
            arrival_s=t + travel,
            departure_s=t + travel,
            distance_from_previous_m=int(cost.distance[prev, spec.loc]),
            travel_from_previous_s=travel,
            load_after_packages=on_board,
        )
    )
    out.delay = max(0, delay or 0)
    return out


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
        households_served=sum(len(s.household_ids) for s in stops),
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

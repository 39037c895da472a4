"""Trunk runs: the shipments to hubs as a small routing problem of their own.

Each shipment is a job whose stop is the hub (unloading takes the hub's unloading time,
within its opening hours), loaded at its source; the trunk vehicles are the fleet. The
problem goes through the same constructor, OR-Tools model and scheduler as the
households' day, so loading windows (``available_from``), capacities, shifts and trips
follow one set of rules. A shipment is never worth dropping while a trunk vehicle could
carry it: its drop penalty is that of the most urgent household it supplies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .._cost import TravelModel
from .._kinds import VehicleKind
from .._plan import Route, StopKind
from .._problem import Day, Job, Problem, VehicleSpec, priced
from .._scenario import Location
from .._schedule import Scheduled, schedule
from .._solve.types import Routes, SearchConfig, SolveFn, Visit
from .catchment import Shipment
from .places import HubPlace

SHIPMENT_WEIGHT = 4
"""A shipment's drop penalty: this many times that of its most urgent stop, per stop."""
DUE_S = 150 * 60
"""How late after the earliest possible arrival a shipment may reach its hub."""


@dataclass(frozen=True)
class TrunkRun:
    problem: Problem
    routes: Routes


def trunk_problem(
    day: Day,
    trunk: Sequence[VehicleSpec],
    ships: Sequence[Shipment],
    hubs: Sequence[HubPlace],
    travel: TravelModel,
    ready: Sequence[Sequence[int]],
) -> Problem:
    """Shipments as jobs at their hubs, loaded at their sources, by the trunk vehicles.

    A shipment must reach its hub within ``DUE_S`` of the earliest its source's stock
    could be there (``ready``): officers wait for it, so the trunk runs take the morning
    stock round first instead of holding it until the noon stock is loaded too. One
    that cannot is not carried; its stops load at the source themselves.
    """
    locs: list[Location] = []
    index: dict[tuple[str, int], int] = {}

    def place(key: tuple[str, int], at: Location) -> int:
        if key not in index:
            index[key] = len(locs)
            locs.append(at)
        return index[key]

    vehicles = tuple(replace(v, loc=place(("place", v.loc), day.locations[v.loc])) for v in trunk)
    depots = tuple(
        replace(d, loc=place(("place", d.loc), day.locations[d.loc])) for d in day.depots
    )
    jobs = tuple(
        Job(
            id=f"{hubs[s.hub].id}<{day.depots[s.depot].id}#{n}",
            household_ids=(),
            label=hubs[s.hub].label,
            loc=place(("hub", s.hub), hubs[s.hub].location),
            demand=tuple(s.demand),
            shares=(),
            parcels=s.parcels,
            weight_g=s.weight_g,
            service_s=hubs[s.hub].unloading_s,
            extra_service_s={},
            windows=(_due(hubs[s.hub].window, ready[s.depot][s.hub]),),
            window_conflict=False,
            kinds=frozenset(VehicleKind),
            priority=s.priority,
            area="",
        )
        for n, s in enumerate(ships)
    )
    tday = Day(day.items, tuple(locs), jobs, depots, vehicles, day.objective, day.penalty_scale)
    problem = priced(tday, travel, {n: s.depot for n, s in enumerate(ships)})
    # A drop penalty covers one extra stop; a shipment may need a trip of its own, and
    # leaving it out sends every officer of its stops to the source instead.
    penalties = {
        n: SHIPMENT_WEIGHT * (1 + len(s.jobs)) * problem.penalties[n] for n, s in enumerate(ships)
    }
    return replace(problem, penalties=penalties)


def _due(window: tuple[int, int], ready: int) -> tuple[int, int]:
    return window[0], max(window[0] + 1, min(window[1], ready + DUE_S))


def solve_trunk(problem: Problem, config: SearchConfig, solve_fn: SolveFn) -> Routes:
    """The trunk routes: the search's, or the constructed start when it finds none."""
    from .._solve.construct import initial_routes

    start = initial_routes(problem)
    found = solve_fn(problem, config, None, start)
    routes = start if not found.found or _carried(found.routes) < _carried(start) else found.routes
    # What each load takes, recounted (the constructor leaves loads unfilled).
    return tuple(_reloaded(problem, list(r)) for r in routes)


def _carried(routes: Routes) -> int:
    return sum(1 for r in routes for v in r if v.kind == StopKind.delivery)


def trimmed(problem: Problem, routes: Routes, ships: Sequence[Shipment]) -> TrunkRun:
    """The same runs carrying only what is left of each shipment: empty shipments and
    the loads that served only them are left out; every other visit keeps its order."""
    jobs = tuple(
        replace(
            j,
            demand=tuple(s.demand) or tuple(0 for _ in j.demand),
            parcels=s.parcels,
            weight_g=s.weight_g,
        )
        for j, s in zip(problem.jobs, ships, strict=True)
    )
    demand = [j.demand for j in jobs]
    cut = replace(problem, jobs=jobs)
    out: list[tuple[Visit, ...]] = []
    for visits in routes:
        kept = [v for v in visits if v.kind == StopKind.load or any(demand[v.index])]
        out.append(_reloaded(cut, kept))
    return TrunkRun(cut, tuple(out))


def _reloaded(problem: Problem, visits: list[Visit]) -> tuple[Visit, ...]:
    """Each shipment is loaded at the last visit to its source before it is unloaded
    (always possible, and it carries it no longer than before); loads left empty go."""
    take: dict[int, list[int]] = {}
    last: dict[int, int] = {}  # source -> position of its latest load visit
    for i, v in enumerate(visits):
        if v.kind == StopKind.load:
            last[v.index] = i
            take.setdefault(i, [0] * len(problem.items))
            continue
        at = last[problem.assigned[v.index]]
        take[at] = [a + b for a, b in zip(take[at], problem.jobs[v.index].demand, strict=True)]
    out: list[Visit] = []
    for i, v in enumerate(visits):
        if v.kind != StopKind.load:
            out.append(v)
        elif any(take[i]):
            out.append(Visit(StopKind.load, v.index, tuple(take[i])))
    return tuple(out)


def unload_times(run: TrunkRun) -> dict[int, int]:
    """When each carried shipment has been unloaded (seconds of day), by shipment index."""
    scheduled = schedule(run.problem, run.routes)
    ids = {job.id: n for n, job in enumerate(run.problem.jobs)}
    return {
        ids[s.place_id]: s.departure_s
        for r in scheduled.routes
        for s in r.stops
        if s.kind == StopKind.delivery
    }


def trunk_routes(run: TrunkRun, hubs: Sequence[HubPlace], ships: Sequence[Shipment]) -> Scheduled:
    """The timed trunk runs as plan routes: each shipment becomes an ``unload`` at its hub."""
    scheduled = schedule(run.problem, run.routes)
    ids = {job.id: n for n, job in enumerate(run.problem.jobs)}
    routes: list[Route] = []
    for r in scheduled.routes:
        stops = []
        for s in r.stops:
            if s.kind == StopKind.delivery:
                ship = ships[ids[s.place_id]]
                hub = hubs[ship.hub]
                s = s.model_copy(
                    update={
                        "kind": StopKind.unload,
                        "place_id": hub.id,
                        "label": hub.label,
                        "source_id": run.problem.depots[ship.depot].id,
                    }
                )
            stops.append(s)
        routes.append(r.model_copy(update={"stops": stops, "packages_delivered": 0}))
    return Scheduled(routes, {}, scheduled.loaded)

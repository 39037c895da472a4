"""Parts made of nearby trips of different vehicles, for reload days.

On a reload day a vehicle's route is a string of trips (load at a source, deliver a few
stops, come back), and its trips go all over the area: a motorbike with four packages
makes ten trips to as many neighbourhoods. A part made of whole vehicles (``improve``)
then holds one or two vehicles and their trips everywhere, and can only re-order what
those two do. The stops that belong together — those near each other — sit on trips of
*other* vehicles. So here a part is a set of nearby trips, whoever drives them, each
kept in its time slot: every trip becomes a stand-in vehicle that leaves its loading
place when the trip's loading ends and must be back there when the vehicle's next trip
starts (or, for the last trip, in time to get home). The sub-problem re-deals the stops
among those trips; spliced back, each vehicle's other trips are untouched and can only
start earlier (waiting is allowed), so the day stays feasible.

Only trips whose loads are at one place take part (a trip loading at two sources has no
single place to start and end), and only days where every trip starts where the last
one ended — at a source — are handled here; ``slots`` finds no slot otherwise.

An officer with a daily distance limit (``VehicleSpec.max_distance_m``) gives each of
its trips in a part the trip's own distance plus a share of what the day has left;
``within_limits`` checks the spliced day exactly.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from .._plan import StopKind
from .._problem import Problem, first_start
from .types import Routes, Visit, jobs_of

_ROUNDING_S = 2


@dataclass(frozen=True)
class Slot:
    """Trip ``trip`` of vehicle ``vehicle``: visits ``[first, last)`` of its route, at
    loading place ``loc``, between the end of its loading and ``end_s``."""

    vehicle: int
    trip: int
    first: int
    last: int
    loc: int
    start_s: int
    end_s: int
    jobs: tuple[int, ...]
    trip_m: int = 0  # from the loading place through the trip's stops back to it
    slack_m: int | None = None  # what the vehicle's daily limit leaves (None: no limit)


def _trip_bounds(route: tuple[Visit, ...]) -> list[tuple[int, int]]:
    """[first, last) of each trip: its loading visits and the deliveries after them."""
    starts = [
        i
        for i, v in enumerate(route)
        if v.kind == StopKind.load and (i == 0 or route[i - 1].kind != StopKind.load)
    ]
    return [(s, e) for s, e in zip(starts, [*starts[1:], len(route)], strict=True)]


def _timeline(
    problem: Problem, v: int, route: tuple[Visit, ...]
) -> tuple[list[tuple[int, int]], int]:
    """(arrival, time when done) at each visit of vehicle ``v``'s route, as the solver
    times it (travel, then service at the place left; loading set up on arriving from
    elsewhere and ending within the source's hours), and the return home."""
    spec = problem.vehicles[v]
    dur = problem.cost[spec.profile].duration
    t, here = spec.shift[0], spec.start
    out: list[tuple[int, int]] = []
    for vis in route:
        if vis.kind == StopKind.load:
            depot = problem.depots[vis.index]
            arrive = t + int(dur[here, depot.loc])
            setup = depot.loading_s if depot.loc != here else 0
            t, here = max(arrive + setup, depot.window[0] + depot.loading_s), depot.loc
        else:
            job = problem.jobs[vis.index]
            arrive = t + int(dur[here, job.loc])
            begin = first_start(job.windows, arrive)
            t = (arrive if begin is None else begin) + problem.service_s(vis.index, spec.kind)
            here = job.loc
        out.append((arrive, t))
    return out, t + int(dur[here, spec.loc])


def _place(problem: Problem, vis: Visit) -> int:
    return (
        problem.depots[vis.index].loc if vis.kind == StopKind.load else problem.jobs[vis.index].loc
    )


def ridden_m(problem: Problem, v: int, route: tuple[Visit, ...], start: int | None = None) -> int:
    """How far vehicle ``v`` rides on ``route``, from ``start`` (its base) back there."""
    spec = problem.vehicles[v]
    dist = problem.cost[spec.profile].distance
    home = spec.loc if start is None else start
    here, total = home, 0
    for vis in route:
        to = _place(problem, vis)
        total, here = total + int(dist[here, to]), to
    return total + int(dist[here, home]) if route else 0


def within_limits(
    problem: Problem, vehicles: tuple[int, ...], routes: list[tuple[Visit, ...]]
) -> bool:
    """Whether each of ``vehicles`` with a daily distance limit keeps to it."""
    return all(
        ridden_m(problem, v, routes[v]) <= limit
        for v in vehicles
        if (limit := problem.vehicles[v].max_distance_m) is not None
    )


def span_s(problem: Problem, v: int, route: tuple[Visit, ...]) -> int:
    """How long vehicle ``v``'s route keeps it out, leaving at the start of its shift."""
    return _timeline(problem, v, route)[1] - problem.vehicles[v].shift[0] if route else 0


def _carried(
    problem: Problem, route: tuple[Visit, ...], bounds: list[tuple[int, int]]
) -> list[int]:
    """Packages on board when each trip starts, and at the end: a vehicle may load at
    one visit what it delivers after the next, and such a trip is not a trip alone."""
    out, on_board = [], 0
    for first, last in bounds:
        out.append(on_board)
        for i in range(first, last):
            vis = route[i]
            if vis.kind == StopKind.load:
                # A load without amounts (a constructed route) takes what is delivered
                # before the next load, as the model reads it.
                on_board += sum(vis.load) if vis.load else _delivered(problem, route, i, last)
            else:
                on_board -= problem.jobs[vis.index].parcels
    return [*out, on_board]


def _delivered(problem: Problem, route: tuple[Visit, ...], load: int, last: int) -> int:
    total = 0
    for vis in route[load + 1 : last]:
        if vis.kind == StopKind.load:
            break
        total += problem.jobs[vis.index].parcels
    return total


def slots(problem: Problem, routes: Routes) -> list[Slot]:
    """Every trip that loads at one place, delivers all it loads (and nothing loaded
    before) and is followed by a trip from the same place (or by the way home), with
    the time it may take."""
    out: list[Slot] = []
    for v, route in enumerate(routes):
        if not route:
            continue
        spec = problem.vehicles[v]
        times, _ = _timeline(problem, v, route)
        bounds = _trip_bounds(route)
        limit = spec.max_distance_m
        slack = None if limit is None else limit - ridden_m(problem, v, route)
        places = [
            {problem.depots[x.index].loc for x in route[f:e] if x.kind == StopKind.load}
            for f, e in bounds
        ]
        carried = _carried(problem, route, bounds)
        for k, (first, last) in enumerate(bounds):
            if len(places[k]) != 1 or carried[k] or carried[k + 1]:
                continue
            (loc,) = places[k]
            if k + 1 < len(bounds):
                if places[k + 1] != {loc}:
                    continue  # the next trip loads elsewhere: no return to this place
                end = times[bounds[k + 1][0]][0]  # arrival at the next trip's loading
            else:
                # Home by way of the loading place: rounded durations may break the
                # triangle inequality by a second or two.
                dur = problem.cost[spec.profile].duration
                end = spec.shift[1] - int(dur[loc, spec.loc]) - _ROUNDING_S
            # Ready when its last loading visit is done.
            loads = [i for i in range(first, last) if route[i].kind == StopKind.load]
            start = times[loads[-1]][1]
            jobs = tuple(jobs_of(route[first:last]))
            if jobs and end >= start:
                trip_m = ridden_m(problem, v, route[first:last], loc)
                out.append(Slot(v, k, first, last, loc, start, end, jobs, trip_m, slack))
    return out


def pick_slots(
    problem: Problem, all_slots: list[Slot], rng: random.Random, size: int
) -> list[Slot]:
    """A random trip and the trips nearest to it (by the centroid of their stops) until
    about ``size`` jobs; at most one place to load at, so the part has one start."""
    if not all_slots:
        return []
    xy = np.asarray([(loc.lat, loc.lon) for loc in problem.locations], dtype=np.float64)
    centres = np.asarray(
        [xy[[problem.jobs[j].loc for j in s.jobs]].mean(axis=0) for s in all_slots]
    )
    seed = rng.randrange(len(all_slots))
    order = np.argsort(np.hypot(*(centres - centres[seed]).T), kind="stable")
    chosen: list[Slot] = []
    count = 0
    for k in order:
        s = all_slots[int(k)]
        if s.loc != all_slots[seed].loc:
            continue
        chosen.append(s)
        count += len(s.jobs)
        if count >= size and len(chosen) >= 2:
            break
    return chosen


def slot_problem(problem: Problem, chosen: list[Slot], extra: list[int]) -> Problem:
    """The chosen trips as stand-in vehicles (same kind, profile and sources; based at
    the loading place, shift = the slot) with their jobs and ``extra`` unserved ones; a
    capped vehicle's trips share what its daily distance limit leaves."""
    vehicles = []
    trips_of = Counter(s.vehicle for s in chosen)
    for s in chosen:
        spec = problem.vehicles[s.vehicle]
        share = None if s.slack_m is None else max(0, s.slack_m) // trips_of[s.vehicle]
        vehicles.append(
            replace(
                spec,
                loc=s.loc,
                shift=(s.start_s, s.end_s),
                max_trips=1 if spec.max_trips is not None else None,
                max_distance_m=None if share is None else s.trip_m + share,
            )
        )
    jobs = sorted({j for s in chosen for j in s.jobs} | set(extra))
    return replace(
        problem,
        vehicles=tuple(vehicles),
        assigned={j: problem.assigned[j] for j in jobs},
    )


def splice(routes: list[tuple[Visit, ...]], chosen: list[Slot], new: Routes) -> None:
    """Put each slot's new visits in place of its trip (later trips first, so the
    positions of earlier ones hold)."""
    for s, visits in sorted(zip(chosen, new, strict=True), key=lambda x: -x[0].first):
        r = routes[s.vehicle]
        routes[s.vehicle] = r[: s.first] + tuple(visits) + r[s.last :]


def _fits(problem: Problem, v: int, route: tuple[Visit, ...]) -> bool:
    """Whether vehicle ``v`` can drive ``route`` within every window, the sources' hours
    and its shift (timed as the solver times it)."""
    spec = problem.vehicles[v]
    times, home = _timeline(problem, v, route)
    if home > spec.shift[1]:
        return False
    if spec.max_distance_m is not None and ridden_m(problem, v, route) > spec.max_distance_m:
        return False
    for vis, (arrive, done) in zip(route, times, strict=True):
        if vis.kind == StopKind.load:
            depot = problem.depots[vis.index]
            if done > depot.window[1] + depot.loading_s:
                return False
        elif (
            problem.jobs[vis.index].windows
            and first_start(problem.jobs[vis.index].windows, arrive) is None
        ):
            return False
    return True


def _twins(problem: Problem, a: int, b: int) -> bool:
    """Vehicles that can take each other's trips as they are: same kind, speed,
    capacities, sources, base and officer area."""
    x, y = problem.vehicles[a], problem.vehicles[b]
    return (x.kind, x.profile, x.cap_parcels, x.cap_weight_g, x.depots, x.loc, x.area) == (
        y.kind,
        y.profile,
        y.cap_parcels,
        y.cap_weight_g,
        y.depots,
        y.loc,
        y.area,
    )


def balance(problem: Problem, routes: Routes, until: float) -> Routes:
    """Move whole trips from the vehicle out longest to a twin vehicle (appended after
    its last trip) while that shortens the longest route, until ``until``
    (``time.monotonic()``); the stops, their order and the driving stay as they are.
    Parts are searched without the cost of the longest route
    (``SearchConfig.global_span``), so the work is spread here instead."""
    current = list(routes)
    spans = [span_s(problem, v, r) for v, r in enumerate(current)]
    while time.monotonic() < until:
        v = max(range(len(current)), key=lambda k: spans[k])
        alone = tuple(r if k == v else () for k, r in enumerate(current))
        best: tuple[int, int, tuple[Visit, ...], tuple[Visit, ...]] | None = None
        for s in slots(problem, alone):
            rest = current[v][: s.first] + current[v][s.last :]
            if not _fits(problem, v, rest):
                continue
            left = span_s(problem, v, rest)
            for u, other in enumerate(current):
                if u == v or spans[u] >= spans[v] or not _twins(problem, u, v):
                    continue
                cap = problem.vehicles[u].max_trips
                if cap is not None and len(_trip_bounds(other)) >= cap:
                    continue
                moved = other + current[v][s.first : s.last]
                worst = max(span_s(problem, u, moved), left)
                if worst < (best[0] if best else spans[v]) and _fits(problem, u, moved):
                    best = (worst, u, moved, rest)
        if best is None:
            break
        _, u, moved, rest = best
        current[u], current[v] = moved, rest
        spans[u], spans[v] = span_s(problem, u, moved), span_s(problem, v, rest)
    return tuple(current)

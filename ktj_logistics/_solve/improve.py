"""Improve a solution by re-solving groups of nearby routes as small problems.

OR-Tools' guided local search makes fewer moves per second the larger the model, and on
a few hundred stops it stalls far from the best plans. Small models it solves well. So
after a first search, this layer repeatedly picks a stop at random, takes the routes
passing nearest to it (and nearby unserved jobs) until about ``SUB_JOBS`` jobs are
gathered, and hands just those vehicles and jobs to the same solver. On one-trip days
OR-Tools' iterated local search (string removals and reinsertion) plans them afresh:
on a part this small it makes hundreds of ruin-and-recreate steps (the CVRPLIB
yardstick: 3.3 % mean gap against 4.3 % with guided local search on the parts, one
core, 10 s); on reload days the member's own search continues from the current routes
(``RELOAD_PARTS``). A better sub-plan replaces the part's routes; a worse one is never
taken, because the sub-model prices the current routes too
(``Solution.start_objective``).

On one-trip days a first pass over the whole day by parts of four whole routes (their
size follows the route length) improves each from its current routes by local search
alone (``PartSearch.polish``). On reload days half the parts are nearby *trips* of any
vehicles instead of whole vehicles (``trips.py``). Parts are searched without the cost of
the day's longest route (``SearchConfig.global_span``), and a part that would lengthen
that route is not kept.

It needs nothing of the problem beyond what every job carries (its vehicles, its
source): a sub-problem is the same ``Problem`` with fewer vehicles and jobs, so windows,
reloads, access rules and stock hold in it exactly as in the whole.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .._problem import Problem
from . import trips
from .ortools import solve
from .types import (
    ITERATED_LOCAL_SEARCH,
    Routes,
    SearchConfig,
    Solution,
    SolveFn,
    Visit,
    jobs_of,
)

SUB_JOBS = 30
"""The fewest jobs one sub-problem aims for: small enough for OR-Tools to search well."""

MIN_JOBS = 2 * SUB_JOBS
"""Days this small are searched whole: a part would be most of the day."""


@dataclass(frozen=True)
class PartShape:
    """How large a part is, from the day's own route length: at least ``routes`` whole
    routes, and between ``min_jobs`` and ``max_jobs`` jobs. With 3-10 stops a route, 30
    jobs hold several routes; with 20 a route, 30 jobs are 1.5 routes and moving stops
    between routes, where most of the gain is, has little to work with."""

    min_jobs: int
    max_jobs: int
    routes: int

    def jobs(self, routes: Routes) -> int:
        sizes = [n for n in (len(jobs_of(r)) for r in routes) if n]
        mean = sum(sizes) / len(sizes) if sizes else 0.0
        return max(self.min_jobs, min(self.max_jobs, round(self.routes * mean)))


PART_SHAPE = PartShape(SUB_JOBS, SUB_JOBS, 2)
"""The part size of sessions 2-3 (30 jobs, at least 2 routes)."""

PICK = "stop"
"""How a part's routes are chosen around a random served stop: ``stop`` — the routes
passing nearest to it; ``centroid`` — its route, then the routes whose centroids are
nearest to that route's."""


@dataclass(frozen=True)
class PartSearch:
    """How one part is searched, and for how long (seconds per job, at least ``min_s``);
    a strategy of None keeps the member's own."""

    metaheuristic: str | None
    first_solution: str | None
    seconds_per_job: float
    min_s: float
    polish: str | None = None
    """A metaheuristic for a first pass over the whole day by parts, each searched
    from its current routes (``from_current``), before the parts proper."""
    polish_routes: int = 4
    trips: float = 0.0
    """Share of the parts made of nearby trips of any vehicles (``trips.py``) instead of
    whole vehicles; reload days only."""


ONE_TRIP_PARTS = PartSearch(ITERATED_LOCAL_SEARCH, "SAVINGS", 0.005, 0.15, polish="GREEDY_DESCENT")
"""One-trip days (vehicles load at their base): iterated local search from a savings
start, briefly and often — on the CVRPLIB yardstick 0.15 s parts beat 0.3 s ones
(3.06 % against 3.29 % mean gap at 10 s), most of all on the largest instances. First,
one pass over the day by parts of four whole routes (``polish_routes``, so about 80
stops where routes are long and 30 where they are short, capped at 60), each improved
from its current routes by OR-Tools' local search alone: the first whole-model search
leaves moves between neighbouring routes untried, and rebuilding a part from scratch
rarely beats routes that good. Measured A/B on ``cvrp/`` and ``cvrp-long/`` together
(busy machine, 10 s): 6.35 → 5.38 % and 8.89 → 7.66 % mean gap."""

RELOAD_PARTS = PartSearch(None, None, 0.01, 0.3, trips=0.5)
"""Days with loading stops: the member's own search, seeded
with the current routes. Iterated local search rebuilds parts from scratch, and with
pickup-and-delivery pairs that lost: the 200-household Jakarta day at 10 s ended at
49.5 route-hours against 48.5 with guided local search on the parts."""

PARTS_GLOBAL_SPAN = False
"""Parts are searched without the cost of the day's longest route (``SearchConfig``)."""

ReportFn = Callable[[int, int], None]  # (objective gained so far, households served)


@dataclass(frozen=True)
class Improvement:
    routes: Routes
    rounds: int
    accepted: int
    gained: int  # sum of sub-objective decreases


def _pick(
    problem: Problem,
    routes: Routes,
    rng: random.Random,
    allowed: dict[int, frozenset[int]],
    size: int = SUB_JOBS,
    around: set[int] | None = None,
) -> tuple[list[int], list[int]]:
    """Vehicles and unserved jobs of one sub-problem of about ``size`` jobs around a
    random served stop (of a vehicle in ``around``, when given); ``allowed`` holds the
    vehicles that may serve each job."""
    distance = problem.proximity.distance
    on_route = [jobs_of(r) for r in routes]
    served = [j for jobs in on_route for j in jobs]
    pool = [j for v in sorted(around) for j in on_route[v]] if around else served
    seed = pool[rng.randrange(len(pool))]
    here = problem.jobs[seed].loc
    near = _near_routes(problem, on_route, seed) if PICK == "centroid" else []
    empty: list[tuple[int, int]] = []
    for v, jobs in enumerate(on_route):
        if not jobs:  # an idle vehicle lets the sub-problem open a new route
            empty.append((int(distance[here, problem.vehicles[v].loc]), v))
        elif PICK != "centroid":
            locs = [problem.jobs[j].loc for j in jobs]
            near.append((int(distance[here, locs].min()), v))
    near.sort()
    vehicles: list[int] = []
    count = 0
    for _, v in near:
        if count >= size and len(vehicles) >= 2:
            break
        vehicles.append(v)
        count += len(on_route[v])
    if empty:
        vehicles.append(min(empty)[1])
    done = set(served)
    waiting = [j for j, vs in allowed.items() if j not in done and not vs.isdisjoint(vehicles)]
    if waiting:
        dist = distance[here, [problem.jobs[j].loc for j in waiting]]
        keep = np.argsort(dist, kind="stable")[: max(1, size // 4)]
        waiting = [waiting[int(k)] for k in keep]
    return sorted(vehicles), waiting


def _near_routes(problem: Problem, on_route: list[list[int]], seed: int) -> list[tuple[float, int]]:
    """(distance of its centroid to the centroid of ``seed``'s route, vehicle) of every
    used route; the seed's own route first. Centroids of the places' coordinates serve
    only to rank (planar or WGS 84: over a city either orders neighbours alike)."""
    xy = np.asarray([(loc.lat, loc.lon) for loc in problem.locations], dtype=np.float64)
    centre: dict[int, np.ndarray] = {}
    home = -1
    for v, jobs in enumerate(on_route):
        if jobs:
            centre[v] = xy[[problem.jobs[j].loc for j in jobs]].mean(axis=0)
            if seed in jobs:
                home = v
    out = [(float(np.hypot(*(c - centre[home]))), v) for v, c in centre.items() if v != home]
    return [(-1.0, home), *out]


def sub_problem(problem: Problem, vehicles: list[int], jobs: list[int]) -> Problem:
    """``problem`` cut down to ``vehicles`` (renumbered in order) and ``jobs``."""
    return replace(
        problem,
        vehicles=tuple(problem.vehicles[v] for v in vehicles),
        assigned={j: problem.assigned[j] for j in sorted(jobs)},
    )


@dataclass
class _Part:
    """One sub-problem, the routes it starts from, and how its result is put back."""

    sub: Problem
    initial: Routes
    put: Callable[[list[tuple[Visit, ...]], Routes], None]
    vehicles: tuple[int, ...]  # of the day, whose routes ``put`` changes


def _vehicle_part(
    problem: Problem,
    current: list[tuple[Visit, ...]],
    rng: random.Random,
    allowed: dict[int, frozenset[int]],
    size: int,
    todo: set[int] | None,
) -> _Part:
    vehicles, waiting = _pick(problem, tuple(current), rng, allowed, size, todo)
    if todo is not None:
        todo.difference_update(vehicles)
    jobs = [j for v in vehicles for j in jobs_of(current[v])] + waiting

    def put(routes: list[tuple[Visit, ...]], new: Routes) -> None:
        for k, v in enumerate(vehicles):
            routes[v] = new[k]

    initial = tuple(current[v] for v in vehicles)
    return _Part(sub_problem(problem, vehicles, jobs), initial, put, tuple(vehicles))


def _trip_part(
    problem: Problem, current: list[tuple[Visit, ...]], rng: random.Random, size: int
) -> _Part | None:
    chosen = trips.pick_slots(problem, trips.slots(problem, tuple(current)), rng, size)
    if len(chosen) < 2:
        return None
    initial = tuple(current[s.vehicle][s.first : s.last] for s in chosen)

    def put(routes: list[tuple[Visit, ...]], new: Routes) -> None:
        trips.splice(routes, chosen, new)

    owners = tuple(sorted({s.vehicle for s in chosen}))
    return _Part(trips.slot_problem(problem, chosen, []), initial, put, owners)


def improve(
    problem: Problem,
    routes: Routes,
    config: SearchConfig,
    deadline: float,
    seed: int = 0,
    report: ReportFn | None = None,
    max_rounds: int | None = None,
    solve_fn: SolveFn = solve,
) -> Improvement:
    """Re-solve groups of nearby routes (or trips) until ``deadline``
    (``time.monotonic()``) or ``max_rounds``; each sub-search gets time in proportion
    to its jobs."""
    rng = random.Random(seed)
    current = list(routes)
    allowed = {j: frozenset(problem.vehicles_for(j)) for j in problem.assigned}
    how = ONE_TRIP_PARTS if problem.single_trip_depot() is not None else RELOAD_PARTS
    base = replace(
        config,
        deterministic=False,
        solution_limit=None,
        portfolio=False,
        use_initial=True,
        first_solution=how.first_solution or config.first_solution,
        metaheuristic=how.metaheuristic or config.metaheuristic,
        global_span=PARTS_GLOBAL_SPAN,
    )
    spans = [trips.span_s(problem, v, r) for v, r in enumerate(current)]
    timed = problem.objective == "duration"
    stages: list[tuple[SearchConfig, int, set[int] | None]] = []
    if how.polish is not None:
        polish = replace(base, use_initial=True, metaheuristic=how.polish)
        shape = replace(PART_SHAPE, routes=how.polish_routes, max_jobs=2 * PART_SHAPE.max_jobs)
        stages.append((polish, shape.jobs(routes), {v for v, r in enumerate(routes) if jobs_of(r)}))
    stages.append((base, PART_SHAPE.jobs(routes), None))
    # Reload days keep a little time to spread the trips over the vehicles at the end.
    spread = timed and how is RELOAD_PARTS
    reserve = min(1.0, 0.05 * max(0.0, deadline - time.monotonic())) if spread else 0.0
    deadline -= reserve
    rounds = accepted = gained = 0
    for cfg0, size, todo in stages:
        while any(jobs_of(r) for r in current) and (todo is None or todo):
            left = deadline - time.monotonic()
            if left < how.min_s or (max_rounds is not None and rounds >= max_rounds):
                break
            part = None
            if todo is None and how.trips and rng.random() < how.trips:
                part = _trip_part(problem, current, rng, size)
            if part is None:
                part = _vehicle_part(problem, current, rng, allowed, size, todo)
            jobs = len(part.sub.assigned)
            limit = min(max(how.min_s, how.seconds_per_job * jobs), left)
            result: Solution = solve_fn(
                part.sub, replace(cfg0, time_limit_s=limit), None, part.initial
            )
            rounds += 1
            if not 0 <= result.objective < result.start_objective:
                continue
            after = list(current)
            part.put(after, result.routes)
            if not trips.within_limits(problem, part.vehicles, after):
                continue  # a trip part outgrew an officer's daily distance
            new_spans = {v: trips.span_s(problem, v, after[v]) for v in part.vehicles}
            if timed and max(new_spans.values()) > max(spans):
                continue  # the day's longest route would grow: not searched in parts
            accepted += 1
            gained += result.start_objective - result.objective
            current = after
            for v, span in new_spans.items():
                spans[v] = span
            if report is not None:
                report(gained, _households(problem, current))
    if spread:
        current = list(trips.balance(problem, tuple(current), deadline + reserve))
    return Improvement(tuple(current), rounds, accepted, gained)


def _households(problem: Problem, routes: list[tuple[Visit, ...]]) -> int:
    return sum(len(problem.jobs[j].household_ids) for r in routes for j in jobs_of(r))

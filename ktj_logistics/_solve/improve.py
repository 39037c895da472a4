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
"""About how many jobs one sub-problem holds: small enough for OR-Tools to search well."""

MIN_JOBS = 2 * SUB_JOBS
"""Days this small are searched whole: a part would be most of the day."""


@dataclass(frozen=True)
class PartSearch:
    """How one part is searched, and for how long (seconds per job, at least ``min_s``);
    a strategy of None keeps the member's own."""

    metaheuristic: str | None
    first_solution: str | None
    seconds_per_job: float
    min_s: float


ONE_TRIP_PARTS = PartSearch(ITERATED_LOCAL_SEARCH, "SAVINGS", 0.005, 0.15)
"""One-trip days (vehicles load at their base): iterated local search from a savings
start, briefly and often — on the CVRPLIB yardstick 0.15 s parts beat 0.3 s ones
(3.06 % against 3.29 % mean gap at 10 s), most of all on the largest instances."""

RELOAD_PARTS = PartSearch(None, None, 0.01, 0.3)
"""Days with loading stops: the member's own search, seeded
with the current routes. Iterated local search rebuilds parts from scratch, and with
pickup-and-delivery pairs that lost: the 200-household Jakarta day at 10 s ended at
49.5 route-hours against 48.5 with guided local search on the parts."""

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
) -> tuple[list[int], list[int]]:
    """Vehicles and unserved jobs of one sub-problem around a random served stop;
    ``allowed`` holds the vehicles that may serve each job."""
    distance = problem.proximity.distance
    on_route = [jobs_of(r) for r in routes]
    served = [j for jobs in on_route for j in jobs]
    here = problem.jobs[served[rng.randrange(len(served))]].loc
    near: list[tuple[int, int]] = []
    empty: list[tuple[int, int]] = []
    for v, jobs in enumerate(on_route):
        if jobs:
            locs = [problem.jobs[j].loc for j in jobs]
            near.append((int(distance[here, locs].min()), v))
        else:  # an idle vehicle lets the sub-problem open a new route
            empty.append((int(distance[here, problem.vehicles[v].loc]), v))
    near.sort()
    vehicles: list[int] = []
    count = 0
    for _, v in near:
        if count >= SUB_JOBS and len(vehicles) >= 2:
            break
        vehicles.append(v)
        count += len(on_route[v])
    if empty:
        vehicles.append(min(empty)[1])
    done = set(served)
    waiting = [j for j, vs in allowed.items() if j not in done and not vs.isdisjoint(vehicles)]
    if waiting:
        dist = distance[here, [problem.jobs[j].loc for j in waiting]]
        keep = np.argsort(dist, kind="stable")[: max(1, SUB_JOBS // 4)]
        waiting = [waiting[int(k)] for k in keep]
    return sorted(vehicles), waiting


def sub_problem(problem: Problem, vehicles: list[int], jobs: list[int]) -> Problem:
    """``problem`` cut down to ``vehicles`` (renumbered in order) and ``jobs``."""
    return replace(
        problem,
        vehicles=tuple(problem.vehicles[v] for v in vehicles),
        assigned={j: problem.assigned[j] for j in sorted(jobs)},
    )


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
    """Re-solve groups of nearby routes until ``deadline`` (``time.monotonic()``) or
    ``max_rounds``; each sub-search gets time in proportion to its jobs."""
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
    )
    rounds = accepted = gained = 0
    while any(jobs_of(r) for r in current):
        left = deadline - time.monotonic()
        if left < how.min_s or (max_rounds is not None and rounds >= max_rounds):
            break
        vehicles, waiting = _pick(problem, tuple(current), rng, allowed)
        jobs = [j for v in vehicles for j in jobs_of(current[v])] + waiting
        sub = sub_problem(problem, vehicles, jobs)
        limit = min(max(how.min_s, how.seconds_per_job * len(jobs)), left)
        cfg = replace(base, time_limit_s=limit)
        result: Solution = solve_fn(sub, cfg, None, tuple(current[v] for v in vehicles))
        rounds += 1
        if 0 <= result.objective < result.start_objective:
            accepted += 1
            gained += result.start_objective - result.objective
            for k, v in enumerate(vehicles):
                current[v] = result.routes[k]
            if report is not None:
                report(gained, _households(problem, current))
    return Improvement(tuple(current), rounds, accepted, gained)


def _households(problem: Problem, routes: list[tuple[Visit, ...]]) -> int:
    return sum(len(problem.jobs[j].household_ids) for r in routes for j in jobs_of(r))

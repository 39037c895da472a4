"""Improve a solution by re-solving groups of nearby routes as small problems.

OR-Tools' guided local search makes fewer moves per second the larger the model, and on
a few hundred stops it stalls far from the best plans. Small models it solves well. So
after a first search, this layer repeatedly picks a stop at random, takes the routes
passing nearest to it (and nearby unserved jobs) until about ``SUB_JOBS`` jobs are
gathered, and hands just those vehicles and jobs to the same solver, seeded with their
current routes. A better sub-plan replaces them; a worse one is never taken, because
the sub-model prices the seed routes too (``SolveResult.start_objective``).

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

from .problem import Problem
from .solver import SearchConfig, SolveResult, Visit, solve

Routes = tuple[tuple[Visit, ...], ...]

SUB_JOBS = 30
"""About how many jobs one sub-problem holds: small enough for OR-Tools to search well."""

MIN_JOBS = 2 * SUB_JOBS
"""Days this small are searched whole: a part would be most of the day."""

SUB_SECONDS_PER_JOB = 0.01
MIN_SUB_S = 0.3

ReportFn = Callable[[int, int], None]  # (objective gained so far, jobs served)


@dataclass(frozen=True)
class Improvement:
    routes: Routes
    rounds: int
    accepted: int
    gained: int  # sum of sub-objective decreases


def _jobs_of(route: tuple[Visit, ...]) -> list[int]:
    return [v.index for v in route if v.kind == "job"]


def _pick(
    problem: Problem,
    routes: Routes,
    rng: random.Random,
    allowed: dict[int, frozenset[int]],
) -> tuple[list[int], list[int]]:
    """Vehicles and unserved jobs of one sub-problem around a random served stop;
    ``allowed`` holds the vehicles that may serve each job."""
    jobs_of = [_jobs_of(r) for r in routes]
    served = [j for jobs in jobs_of for j in jobs]
    here = problem.jobs[served[rng.randrange(len(served))]].loc
    near: list[tuple[int, int]] = []
    empty: list[tuple[int, int]] = []
    for v, jobs in enumerate(jobs_of):
        if jobs:
            locs = [problem.jobs[j].loc for j in jobs]
            near.append((int(problem.distance[here, locs].min()), v))
        else:  # an idle vehicle lets the sub-problem open a new route
            empty.append((int(problem.distance[here, problem.vehicles[v].loc]), v))
    near.sort()
    vehicles: list[int] = []
    count = 0
    for _, v in near:
        if count >= SUB_JOBS and len(vehicles) >= 2:
            break
        vehicles.append(v)
        count += len(jobs_of[v])
    if empty:
        vehicles.append(min(empty)[1])
    done = set(served)
    waiting = [j for j, vs in allowed.items() if j not in done and not vs.isdisjoint(vehicles)]
    if waiting:
        dist = problem.distance[here, [problem.jobs[j].loc for j in waiting]]
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
) -> Improvement:
    """Re-solve groups of nearby routes until ``deadline`` (``time.monotonic()``) or
    ``max_rounds``; each sub-search gets time in proportion to its jobs."""
    rng = random.Random(seed)
    current = list(routes)
    allowed = {j: frozenset(problem.vehicles_for(j)) for j in problem.assigned}
    rounds = accepted = gained = 0
    while any(_jobs_of(r) for r in current):
        left = deadline - time.monotonic()
        if left < MIN_SUB_S or (max_rounds is not None and rounds >= max_rounds):
            break
        vehicles, waiting = _pick(problem, tuple(current), rng, allowed)
        jobs = [j for v in vehicles for j in _jobs_of(current[v])] + waiting
        sub = sub_problem(problem, vehicles, jobs)
        cfg = replace(
            config,
            time_limit_s=min(max(MIN_SUB_S, SUB_SECONDS_PER_JOB * len(jobs)), left),
            deterministic=False,
            solution_limit=None,
            portfolio=False,
            use_initial=True,
        )
        result: SolveResult = solve(sub, cfg, None, tuple(current[v] for v in vehicles))
        rounds += 1
        if 0 <= result.objective < result.start_objective:
            accepted += 1
            gained += result.start_objective - result.objective
            for k, v in enumerate(vehicles):
                current[v] = result.routes[k]
            if report is not None:
                report(gained, sum(len(_jobs_of(r)) for r in current))
    return Improvement(tuple(current), rounds, accepted, gained)

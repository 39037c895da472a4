"""A first plan built by hand for reload models: trips of "load at S, then nearby stops".

OR-Tools' insertion heuristics add one node at a time, and in a reload model a job alone
cannot be inserted into an empty route (nothing is on board) while a loading visit alone
only costs: on a few hundred stops the first solution served nobody. This constructor
gives the search a sound start instead. It is solver-neutral (``Problem`` in, visit
sequences out) and mirrors the solver's time model exactly: transit = travel + service
of the node left, waiting allowed, windows and opening hours as hard limits.

The vehicle free earliest goes next. It takes the source (among those it may load at,
with loading visits left) whose trip can start soonest at an unserved stop, and fills
the trip nearest-first with stops assigned to that source which fit on board, meet
their windows and still let it get home by the end of its shift. Among stops at about
the same distance the more urgent one is taken first.
"""

from __future__ import annotations

import heapq

import numpy as np

from .._plan import StopKind
from .._problem import Problem, VehicleSpec, first_start
from .types import Routes, Visit

_NEAR_S = 120
"""Stops within this many seconds of the nearest count as equally near (urgency decides)."""


def initial_routes(problem: Problem) -> Routes:
    """Per vehicle, a feasible sequence of loading visits and jobs (possibly empty)."""
    by_depot: dict[int, list[int]] = {}
    for j, k in sorted(
        problem.assigned.items(), key=lambda x: (-problem.jobs[x[0]].priority, x[0])
    ):
        by_depot.setdefault(k, []).append(j)
    left: dict[int, np.ndarray] = {k: np.asarray(js, dtype=np.int64) for k, js in by_depot.items()}
    job_loc = np.asarray([job.loc for job in problem.jobs], dtype=np.int64)
    routes: list[list[Visit]] = [[] for _ in problem.vehicles]
    state: list[tuple[int, int, int, int]] = []  # (t, vehicle, position, trips)
    for v, spec in enumerate(problem.vehicles):
        state.append((spec.shift[0], v, spec.start, 0))
    heapq.heapify(state)
    ridden = [0] * len(problem.vehicles)  # metres so far, for daily distance limits
    while state:
        t, v, pos, trips = heapq.heappop(state)
        spec = problem.vehicles[v]
        dur = problem.cost[spec.profile].duration
        if spec.max_trips is not None and trips >= spec.max_trips:
            continue
        best: tuple[int, int, int] | None = None  # (first arrival, depot, loading place)
        for k in sorted(spec.depots):
            cand = left.get(k)
            if cand is None or not len(cand):
                continue
            depot = problem.depots[k]
            arrive = max(t + int(dur[pos, depot.loc]), depot.window[0])
            if arrive > depot.window[1]:
                continue
            ready, at = arrive + depot.loading_s, depot.loc
            ok = _eligible(problem, cand, spec)
            if not ok.any():
                continue
            first = ready + int(dur[at, job_loc[cand[ok]]].min())
            if best is None or first < best[0]:
                best = (first, k, at)
        if best is None:
            continue
        _, k, at = best
        depot = problem.depots[k]
        now = max(t + int(dur[pos, depot.loc]), depot.window[0]) + depot.loading_s
        dist = problem.cost[spec.profile].distance
        budget = (spec.max_distance_m or 10**12) - ridden[v] - int(dist[pos, depot.loc])
        trip, now, here, used = _fill_trip(problem, v, k, at, now, left, job_loc, budget)
        ridden[v] += int(dist[pos, depot.loc]) + used
        if not trip:
            # Nothing fits from the best source; try no further (others start later).
            continue
        routes[v].append(Visit(StopKind.load, k))
        routes[v].extend(Visit(StopKind.delivery, j) for j in trip)
        heapq.heappush(state, (now, v, here, trips + 1))
    return tuple(tuple(r) for r in routes)


def _eligible(problem: Problem, cand: np.ndarray, spec: VehicleSpec) -> np.ndarray:
    return np.fromiter((spec.may_serve(problem.jobs[j]) for j in cand), dtype=bool, count=len(cand))


def _fill_trip(
    problem: Problem,
    v: int,
    k: int,
    at: int,
    now: int,
    left: dict[int, np.ndarray],
    job_loc: np.ndarray,
    budget: int,
) -> tuple[list[int], int, int, int]:
    """Nearest-first stops from depot ``k`` that fit (within ``budget`` metres of riding,
    the way home included); removes them from ``left``. Returns the trip, when and where
    it ends, and the metres it rides."""
    spec = problem.vehicles[v]
    dur = problem.cost[spec.profile].duration
    dist = problem.cost[spec.profile].distance
    used = 0
    parcels, grams = spec.cap_parcels, spec.cap_weight_g
    trip: list[int] = []
    here = at
    while True:
        cand = left[k]
        if not len(cand):
            break
        arrive = now + dur[here, job_loc[cand]].astype(np.int64)
        order = np.argsort(arrive, kind="stable")
        chosen = -1
        chosen_begin = 0
        fallback_limit = int(arrive[order[0]]) + _NEAR_S
        best_priority = -1.0
        for pos in order:
            a = int(arrive[pos])
            if chosen >= 0 and a > fallback_limit:
                break
            j = int(cand[pos])
            job = problem.jobs[j]
            if not spec.may_serve(job) or job.parcels > parcels or job.weight_g > grams:
                continue
            begin = first_start(job.windows, a)
            if begin is None:
                continue
            done = begin + problem.service_s(j, spec.kind)
            if done + int(dur[job.loc, spec.loc]) > spec.shift[1]:
                continue
            if used + int(dist[here, job.loc]) + int(dist[job.loc, spec.loc]) > budget:
                continue
            if chosen < 0 or job.priority > best_priority:
                chosen, chosen_begin, best_priority = int(pos), begin, job.priority
                fallback_limit = min(fallback_limit, a + _NEAR_S)
        if chosen < 0:
            break
        j = int(cand[chosen])
        job = problem.jobs[j]
        trip.append(j)
        used += int(dist[here, job.loc])
        parcels -= job.parcels
        grams -= job.weight_g
        now = chosen_begin + problem.service_s(j, spec.kind)
        here = job.loc
        left[k] = np.delete(cand, chosen)
        if parcels <= 0:
            break
    return trip, now, here, used

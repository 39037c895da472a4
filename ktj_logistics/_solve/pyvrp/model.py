"""A one-trip day as a PyVRP ``ProblemData``, searched by PyVRP, read back as routes.

PyVRP's iterated local search is fast on the CVRP/VRPTW shape (on the public X
instances it ends within 1 % of the best known in 10 s), but it must represent the
*whole* day or its plan is not comparable: so it is used only when ``represents`` says
every rule of the day has a PyVRP form — vehicles loaded once at their base
(``Problem.single_trip_depot``), at most one time window per stop, handover time not
depending on the vehicle, every stop allowed on every vehicle (kinds and hard officer
areas), no stop outside a soft officer area (PyVRP has no per-vehicle penalty). A staged
day is no exception: a hub is a depot like a source, open once its stock has arrived.
Stops are optional with the drop penalty as their prize, capacities are packages and
grams, an officer's daily distance limit is the vehicle type's ``max_distance``, and
vehicles with the same kind, profile, capacity, shift and limit share a vehicle type.
Days priced by duration minimise route duration, days priced by distance the distance;
the caller prices the routes in the OR-Tools model, so both engines' plans are ranked
by one objective and both pass the same verifier.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from ..._cost import Profile
from ..._plan import StopKind
from ..._problem import Problem
from ..types import SearchConfig, Solution, Visit

_NEVER = 2**62
_UNLIMITED = int(np.iinfo(np.int64).max)


def represents(problem: Problem) -> bool:
    """Whether the day has a faithful PyVRP model (see the module's docstring)."""
    if problem.single_trip_depot() is None or not problem.assigned or problem.issued:
        return False  # issued: a re-plan's cost of moving a stop has no PyVRP form
    everyone = len(problem.vehicles)
    kinds = {v.kind for v in problem.vehicles}
    soft = [v.area for v in problem.vehicles if v.area is not None and not v.area.hard]
    for j in problem.assigned:
        if len(problem.jobs[j].windows) > 1 or len(problem.vehicles_for(j)) != everyone:
            return False  # vehicles_for: kinds, loading place and hard officer areas
        if not all(rule.covers(problem.jobs[j]) for rule in soft):
            return False
        if len({problem.service_s(j, k) for k in kinds}) != 1:
            return False
    return True


def _data(problem: Problem, jobs: list[int]) -> tuple[pyvrp.ProblemData, list[list[int]]]:
    """The PyVRP model, and the day's vehicles behind each vehicle type."""
    depot = problem.depots[problem.single_trip_depot() or 0]
    locs = [depot.loc] + [problem.jobs[j].loc for j in jobs]
    where = np.asarray(locs, dtype=np.int64)
    profiles = sorted({v.profile for v in problem.vehicles})
    by_distance = problem.objective == "distance"
    kind = problem.vehicles[0].kind
    clients: list[pyvrp.Client] = []
    for j in jobs:
        job = problem.jobs[j]
        early, late = job.windows[0] if job.windows else (0, _NEVER)
        clients.append(
            pyvrp.Client(
                location=len(clients) + 1,
                delivery=[job.parcels, job.weight_g],
                service_duration=problem.service_s(j, kind),
                tw_early=early,
                tw_late=late,
                prize=problem.penalties[j],
                required=False,
            )
        )
    types: dict[tuple[Profile, int, int, int, int, int], list[int]] = {}
    for v, spec in enumerate(problem.vehicles):
        start = max(spec.shift[0], depot.window[0]) + depot.loading_s
        key = (spec.profile, spec.cap_parcels, spec.cap_weight_g, start, spec.shift[1])
        types.setdefault((*key, _max_distance(problem, v, depot.loc)), []).append(v)
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=len(vs),
            capacity=[cap_p, cap_w],
            tw_early=start,
            tw_late=max(start, end),
            start_late=max(start, end),
            unit_distance_cost=1 if by_distance else 0,
            unit_duration_cost=0 if by_distance else 1,
            max_distance=limit,
            profile=profiles.index(profile),
        )
        for (profile, cap_p, cap_w, start, end, limit), vs in types.items()
    ]
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(x=0.0, y=0.0) for _ in locs],
        clients=clients,
        depots=[pyvrp.Depot(location=0)],
        vehicle_types=vehicle_types,
        distance_matrices=[_cut(problem.cost[p].distance, where) for p in profiles],
        duration_matrices=[_cut(problem.cost[p].duration, where) for p in profiles],
    )
    return data, list(types.values())


def _max_distance(problem: Problem, v: int, depot_loc: int) -> int:
    """Vehicle ``v``'s daily distance limit as PyVRP counts a route (from the depot back
    to it): less the ride between its base and the depot, which is the same place or
    next to it (``single_trip_depot``). No limit: PyVRP's own default."""
    spec = problem.vehicles[v]
    if spec.max_distance_m is None:
        return _UNLIMITED
    dist = problem.cost[spec.profile].distance
    there_and_back = int(dist[spec.loc, depot_loc]) + int(dist[depot_loc, spec.loc])
    return max(0, spec.max_distance_m - there_and_back)


def _cut(matrix: np.ndarray, where: np.ndarray) -> Any:
    return np.ascontiguousarray(matrix[np.ix_(where, where)], dtype=np.int64)


def solve(problem: Problem, config: SearchConfig) -> Solution:
    """Search the day for ``config.time_limit_s`` seconds; the objective is PyVRP's
    (the caller re-prices the routes). -1 when no feasible plan was found."""
    t0 = time.monotonic()
    k = problem.single_trip_depot()
    jobs = sorted(problem.assigned)
    data, owners = _data(problem, jobs)
    result = pyvrp.solve(
        data, stop=MaxRuntime(max(0.1, config.time_limit_s)), seed=0, collect_stats=False
    )
    wall = time.monotonic() - t0
    best = result.best
    if k is None or not best.is_feasible():
        return Solution((), "infeasible", -1, wall, engine="pyvrp", member="pyvrp")
    routes: list[tuple[Visit, ...]] = [() for _ in problem.vehicles]
    free = [list(vs) for vs in owners]
    for route in best.routes():
        served = [jobs[a.idx] for a in route if a.is_client()]  # idx: client number
        total = [0] * len(problem.items)
        for j in served:
            total = [a + b for a, b in zip(total, problem.jobs[j].demand, strict=True)]
        load = Visit(StopKind.load, k, tuple(total))
        routes[free[route.vehicle_type()].pop(0)] = (
            load,
            *(Visit(StopKind.delivery, j) for j in served),
        )
    return Solution(
        tuple(routes), "success", int(round(result.cost())), wall, engine="pyvrp", member="pyvrp"
    )

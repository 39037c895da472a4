"""Stage 4 — solve: the one module that imports OR-Tools. ``Problem`` in, visits out.

Model, in OR-Tools terms — a pickup-and-delivery problem:

* every job is a pair of nodes: a *pickup* at the source the allocation chose for it and
  the *delivery* at the household (or shared stop), on the same vehicle, pickup first.
  Reloading needs no special machinery: a vehicle goes back to a source whenever its
  next pickups are there, so motorbikes make as many short trips as their shift allows,
  and OR-Tools' insertion heuristics and pair operators add whole trips at a time;
* loading time is charged once per visit to a source (on arriving from elsewhere), and
  loading must start within the source's hours (``available_from`` included);
* capacity dimensions in items and grams count what is on board;
* a time dimension (service + travel, waiting allowed) with shifts and job windows; its
  span is costed too, so officers are not sent out hours before a window opens;
* every job optional, with a drop penalty that grows with its priority; who may serve a
  job is restricted on both nodes of its pair.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2

from .problem import Problem

SAVINGS_NEIGHBOURS = 30
"""Stops whose savings with each stop are considered by OR-Tools' savings start."""

ITERATED_LOCAL_SEARCH = "ITERATED_LOCAL_SEARCH"
"""A ``SearchConfig.metaheuristic`` beside OR-Tools' own names: its iterated local search
(string removals — SISR — recreated by cheapest insertion, then greedy descent, the
result accepted by simulated annealing). It builds its own start, so a seed given
with it is only priced, and kept if the search ends worse or finds nothing."""

SISR_AVERAGE_REMOVED = 20
SISR_MAX_SEQUENCE = 10
"""Strings of at most 10 stops (Christiaens and Vanden Berghe's L_max), about 20 stops
removed per step (their c̄ is 10). On the CVRPLIB yardstick (10 s, each member alone,
one run each) c̄ = 10, 15, 20, 30 gave 3.17 %, 2.72 %, 2.67 %, 2.62 % mean gap."""

GLOBAL_SPAN_WEIGHT = 1
"""Cost per second of the longest route, on top of every route's own time."""

ProgressFn = Callable[[int, int, float], None]  # (objective, jobs served, elapsed s)


@dataclass(frozen=True)
class Visit:
    """A stop of a solved route: loading at a depot (with what is taken) or a job."""

    kind: str  # "load" or "job"
    index: int  # depot index or job index
    load: tuple[int, ...] = ()  # for "load": items taken, in Problem.items order


@dataclass(frozen=True)
class SolveResult:
    routes: tuple[tuple[Visit, ...], ...]  # per vehicle, between start and end
    status: str
    objective: int
    wall_s: float
    engine: str = "ortools"
    start_objective: int = -1
    """The objective of ``initial`` in this model (-1 when the search had no seed)."""


@dataclass(frozen=True)
class SearchConfig:
    time_limit_s: float
    deterministic: bool = False
    solution_limit: int | None = None
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    """An OR-Tools ``LocalSearchMetaheuristic`` name, or ``ITERATED_LOCAL_SEARCH``."""
    portfolio: bool = False
    """Race several starts on the available cores instead (see ``search.py``)."""
    use_initial: bool = True
    """Start from the constructed routes when given; False lets OR-Tools build its own."""
    decompose: bool = False
    """After a first search, re-solve groups of nearby routes (``lns.py``)."""


_STATUS = {
    0: "not_solved",
    1: "success",
    2: "partial_success",  # a time or solution limit stopped the search before a local optimum
    3: "fail",
    4: "fail_timeout",
    5: "invalid",
    6: "infeasible",
    7: "optimal",
}


def single_trip_depot(problem: Problem) -> int | None:
    """The depot every vehicle loads at before leaving, when the day is one trip each.

    When all stock comes from one source at the vehicles' own base (exactly the same
    place) and no vehicle may make a second trip — the classic CVRP/VRPTW shape — pickup
    nodes only double the model: vehicles are loaded at the start instead.
    """
    depots = set(problem.assigned.values())
    if len(depots) != 1:
        return None
    (k,) = depots
    loc = problem.depots[k].loc
    for v in problem.vehicles:
        if v.max_trips != 1 or k not in v.depots or int(problem.distance[v.loc, loc]) != 0:
            return None
    return k


class _Nodes:
    """OR-Tools node numbers: vehicle bases first, then a (pickup, delivery) per job —
    or deliveries only when every vehicle loads at its base (``single_trip_depot``)."""

    def __init__(self, problem: Problem) -> None:
        self.loc: list[int] = [v.loc for v in problem.vehicles]
        self.starts = list(range(len(problem.vehicles)))
        self.pickup: dict[int, int] = {}
        self.delivery: dict[int, int] = {}
        self.what: list[tuple[str, int]] = [("base", -1)] * len(problem.vehicles)
        self.preload = single_trip_depot(problem)
        for j in sorted(problem.assigned):
            if self.preload is None:
                self.pickup[j] = len(self.loc)
                self.loc.append(problem.depots[problem.assigned[j]].loc)
                self.what.append(("pickup", j))
            self.delivery[j] = len(self.loc)
            self.loc.append(problem.jobs[j].loc)
            self.what.append(("job", j))


def _time_matrices(problem: Problem, nodes: _Nodes) -> dict[tuple[int, str], np.ndarray]:
    """Per (speed profile, vehicle kind): service at i + travel i→j + loading setup at j."""
    loc = np.asarray(nodes.loc, dtype=np.int64)
    n = len(loc)
    setup = np.zeros(n, dtype=np.int64)
    for j, node in nodes.pickup.items():
        setup[node] = problem.depots[problem.assigned[j]].loading_s
    # Loading is set up once per visit: not between pickups at the same place.
    arrive_setup = np.where(loc[:, None] != loc[None, :], setup[None, :], 0)
    out: dict[tuple[int, str], np.ndarray] = {}
    for spec in problem.vehicles:
        key = (spec.profile, spec.kind.value)
        if key in out:
            continue
        service = np.zeros(n, dtype=np.int64)
        for j, node in nodes.delivery.items():
            service[node] = problem.service_s(j, spec.kind)
        travel = problem.durations[spec.profile][np.ix_(loc, loc)]
        out[key] = travel + service[:, None] + arrive_setup
    return out


def solve(
    problem: Problem,
    config: SearchConfig,
    progress: ProgressFn | None = None,
    initial: tuple[tuple[Visit, ...], ...] | None = None,
) -> SolveResult:
    """Solve ``problem``; ``initial`` (per vehicle, e.g. from ``construct``) seeds the search.

    When the search starts from ``initial`` and it fits the model, its objective is
    returned as ``start_objective``. A ``time_limit_s`` of 0 only prices ``initial``.
    """
    t0 = time.monotonic()
    if not problem.assigned:
        return SolveResult(tuple(() for _ in problem.vehicles), "empty", 0, 0.0)
    nodes = _Nodes(problem)
    n_veh = len(problem.vehicles)
    manager = pywrapcp.RoutingIndexManager(len(nodes.loc), n_veh, nodes.starts, nodes.starts)
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()

    # --- time, and arc costs ----------------------------------------------------------
    callbacks: dict[tuple[int, str], int] = {}
    for key, matrix in _time_matrices(problem, nodes).items():
        callbacks[key] = routing.RegisterTransitMatrix(matrix.tolist())
        del matrix
    if problem.objective == "distance":
        loc = np.asarray(nodes.loc, dtype=np.int64)
        dist_cb = routing.RegisterTransitMatrix(problem.distance[np.ix_(loc, loc)].tolist())
        routing.SetArcCostEvaluatorOfAllVehicles(dist_cb)
    else:
        for v, spec in enumerate(problem.vehicles):
            routing.SetArcCostEvaluatorOfVehicle(callbacks[(spec.profile, spec.kind.value)], v)
    horizon = 86_400
    routing.AddDimensionWithVehicleTransits(
        [callbacks[(s.profile, s.kind.value)] for s in problem.vehicles],
        horizon,
        horizon,
        False,
        "time",
    )
    tdim = routing.GetDimensionOrDie("time")
    if problem.objective == "duration":
        # Arc costs steer the search by travel; the span adds waiting, so an officer is
        # not sent to a household two hours before its window opens.
        tdim.SetSpanCostCoefficientForAllVehicles(1)
        # The longest day is costed too: work is spread over the officers instead of one
        # motorbike doing twelve trips while the cars stand at the post.
        tdim.SetGlobalSpanCostCoefficient(GLOBAL_SPAN_WEIGHT)
    for v, spec in enumerate(problem.vehicles):
        start, end = spec.shift
        if nodes.preload is not None:  # loaded at the base before leaving
            depot = problem.depots[nodes.preload]
            start = max(start, depot.window[0]) + depot.loading_s
        tdim.CumulVar(routing.Start(v)).SetRange(start, max(start, end))
        tdim.CumulVar(routing.End(v)).SetRange(start, max(start, end))
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(v)))
        routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(v)))
    for j, node in nodes.delivery.items():
        windows = problem.jobs[j].windows
        idx = manager.NodeToIndex(node)
        if windows:
            lo, hi = min(s for s, _ in windows), max(e for _, e in windows)
            tdim.CumulVar(idx).SetRange(lo, hi)
            ws = sorted(windows)
            for (_, e1), (s2, _) in zip(ws, ws[1:], strict=False):
                if s2 > e1 + 1:
                    tdim.CumulVar(idx).RemoveInterval(e1 + 1, s2 - 1)
    for j, node in nodes.pickup.items():
        depot = problem.depots[problem.assigned[j]]
        lo, hi = depot.window
        # The cumul at a pickup is when loading ends: loading must start within hours.
        tdim.CumulVar(manager.NodeToIndex(node)).SetRange(
            lo + depot.loading_s, hi + depot.loading_s
        )

    # --- what is on board ------------------------------------------------------------------
    parcels = [0] * len(nodes.loc)
    grams = [0] * len(nodes.loc)
    for j, d in nodes.delivery.items():
        job = problem.jobs[j]
        if nodes.preload is not None:  # the load counts what has been handed over
            parcels[d], grams[d] = job.parcels, job.weight_g
        else:
            parcels[nodes.pickup[j]], parcels[d] = job.parcels, -job.parcels
            grams[nodes.pickup[j]], grams[d] = job.weight_g, -job.weight_g
    for name, amounts, caps in (
        ("items", parcels, [v.cap_parcels for v in problem.vehicles]),
        ("weight", grams, [v.cap_weight_g for v in problem.vehicles]),
    ):
        cb = routing.RegisterUnaryTransitVector(amounts)
        routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, name)
    if any(v.max_trips for v in problem.vehicles):
        loc_of = nodes.loc
        is_pickup = [w[0] == "pickup" for w in nodes.what]

        def new_trip(i: int, j: int) -> int:
            a, b = manager.IndexToNode(i), manager.IndexToNode(j)
            return 1 if is_pickup[b] and loc_of[a] != loc_of[b] else 0

        trips_cb = routing.RegisterTransitCallback(new_trip)
        routing.AddDimensionWithVehicleCapacity(
            trips_cb, 0, [v.max_trips or 10_000 for v in problem.vehicles], True, "trips"
        )

    # --- pairs, who may serve them, and optional visits ----------------------------------
    for j in nodes.delivery:
        d = manager.NodeToIndex(nodes.delivery[j])
        allowed = problem.vehicles_for(j)
        if len(allowed) < n_veh:
            _allow_only(routing, d, allowed)
        routing.AddDisjunction([d], problem.penalties[j])
        if j not in nodes.pickup:
            continue
        p = manager.NodeToIndex(nodes.pickup[j])
        routing.AddPickupAndDelivery(p, d)
        solver.Add(routing.VehicleVar(p) == routing.VehicleVar(d))
        solver.Add(tdim.CumulVar(p) <= tdim.CumulVar(d))
        if len(allowed) < n_veh:
            _allow_only(routing, p, allowed)
        routing.AddDisjunction([p], 0)

    # --- search ---------------------------------------------------------------------------
    params = search_parameters(config, len(nodes.loc))
    ils = config.metaheuristic == ITERATED_LOCAL_SEARCH
    if ils:
        # Reading a seed closes the model with default parameters; the iterated search
        # was measured with the model closed with its own.
        routing.CloseModelWithParameters(params)
    deliveries = [manager.NodeToIndex(n) for n in nodes.delivery.values()]
    if progress is not None:

        def _on_solution() -> None:
            served = sum(1 for idx in deliveries if routing.NextVar(idx).Value() != idx)
            progress(int(routing.CostVar().Value()), served, time.monotonic() - t0)

        routing.AddAtSolutionCallback(_on_solution)
    # On large days OR-Tools' own first solution for pairs is slow (minutes at 2,000
    # households); a constructed start, when feasible, gets the search going at once.
    price_only = config.time_limit_s <= 0
    seed = (
        _read_routes(routing, manager, nodes, problem, initial)
        if initial and (config.use_initial or price_only or ils)
        else None
    )
    start_objective = -1
    restored = None
    if seed is not None:
        restored = routing.RestoreAssignment(seed)
        if restored is not None:
            start_objective = int(restored.ObjectiveValue())
    if seed is not None and price_only:
        solution = restored
    elif ils:
        solution = routing.SolveWithIteratedLocalSearch(params)
        if restored is not None and (
            solution is None or solution.ObjectiveValue() > start_objective
        ):
            solution = restored
    elif seed is not None:
        solution = routing.SolveFromAssignmentWithParameters(seed, params)
        if solution is None:
            # The search ran out of time: the feasible start stands.
            solution = restored if restored is not None else seed
    else:
        solution = routing.SolveWithParameters(params)
    status = _STATUS.get(routing.status(), str(routing.status()))
    if ils and solution is not None and status == "not_solved":
        status = "success"  # the iterated search leaves the model's status unset
    if solution is None:
        return SolveResult((), status, -1, time.monotonic() - t0)
    routes: list[tuple[Visit, ...]] = []
    for v in range(n_veh):
        idx = solution.Value(routing.NextVar(routing.Start(v)))
        raw: list[tuple[str, int]] = []
        while not routing.IsEnd(idx):
            raw.append(nodes.what[manager.IndexToNode(idx)])
            idx = solution.Value(routing.NextVar(idx))
        if nodes.preload is not None and raw:
            raw = [("pickup", j) for kind, j in raw] + raw  # loaded before leaving
        routes.append(_visits(problem, raw))
    return SolveResult(
        tuple(routes),
        status,
        solution.ObjectiveValue(),
        time.monotonic() - t0,
        start_objective=start_objective,
    )


def search_parameters(config: SearchConfig, nodes: int = 0) -> Any:
    """OR-Tools search parameters for ``config`` on a model of ``nodes`` nodes."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    if nodes:
        # Savings over every pair of stops took 2-4 s of a 10 s budget at 300-400 stops
        # (and found nothing in time at 313); its nearest ~30 neighbours give as good a
        # start (vrplib yardstick, 4 s runs) in a tenth of the time.
        params.savings_parameters.neighbors_ratio = min(1.0, SAVINGS_NEIGHBOURS / nodes)
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, config.first_solution
    )
    if config.metaheuristic == ITERATED_LOCAL_SEARCH:
        _iterated_local_search(params)
    else:
        params.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, config.metaheuristic
        )
    if config.deterministic:
        params.solution_limit = config.solution_limit or 400
        params.time_limit.FromSeconds(int(max(60, config.time_limit_s * 20)))
    else:
        params.time_limit.FromMilliseconds(int(config.time_limit_s * 1000))
        if config.solution_limit:
            params.solution_limit = config.solution_limit
    return params


def _iterated_local_search(params: Any) -> None:
    """Turn on OR-Tools' iterated local search: remove strings of nearby stops (SISR),
    reinsert them cheapest first, descend, and accept by simulated annealing whose
    temperatures OR-Tools derives from the arc costs (so no setting is per instance)."""
    enums = routing_enums_pb2
    params.local_search_metaheuristic = enums.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.use_iterated_local_search = True
    ils = params.iterated_local_search_parameters
    ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
    ils.improve_perturbed_solution = True
    rr = ils.ruin_recreate_parameters
    del rr.ruin_strategies[:]
    sisr = rr.ruin_strategies.add().sisr
    sisr.avg_num_removed_visits = SISR_AVERAGE_REMOVED
    sisr.max_removed_sequence_size = SISR_MAX_SEQUENCE
    sisr.bypass_factor = 0.01
    rr.recreate_strategy.heuristic = enums.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    accept = ils.reference_solution_acceptance_strategy.simulated_annealing
    accept.automatic_temperatures = True
    ils.best_solution_acceptance_strategy.greedy_descent.SetInParent()


def _visits(problem: Problem, raw: list[tuple[str, int]]) -> tuple[Visit, ...]:
    """Merge consecutive pickups at one depot into one loading visit."""
    out: list[Visit] = []
    for kind, j in raw:
        if kind == "job":
            out.append(Visit("job", j))
            continue
        k = problem.assigned[j]
        demand = problem.jobs[j].demand
        if out and out[-1].kind == "load" and out[-1].index == k:
            merged = tuple(a + b for a, b in zip(out[-1].load, demand, strict=True))
            out[-1] = Visit("load", k, merged)
        else:
            out.append(Visit("load", k, tuple(demand)))
    return tuple(out)


def _read_routes(
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    nodes: _Nodes,
    problem: Problem,
    initial: tuple[tuple[Visit, ...], ...],
) -> pywrapcp.Assignment | None:
    """The assignment of ``initial``: each loading visit becomes the pickups of the jobs
    its trip delivers (in delivery order). None if the routes do not fit the model."""
    routes: list[list[int]] = []
    for visits in initial:
        route: list[int] = []
        pending: list[int] = []  # pickups of the current loading visit, not yet placed
        for i, vis in enumerate(visits):
            if vis.kind == "load":
                trip = []
                for nxt in visits[i + 1 :]:
                    if nxt.kind == "load":
                        break
                    if problem.assigned.get(nxt.index) == vis.index:
                        trip.append(nxt.index)
                pending = [j for j in trip if j in nodes.delivery]
                route += [
                    manager.NodeToIndex(nodes.pickup[j]) for j in pending if j in nodes.pickup
                ]
            else:
                if vis.index not in nodes.delivery or vis.index not in pending:
                    return None
                route.append(manager.NodeToIndex(nodes.delivery[vis.index]))
        routes.append(route)
    assignment: pywrapcp.Assignment | None = routing.ReadAssignmentFromRoutes(routes, True)
    return assignment


def _allow_only(routing: pywrapcp.RoutingModel, index: int, vehicles: list[int]) -> None:
    """Only ``vehicles`` may visit ``index`` (-1 keeps it droppable).

    ``SetAllowedVehiclesForIndex`` cannot be called from Python in OR-Tools 9.15 (its
    SWIG wrapper rejects every sequence), so the vehicle variable is restricted directly.
    """
    routing.VehicleVar(index).SetValues([-1, *vehicles])

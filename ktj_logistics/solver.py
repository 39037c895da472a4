"""Stage 4 — solve: the one module that imports OR-Tools. ``Problem`` in, visits out.

Model, in OR-Tools terms:

* nodes: one per vehicle base (start/end), one per job, and for every supply source a
  number of optional *loading* nodes (a vehicle reloads by visiting one; unused copies
  cost nothing);
* one load dimension per source in use, holding the items on board from that source:
  a job takes its items off (negative transit), a loading node at that source adds any
  amount as slack, and at a loading node of another source the vehicle must arrive
  empty — so every trip carries stock from one source only, and the allocation's choice
  of source per job is respected;
* a weight dimension (grams) built the same way, and an optional trips dimension;
* a time dimension (service + travel, waiting allowed) with shifts, job windows and
  source opening hours;
* every job optional, with a drop penalty that grows with its priority.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .problem import Problem

ProgressFn = Callable[[int, int, float], None]  # (objective, jobs served, elapsed s)


@dataclass(frozen=True)
class Visit:
    """A node of a solved route: a loading visit (depot) or a job."""

    kind: str  # "load" or "job"
    index: int  # depot index or job index


@dataclass(frozen=True)
class SolveResult:
    routes: tuple[tuple[Visit, ...], ...]  # per vehicle, between start and end
    status: str
    objective: int
    wall_s: float
    engine: str = "ortools"


@dataclass(frozen=True)
class SearchConfig:
    time_limit_s: float
    deterministic: bool = False
    solution_limit: int | None = None
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    portfolio: bool = False
    """Race several starts on the available cores instead (see ``search.py``)."""


_STATUS = {
    0: "not_solved",
    1: "success",
    2: "partial_success_time_limit",
    3: "fail",
    4: "fail_timeout",
    5: "invalid",
    6: "infeasible",
    7: "optimal",
}


class _Nodes:
    """Maps OR-Tools node numbers to what they stand for."""

    def __init__(self, problem: Problem) -> None:
        self.loc: list[int] = []
        self.what: list[tuple[str, int]] = []
        for v in problem.vehicles:
            self._add(v.loc, ("base", -1))
        self.starts = list(range(len(problem.vehicles)))
        self.job_node: dict[int, int] = {}
        for j in sorted(problem.assigned):
            self.job_node[j] = len(self.loc)
            self._add(problem.jobs[j].loc, ("job", j))
        self.load_nodes: dict[int, list[int]] = {}
        for k, n in sorted(problem.reload_copies.items()):
            self.load_nodes[k] = []
            for _ in range(n):
                self.load_nodes[k].append(len(self.loc))
                self._add(problem.depots[k].loc, ("load", k))

    def _add(self, loc: int, what: tuple[str, int]) -> None:
        self.loc.append(loc)
        self.what.append(what)


def solve(
    problem: Problem, config: SearchConfig, progress: ProgressFn | None = None
) -> SolveResult:
    t0 = time.monotonic()
    if not problem.assigned:
        return SolveResult(tuple(() for _ in problem.vehicles), "empty", 0, 0.0)
    nodes = _Nodes(problem)
    n_veh = len(problem.vehicles)
    manager = pywrapcp.RoutingIndexManager(len(nodes.loc), n_veh, nodes.starts, nodes.starts)
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()
    loc = nodes.loc

    # --- arc costs and time -----------------------------------------------------------
    import numpy as np

    loc_arr = np.asarray(loc, dtype=np.int64)
    service = {}  # per vehicle kind: service time at each node
    kinds = sorted({v.kind for v in problem.vehicles})
    for kind in kinds:
        s = np.zeros(len(loc), dtype=np.int64)
        for j, n in nodes.job_node.items():
            s[n] = problem.service_s(j, kind)
        for k, ns in nodes.load_nodes.items():
            s[ns] = problem.depots[k].loading_s
        service[kind] = s
    cost_cb: dict[int, int] = {}
    time_cb: dict[tuple[int, str], int] = {}
    for v, spec in enumerate(problem.vehicles):
        p = spec.profile
        if problem.objective == "distance":
            key = -1
            if key not in cost_cb:
                m = problem.distance[np.ix_(loc_arr, loc_arr)]
                cost_cb[key] = routing.RegisterTransitMatrix(m.tolist())
        else:
            key = p
            if key not in cost_cb:
                m = problem.durations[p][np.ix_(loc_arr, loc_arr)]
                cost_cb[key] = routing.RegisterTransitMatrix(m.tolist())
        routing.SetArcCostEvaluatorOfVehicle(cost_cb[key], v)
        tkey = (p, spec.kind)
        if tkey not in time_cb:
            m = problem.durations[p][np.ix_(loc_arr, loc_arr)] + service[spec.kind][:, None]
            time_cb[tkey] = routing.RegisterTransitMatrix(m.tolist())
    horizon = 86_400
    routing.AddDimensionWithVehicleTransits(
        [time_cb[(s.profile, s.kind)] for s in problem.vehicles], horizon, horizon, False, "time"
    )
    tdim = routing.GetDimensionOrDie("time")
    if problem.objective == "duration":
        # Arc costs steer the search by travel; the span adds waiting, so an officer is
        # not sent to a household two hours before its window opens.
        tdim.SetSpanCostCoefficientForAllVehicles(1)
    for v, spec in enumerate(problem.vehicles):
        start, end = spec.shift
        if spec.preload is not None:
            d = problem.depots[spec.preload]
            start = max(start, d.window[0]) + d.loading_s
        tdim.CumulVar(routing.Start(v)).SetRange(start, max(start, end))
        tdim.CumulVar(routing.End(v)).SetRange(start, max(start, end))
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.Start(v)))
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(v)))
    for j, n in nodes.job_node.items():
        windows = problem.jobs[j].windows
        idx = manager.NodeToIndex(n)
        if windows:
            lo, hi = min(s for s, _ in windows), max(e for _, e in windows)
            tdim.CumulVar(idx).SetRange(lo, hi)
            ws = sorted(windows)
            for (_, e1), (s2, _) in zip(ws, ws[1:], strict=False):
                if s2 > e1 + 1:
                    tdim.CumulVar(idx).RemoveInterval(e1 + 1, s2 - 1)
    for k, ns in nodes.load_nodes.items():
        lo, hi = problem.depots[k].window
        for n in ns:
            tdim.CumulVar(manager.NodeToIndex(n)).SetRange(lo, hi)

    # --- loads: one dimension per depot in use, plus weight -------------------------------
    used = sorted({d for d in problem.assigned.values()})
    max_cap = max(v.cap_parcels for v in problem.vehicles)
    job_indices = [manager.NodeToIndex(n) for n in nodes.job_node.values()]
    for k in used:
        demand = [0] * len(loc)
        for j, n in nodes.job_node.items():
            if problem.assigned[j] == k:
                demand[n] = -problem.jobs[j].parcels
        cb = routing.RegisterUnaryTransitVector(demand)
        name = f"load_{k}"
        routing.AddDimensionWithVehicleCapacity(
            cb, max_cap, [v.cap_parcels for v in problem.vehicles], False, name
        )
        dim = routing.GetDimensionOrDie(name)
        for idx in job_indices:
            dim.SlackVar(idx).SetValue(0)
        for other, ns in nodes.load_nodes.items():
            for n in ns:
                idx = manager.NodeToIndex(n)
                if other != k:
                    dim.SlackVar(idx).SetValue(0)
                    dim.CumulVar(idx).SetValue(0)  # arrive empty of k before loading elsewhere
        for v, spec in enumerate(problem.vehicles):
            sidx = routing.Start(v)
            dim.SlackVar(sidx).SetValue(0)
            if spec.preload != k:
                dim.CumulVar(sidx).SetValue(0)
    if _weight_may_bind(problem):
        weights = [0] * len(loc)
        for j, n in nodes.job_node.items():
            weights[n] = -problem.jobs[j].weight_g
        wcb = routing.RegisterUnaryTransitVector(weights)
        max_w = max(v.cap_weight_g for v in problem.vehicles)
        routing.AddDimensionWithVehicleCapacity(
            wcb, max_w, [v.cap_weight_g for v in problem.vehicles], False, "weight"
        )
        wdim = routing.GetDimensionOrDie("weight")
        for idx in job_indices:
            wdim.SlackVar(idx).SetValue(0)
        for v, spec in enumerate(problem.vehicles):
            wdim.SlackVar(routing.Start(v)).SetValue(0)
            if spec.preload is None:
                wdim.CumulVar(routing.Start(v)).SetValue(0)
    if nodes.load_nodes and any(v.max_trips for v in problem.vehicles):
        trips = [0] * len(loc)
        for ns in nodes.load_nodes.values():
            for n in ns:
                trips[n] = 1
        tcb = routing.RegisterUnaryTransitVector(trips)
        caps = [
            (v.max_trips or 1000) - (1 if v.preload is not None else 0) for v in problem.vehicles
        ]
        routing.AddDimensionWithVehicleCapacity(tcb, 0, caps, True, "trips")

    # --- who may go where, and optional visits -------------------------------------------
    for j, n in nodes.job_node.items():
        idx = manager.NodeToIndex(n)
        allowed = problem.vehicles_for(j)
        if len(allowed) < n_veh:
            routing.SetAllowedVehiclesForIndex(allowed, idx)
        routing.AddDisjunction([idx], problem.penalties[j])
    for k, ns in nodes.load_nodes.items():
        allowed = [v for v, spec in enumerate(problem.vehicles) if k in spec.depots]
        for n in ns:
            idx = manager.NodeToIndex(n)
            if len(allowed) < n_veh:
                routing.SetAllowedVehiclesForIndex(allowed, idx)
            routing.AddDisjunction([idx], 0)

    # --- search ---------------------------------------------------------------------------
    params = search_parameters(config)
    if progress is not None:

        def _on_solution() -> None:
            served = sum(
                1
                for idx in job_indices
                if routing.NextVar(idx).Value() != idx  # type: ignore[no-untyped-call]
            )
            progress(int(routing.CostVar().Value()), served, time.monotonic() - t0)

        routing.AddAtSolutionCallback(_on_solution)
    solution = routing.SolveWithParameters(params)
    status = _STATUS.get(routing.status(), str(routing.status()))
    if solution is None:
        return SolveResult((), status, -1, time.monotonic() - t0)
    routes: list[tuple[Visit, ...]] = []
    for v in range(n_veh):
        idx = solution.Value(routing.NextVar(routing.Start(v)))
        visits: list[Visit] = []
        while not routing.IsEnd(idx):
            kind, i = nodes.what[manager.IndexToNode(idx)]
            visits.append(Visit("load" if kind == "load" else "job", i))
            idx = solution.Value(routing.NextVar(idx))
        routes.append(_drop_empty_loads(tuple(visits)))
    return SolveResult(tuple(routes), status, solution.ObjectiveValue(), time.monotonic() - t0)


def _weight_may_bind(problem: Problem) -> bool:
    """Whether any vehicle could be over weight while within its parcel count.

    A trip carries one source's parcels, at most ``cap_parcels`` of them; if even that
    many of the heaviest parcel fit the weight limit, the weight dimension only slows the
    search down and is left out.
    """
    heaviest = max(
        (-(-job.weight_g // job.parcels) for job in problem.jobs if job.parcels), default=0
    )
    return any(v.cap_weight_g < v.cap_parcels * heaviest for v in problem.vehicles)


def search_parameters(config: SearchConfig) -> object:
    """OR-Tools search parameters for ``config``."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, config.first_solution
    )
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


def _drop_empty_loads(visits: tuple[Visit, ...]) -> tuple[Visit, ...]:
    """Remove loading visits not followed by a delivery before the next load or the end."""
    out: list[Visit] = []
    for i, v in enumerate(visits):
        if v.kind == "load":
            nxt = next((w for w in visits[i + 1 :]), None)
            if nxt is None or nxt.kind == "load":
                continue
        out.append(v)
    return tuple(out)

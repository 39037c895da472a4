"""The one module that imports OR-Tools: a ``Problem`` in, a ``Solution`` out.

The model, in OR-Tools terms — a pickup-and-delivery problem:

* every job is a pair of nodes: a *pickup* at the source the allocation chose for it and
  the *delivery* at the household (or shared stop), on the same vehicle, pickup first.
  Reloading needs no special machinery: a vehicle goes back to a source whenever its
  next pickups are there, so motorbikes make as many short trips as their shift allows,
  and OR-Tools' insertion heuristics and pair operators add whole trips at a time;
* when every vehicle loads once at its own base (``Problem.single_trip_depot``, the CVRP/VRPTW
  shape) there are no pickup nodes: vehicles leave loaded;
* loading time is charged once per visit to a source (on arriving from elsewhere), and
  loading must start within the source's hours (``available_from`` included);
* capacity dimensions in items and grams count what is on board;
* a time dimension (service + travel, waiting allowed) with shifts and job windows; its
  span is costed too, so officers are not sent out hours before a window opens;
* every job optional, with a drop penalty that grows with its priority; who may serve a
  job is restricted on both nodes of its pair (kinds, hard officer areas);
* officers' daily distance limits and soft areas (``officers.py``); a re-plan's starts
  away from the base and its cost of moving a stop to another officer (``resume.py``).

The building order follows OR-Tools' own samples: index manager → routing model →
transit callbacks → dimensions → pairs and disjunctions → search parameters → walk the
routes.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp

from ..._plan import StopKind
from ..._problem import Problem
from ..types import ITERATED_LOCAL_SEARCH, Routes, SearchConfig, SearchProgress, Solution, Visit
from .officers import add_officer_rules
from .params import STATUS, reading_parameters, search_parameters
from .resume import add_move_costs, away_ends

GLOBAL_SPAN_WEIGHT = 1
"""Cost per second of the longest route, on top of every route's own time."""

HORIZON_S = 86_400


class _Nodes:
    """OR-Tools node numbers: vehicle bases first, then a (pickup, delivery) per job —
    or deliveries only when every vehicle loads at its base (``Problem.single_trip_depot``)."""

    def __init__(self, problem: Problem) -> None:
        self.loc: list[int] = [v.start for v in problem.vehicles]
        self.starts = list(range(len(problem.vehicles)))
        self.pickup: dict[int, int] = {}
        self.delivery: dict[int, int] = {}
        self.job_of: list[int] = [-1] * len(problem.vehicles)  # job of a node; -1 at bases
        self.preload = problem.single_trip_depot()
        for j in sorted(problem.assigned):
            if self.preload is None:
                self.pickup[j] = len(self.loc)
                self.loc.append(problem.depots[problem.assigned[j]].loc)
                self.job_of.append(j)
            self.delivery[j] = len(self.loc)
            self.loc.append(problem.jobs[j].loc)
            self.job_of.append(j)
        self.ends = away_ends(problem, self.loc, self.job_of)  # a re-plan's own end nodes

    def is_pickup(self, node: int) -> bool:
        j = self.job_of[node]
        return j >= 0 and self.pickup.get(j) == node


class _Model:
    """One routing model of a problem, with the handles the search and the readers need."""

    def __init__(self, problem: Problem, global_span: bool = True) -> None:
        self.problem = problem
        self.global_span = global_span
        self.nodes = _Nodes(problem)
        n_veh = len(problem.vehicles)
        self.manager = pywrapcp.RoutingIndexManager(
            len(self.nodes.loc), n_veh, self.nodes.starts, self.nodes.ends
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.time = self._time_dimension()
        self._windows()
        self._capacities()
        self._trips()
        self._pairs()
        add_move_costs(self.routing, problem, self.nodes.delivery, len(self.nodes.loc))
        add_officer_rules(self)  # daily distance limits, soft officer areas

    def index(self, node: int) -> int:
        return int(self.manager.NodeToIndex(node))

    def _time_matrices(self) -> dict[tuple[Any, str], np.ndarray]:
        """Per (profile, kind): service at i + travel i→j + loading setup at j."""
        p, nodes = self.problem, self.nodes
        loc = np.asarray(nodes.loc, dtype=np.int64)
        setup = np.zeros(len(loc), dtype=np.int64)
        for j, node in nodes.pickup.items():
            setup[node] = p.depots[p.assigned[j]].loading_s
        # Loading is set up once per visit: not between pickups at the same place.
        arrive_setup = np.where(loc[:, None] != loc[None, :], setup[None, :], 0)
        out: dict[tuple[Any, str], np.ndarray] = {}
        for spec in p.vehicles:
            key = (spec.profile, spec.kind.value)
            if key in out:
                continue
            service = np.zeros(len(loc), dtype=np.int64)
            for j, node in nodes.delivery.items():
                service[node] = p.service_s(j, spec.kind)
            travel = p.cost[spec.profile].duration[np.ix_(loc, loc)]
            out[key] = travel + service[:, None] + arrive_setup
        return out

    def _time_dimension(self) -> Any:
        p, routing = self.problem, self.routing
        callbacks = {
            key: routing.RegisterTransitMatrix(m.tolist())
            for key, m in self._time_matrices().items()
        }
        per_vehicle = [callbacks[(s.profile, s.kind.value)] for s in p.vehicles]
        if p.objective == "distance":
            loc = np.asarray(self.nodes.loc, dtype=np.int64)
            cost = {f: p.cost[f].distance[np.ix_(loc, loc)].tolist() for f in p.cost}
            by_profile = {f: routing.RegisterTransitMatrix(m) for f, m in cost.items()}
            arc_cost = [by_profile[s.profile] for s in p.vehicles]
        else:
            arc_cost = per_vehicle
        # One evaluator per profile, not per vehicle: OR-Tools sorts vehicles into cost
        # classes by evaluator; a copy per vehicle searched as if all differed (Solomon,
        # 10 s, median of 3: 1.65 % mean gap, against 0.99 % before that came in).
        if len(set(arc_cost)) == 1:
            routing.SetArcCostEvaluatorOfAllVehicles(arc_cost[0])
        else:
            for v, cb in enumerate(arc_cost):
                routing.SetArcCostEvaluatorOfVehicle(cb, v)
        routing.AddDimensionWithVehicleTransits(per_vehicle, HORIZON_S, HORIZON_S, False, "time")
        tdim = routing.GetDimensionOrDie("time")
        if p.objective == "duration":
            # Arc costs steer the search by travel; the span adds waiting, so an officer is
            # not sent to a household two hours before its window opens. The longest day
            # is costed too: work is spread over the officers instead of one motorbike
            # doing twelve trips while the cars stand at the post.
            tdim.SetSpanCostCoefficientForAllVehicles(1)
            tdim.SetGlobalSpanCostCoefficient(GLOBAL_SPAN_WEIGHT if self.global_span else 0)
        return tdim

    def _windows(self) -> None:
        p, routing, tdim, nodes = self.problem, self.routing, self.time, self.nodes
        for v, spec in enumerate(p.vehicles):
            start, end = spec.shift
            if nodes.preload is not None:  # loaded at the base before leaving
                depot = p.depots[nodes.preload]
                start = max(start, depot.window[0]) + depot.loading_s
            for idx in (routing.Start(v), routing.End(v)):
                tdim.CumulVar(idx).SetRange(start, max(start, end))
            routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(v)))
            routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(v)))
        for j, node in nodes.delivery.items():
            windows = sorted(p.jobs[j].windows)
            if not windows:
                continue
            cumul = tdim.CumulVar(self.index(node))
            cumul.SetRange(windows[0][0], max(e for _, e in windows))
            for (_, e1), (s2, _) in zip(windows, windows[1:], strict=False):
                if s2 > e1 + 1:
                    cumul.RemoveInterval(e1 + 1, s2 - 1)
        for j, node in nodes.pickup.items():
            depot = p.depots[p.assigned[j]]
            lo, hi = depot.window
            # The cumul at a pickup is when loading ends: loading must start within hours.
            tdim.CumulVar(self.index(node)).SetRange(lo + depot.loading_s, hi + depot.loading_s)

    def _capacities(self) -> None:
        p, nodes = self.problem, self.nodes
        parcels = [0] * len(nodes.loc)
        grams = [0] * len(nodes.loc)
        for j, d in nodes.delivery.items():
            job = p.jobs[j]
            if nodes.preload is not None:  # the load counts what has been handed over
                parcels[d], grams[d] = job.parcels, job.weight_g
            else:
                parcels[nodes.pickup[j]], parcels[d] = job.parcels, -job.parcels
                grams[nodes.pickup[j]], grams[d] = job.weight_g, -job.weight_g
        for name, amounts, caps in (
            ("items", parcels, [v.cap_parcels for v in p.vehicles]),
            ("weight", grams, [v.cap_weight_g for v in p.vehicles]),
        ):
            cb = self.routing.RegisterUnaryTransitVector(amounts)
            self.routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, name)

    def _trips(self) -> None:
        """A trips dimension counts arrivals at a loading place from elsewhere."""
        p, nodes, manager = self.problem, self.nodes, self.manager
        if not any(v.max_trips for v in p.vehicles):
            return
        loc_of = nodes.loc
        pickups = [nodes.is_pickup(n) for n in range(len(loc_of))]

        def new_trip(i: int, j: int) -> int:
            a, b = manager.IndexToNode(i), manager.IndexToNode(j)
            return 1 if pickups[b] and loc_of[a] != loc_of[b] else 0

        cb = self.routing.RegisterTransitCallback(new_trip)
        caps = [v.max_trips or 10_000 for v in p.vehicles]
        self.routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "trips")

    def _pairs(self) -> None:
        """Pickup before delivery on one vehicle; who may serve; optional visits."""
        p, nodes, routing = self.problem, self.nodes, self.routing
        solver = routing.solver()
        n_veh = len(p.vehicles)
        for j, node in nodes.delivery.items():
            d = self.index(node)
            allowed = p.vehicles_for(j)
            if len(allowed) < n_veh:
                _allow_only(routing, d, allowed)
            routing.AddDisjunction([d], p.penalties[j])
            if j not in nodes.pickup:
                continue
            pk = self.index(nodes.pickup[j])
            routing.AddPickupAndDelivery(pk, d)
            solver.Add(routing.VehicleVar(pk) == routing.VehicleVar(d))
            solver.Add(self.time.CumulVar(pk) <= self.time.CumulVar(d))
            if len(allowed) < n_veh:
                _allow_only(routing, pk, allowed)
            routing.AddDisjunction([pk], 0)

    def assignment_of(self, routes: Routes) -> Any:
        """The assignment of ``routes``: each load becomes the pickups of the jobs its
        trip delivers (in delivery order). None if the routes do not fit the model."""
        nodes = []
        for visits in routes:
            route = self._route_nodes(visits)
            if route is None:
                return None
            nodes.append(route)
        return self.routing.ReadAssignmentFromRoutes(nodes, True)

    def _route_nodes(self, visits: tuple[Visit, ...]) -> list[int] | None:
        p, n = self.problem, self.nodes
        route: list[int] = []
        pending: list[int] = []  # jobs whose pickups the current load placed
        for i, vis in enumerate(visits):
            if vis.kind == StopKind.load:
                pending = []
                for nxt in visits[i + 1 :]:
                    if nxt.kind == StopKind.load:
                        break
                    if p.assigned.get(nxt.index) == vis.index and nxt.index in n.delivery:
                        pending.append(nxt.index)
                route += [self.index(n.pickup[j]) for j in pending if j in n.pickup]
            elif vis.index not in n.delivery or vis.index not in pending:
                return None
            else:
                route.append(self.index(n.delivery[vis.index]))
        return route

    def routes_of(self, solution: Any) -> Routes:
        """Walk each vehicle's ``NextVar`` chain and merge pickups into loading visits."""
        routing, nodes = self.routing, self.nodes
        out: list[tuple[Visit, ...]] = []
        for v in range(len(self.problem.vehicles)):
            raw: list[tuple[bool, int]] = []  # (is pickup, job)
            idx = solution.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(idx):
                node = self.manager.IndexToNode(idx)
                raw.append((nodes.is_pickup(node), nodes.job_of[node]))
                idx = solution.Value(routing.NextVar(idx))
            if nodes.preload is not None and raw:
                raw = [(True, j) for _, j in raw] + raw  # loaded before leaving
            out.append(_visits(self.problem, raw))
        return tuple(out)


def _visits(problem: Problem, raw: list[tuple[bool, int]]) -> tuple[Visit, ...]:
    """Merge consecutive pickups at one depot into one loading visit."""
    out: list[Visit] = []
    for pickup, j in raw:
        if not pickup:
            out.append(Visit(StopKind.delivery, j))
            continue
        k = problem.assigned[j]
        demand = problem.jobs[j].demand
        if out and out[-1].kind == StopKind.load and out[-1].index == k:
            merged = tuple(a + b for a, b in zip(out[-1].load, demand, strict=True))
            out[-1] = Visit(StopKind.load, k, merged)
        else:
            out.append(Visit(StopKind.load, k, tuple(demand)))
    return tuple(out)


def _allow_only(routing: pywrapcp.RoutingModel, index: int, vehicles: list[int]) -> None:
    """Only ``vehicles`` may visit ``index`` (-1 keeps it droppable).

    ``SetAllowedVehiclesForIndex`` cannot be called from Python in OR-Tools 9.15 (its
    SWIG wrapper rejects every sequence), so the vehicle variable is restricted directly.
    """
    routing.VehicleVar(index).SetValues([-1, *vehicles])


def solve(
    problem: Problem,
    config: SearchConfig,
    progress: SearchProgress | None = None,
    initial: Routes | None = None,
) -> Solution:
    """Search ``problem``; ``initial`` (per vehicle, e.g. from ``construct``) seeds it.

    When the search is seeded and the seed fits the model, its objective is returned as
    ``start_objective``. A ``time_limit_s`` of 0 only prices ``initial``.
    """
    t0 = time.monotonic()
    if not problem.assigned:
        return Solution(tuple(() for _ in problem.vehicles), "empty", 0, 0.0)
    if config.metaheuristic == ITERATED_LOCAL_SEARCH and len(problem.assigned) < len(
        problem.vehicles
    ):
        # OR-Tools 9.15's iterated local search never returns (time limit or not) when a
        # model has more vehicles than stops -- a day of one stop and two cars hung the
        # previous release too. Guided local search plans such a day in no time.
        config = replace(config, metaheuristic="GUIDED_LOCAL_SEARCH")
    model = _Model(problem, config.global_span)
    params = search_parameters(config, len(model.nodes.loc))
    ils = config.metaheuristic == ITERATED_LOCAL_SEARCH
    # Reading or pricing a seed is itself a search (for the time and slack values of the
    # fixed routes) that, left to OR-Tools' defaults, optimises them until its time
    # limit -- forever by default: on reload days with windows and span costs it never
    # returned. Its first solution is all we need, so the model is closed with the
    # search's own parameters but a limit of one solution; searches pass their own.
    # The iterated search keeps its own parameters, as it was measured with: its model
    # is closed before the seed is read, and one-trip days have no windows to slow that.
    model.routing.CloseModelWithParameters(params if ils else reading_parameters(params))
    if progress is not None:
        _report_progress(model, progress, t0)
    price_only = config.time_limit_s <= 0
    seed = (
        model.assignment_of(initial)
        if initial and (config.use_initial or price_only or ils)
        else None
    )
    restored = model.routing.RestoreAssignment(seed) if seed is not None else None
    start_objective = int(restored.ObjectiveValue()) if restored is not None else -1
    solution = _search(model, params, seed, restored, price_only, ils, start_objective)
    status = STATUS.get(model.routing.status(), str(model.routing.status()))
    if ils and solution is not None and status == "not_solved":
        status = "success"  # the iterated search leaves the model's status unset
    if solution is None:
        return Solution((), status, -1, time.monotonic() - t0)
    return Solution(
        model.routes_of(solution),
        status,
        int(solution.ObjectiveValue()),
        time.monotonic() - t0,
        start_objective=start_objective,
        member=f"{config.first_solution}/{config.metaheuristic}",
    )


def _search(
    model: _Model,
    params: Any,
    seed: Any,
    restored: Any,
    price_only: bool,
    ils: bool,
    start_objective: int,
) -> Any:
    """Run the search the configuration asks for; a feasible seed is never lost."""
    routing = model.routing
    if seed is not None and price_only:
        return restored
    if ils:
        found = routing.SolveWithIteratedLocalSearch(params)
        if restored is not None and (found is None or found.ObjectiveValue() > start_objective):
            return restored
        return found
    if seed is not None:
        found = routing.SolveFromAssignmentWithParameters(seed, params)
        # When the search runs out of time the feasible start stands.
        return found if found is not None else (restored if restored is not None else seed)
    return routing.SolveWithParameters(params)


def _report_progress(model: _Model, progress: SearchProgress, t0: float) -> None:
    routing = model.routing
    jobs = model.problem.jobs
    deliveries = [
        (model.index(n), len(jobs[j].household_ids)) for j, n in model.nodes.delivery.items()
    ]

    def on_solution() -> None:
        served = sum(h for idx, h in deliveries if routing.NextVar(idx).Value() != idx)
        progress(int(routing.CostVar().Value()), served, time.monotonic() - t0)

    routing.AddAtSolutionCallback(on_solution)

"""The two things a re-plan during the day adds to the routing model (``ktj-route replan``).

* A vehicle may start away from its base (``VehicleSpec.start``: the last stop it kept)
  and still end there: it gets an end node of its own at its base.
* Fewest changes to the sheets already issued: a job served by another vehicle than
  the one it had costs ``Problem.move_cost``. OR-Tools has no per-node vehicle cost, so
  it is a dimension with a per-vehicle unary transit (the cost of arriving at each node
  with this vehicle, a vector lookup in C++) whose span is costed: the sum along a route.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._problem import Problem

MOVED = "moved"


def away_ends(problem: Problem, loc: list[int], job_of: list[int]) -> list[int]:
    """End nodes per vehicle: its start node, or a new node at its base when its route
    starts elsewhere (appended to ``loc`` and ``job_of``)."""
    ends: list[int] = []
    for v, spec in enumerate(problem.vehicles):
        if spec.start == spec.loc:
            ends.append(v)
            continue
        ends.append(len(loc))
        loc.append(spec.loc)
        job_of.append(-1)
    return ends


def add_move_costs(routing: Any, problem: Problem, delivery: Mapping[int, int], nodes: int) -> None:
    """Cost ``move_cost`` for each issued job its vehicle did not have on the sheets
    (``delivery``: job -> node; transit vectors are by node, as the model's others)."""
    if not problem.issued or problem.move_cost <= 0:
        return
    callbacks = []
    for spec in problem.vehicles:
        costs = [0] * nodes
        for j, vid in problem.issued.items():
            if j in delivery and vid != spec.id:
                costs[delivery[j]] = problem.move_cost
        callbacks.append(routing.RegisterUnaryTransitVector(costs))
    bound = problem.move_cost * max(1, len(problem.issued))
    routing.AddDimensionWithVehicleTransits(callbacks, 0, bound, True, MOVED)
    routing.GetDimensionOrDie(MOVED).SetSpanCostCoefficientForAllVehicles(1)

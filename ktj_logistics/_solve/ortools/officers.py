"""Officers' rules in the routing model: how far each may ride, and soft areas.

* **Daily distance.** A vehicle with ``max_distance_m`` (``Vehicle.max_km``: an officer
  rides at most so far in a day) gets a distance dimension whose capacity is that limit.
* **Soft officer areas.** A vehicle whose area is soft may serve outside it, at a cost:
  an ``outside`` dimension counts the stops it serves out of its area, and each one
  costs the area's penalty (a soft upper bound of zero on the route's count). Hard areas
  are no part of this: they restrict who may visit a stop (``Problem.vehicles_for``).

Both are added only when some vehicle needs them, so other models are unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .model import _Model

NO_LIMIT_M = 10**9


def add_officer_rules(model: _Model) -> None:
    _daily_distance(model)
    _soft_areas(model)


def _daily_distance(model: _Model) -> None:
    p, routing = model.problem, model.routing
    if not any(v.max_distance_m for v in p.vehicles):
        return
    loc = np.asarray(model.nodes.loc, dtype=np.int64)
    callbacks = {}
    for spec in p.vehicles:
        if spec.profile not in callbacks:
            d = p.cost[spec.profile].distance[np.ix_(loc, loc)]
            callbacks[spec.profile] = routing.RegisterTransitMatrix(d.tolist())
    routing.AddDimensionWithVehicleTransitAndCapacity(
        [callbacks[s.profile] for s in p.vehicles],
        0,
        [s.max_distance_m or NO_LIMIT_M for s in p.vehicles],
        True,
        "distance",
    )


def _soft_areas(model: _Model) -> None:
    p, routing, nodes = model.problem, model.routing, model.nodes
    soft = [v for v, s in enumerate(p.vehicles) if s.area is not None and not s.area.hard]
    if not soft:
        return
    zero = routing.RegisterUnaryTransitVector([0] * len(nodes.loc))
    callbacks = [zero] * len(p.vehicles)
    for v in soft:
        rule = p.vehicles[v].area
        assert rule is not None
        outside = [0] * len(nodes.loc)
        for j, node in nodes.delivery.items():
            outside[node] = 0 if rule.covers(p.jobs[j]) else 1
        callbacks[v] = routing.RegisterUnaryTransitVector(outside)
    routing.AddDimensionWithVehicleTransits(callbacks, 0, len(nodes.loc), True, "outside")
    dim = routing.GetDimensionOrDie("outside")
    for v in soft:
        rule = p.vehicles[v].area
        assert rule is not None
        dim.SetCumulVarSoftUpperBound(routing.End(v), 0, max(1, rule.penalty_s))

"""Every figure a plan states, recounted from its stops: a hand-edited total cannot pass.

Totals and the shortfall are recounted from routes and outcomes, each route's distance,
duration, trips, packages, households and the load after every stop from its stops,
each source's stock, use and what is left from the scenario and the loads, each hub's
receipts, loads, what is left and its arrival times from the unloads and loads there,
and each served household's vehicle, trip, stop and arrival from the stop that serves it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .._plan import Plan, Route, StopKind, shortfall_of, totals_of
from .._scenario import Scenario
from .violation import Violation

if TYPE_CHECKING:
    from .routes import Trace


def _differs(what: str, stated: object, counted: object) -> list[Violation]:
    if stated == counted:
        return []
    return [Violation("figure", f"{what}: plan says {stated}, the stops give {counted}")]


def totals(plan: Plan) -> list[Violation]:
    counted = totals_of(plan.routes, plan.households)
    out: list[Violation] = []
    for name in type(counted).model_fields:
        out += _differs(f"totals.{name}", getattr(plan.totals, name), getattr(counted, name))
    out += _differs("shortfall", plan.shortfall, shortfall_of(plan.households))
    return out


def route_figures(route: Route) -> list[Violation]:
    stops, vid = route.stops, route.vehicle_id
    if not stops:
        return []
    deliveries = [s for s in stops if s.kind == StopKind.delivery]
    out = _differs(
        f"{vid} distance_m", route.distance_m, sum(s.distance_from_previous_m for s in stops)
    )
    out += _differs(f"{vid} duration_s", route.duration_s, stops[-1].arrival_s - stops[0].arrival_s)
    out += _differs(f"{vid} trips", route.trips, max(s.trip for s in stops))
    out += _differs(
        f"{vid} packages_delivered",
        route.packages_delivered,
        sum(sum(s.items.values()) for s in deliveries),
    )
    out += _differs(
        f"{vid} households_served",
        route.households_served,
        len({h for s in deliveries for h in s.household_ids}),  # a split visit counts once
    )
    on_board = 0
    for s in stops:
        if s.kind in (StopKind.start, StopKind.load):
            on_board += sum(s.items.values())
        elif s.kind in (StopKind.delivery, StopKind.unload):
            on_board -= sum(s.items.values())
        out += _differs(f"{vid} stop {s.seq} load_after_packages", s.load_after_packages, on_board)
    return out


def sources(scenario: Scenario, plan: Plan, trace: Trace) -> list[Violation]:
    stated = {u.source_id: u for u in plan.sources}
    out = _differs("sources", sorted(stated), sorted(s.id for s in scenario.sources))
    for s in scenario.sources:
        u = stated.get(s.id)
        if u is None:
            continue
        stock = {i: n for i, n in s.stock.items() if n}
        used = {i: n for i, n in sorted(trace.loaded.get(s.id, Counter()).items()) if n}
        left = {i: n - used.get(i, 0) for i, n in stock.items()}
        out += _differs(f"source {s.id} stock", u.stock, stock)
        out += _differs(f"source {s.id} used", u.used, used)
        out += _differs(f"source {s.id} left", u.left, left)
    return out


def hubs(scenario: Scenario, plan: Plan, trace: Trace) -> list[Violation]:
    """What each hub received (unloads), gave out (loads) and kept, and when stock came."""
    if not plan.hubs and not trace.hub_events:
        return []  # a day without staging
    stated = {u.hub_id: u for u in plan.hubs}
    out = _differs("hubs", sorted(stated), sorted(h.id for h in scenario.hubs))
    for hub in scenario.hubs:
        u = stated.get(hub.id)
        if u is None:
            continue
        received: Counter[str] = Counter()
        loaded: Counter[str] = Counter()
        arrivals: list[int] = []
        for e in trace.hub_events:
            if e.hub == hub.id and e.amount > 0:
                received[e.item] += e.amount
                arrivals.append(e.at_s)
            elif e.hub == hub.id:
                loaded[e.item] -= e.amount
        left = {i: n - loaded[i] for i, n in sorted(received.items())}
        out += _differs(f"hub {hub.id} received", u.received, dict(sorted(received.items())))
        out += _differs(f"hub {hub.id} loaded", u.loaded, dict(sorted(loaded.items())))
        out += _differs(f"hub {hub.id} left", u.left, left)
        out += _differs(
            f"hub {hub.id} first_arrival_s", u.first_arrival_s, min(arrivals, default=None)
        )
        out += _differs(
            f"hub {hub.id} last_arrival_s", u.last_arrival_s, max(arrivals, default=None)
        )
    return out


def outcomes(plan: Plan) -> list[Violation]:
    """A served household's trip, stop and arrival are those of the stop serving it."""
    at = {
        (r.vehicle_id, s.seq): s
        for r in plan.routes
        for s in r.stops
        if s.kind == StopKind.delivery
    }
    out: list[Violation] = []
    for o in plan.households:
        s = at.get((o.vehicle_id or "", o.stop_seq or -1))
        if o.status != "served" or s is None or o.household_id not in s.household_ids:
            continue  # missing or misplaced deliveries are reported by served_once
        hid = o.household_id
        out += _differs(f"household {hid} trip", o.trip, s.trip)
        out += _differs(f"household {hid} stop_place_id", o.stop_place_id, s.place_id)
        out += _differs(f"household {hid} arrival_s", o.arrival_s, s.arrival_s + s.wait_s)
    return out


def figures(scenario: Scenario, plan: Plan, trace: Trace) -> list[Violation]:
    """Every stated figure that its stops, loads or scenario contradict."""
    out = totals(plan)
    for route in plan.routes:
        out += route_figures(route)
    return out + sources(scenario, plan, trace) + hubs(scenario, plan, trace) + outcomes(plan)

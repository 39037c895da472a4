"""A plan shared with ``--redact`` has coarse coordinates; its legs are checked from the
places themselves. Every stop names its place (base, source, hub, household or stop group),
so the exact point comes from the scenario, and a leg re-priced from it must match the
distance the plan states, exactly as for a plan that was never redacted."""

from __future__ import annotations

from .._plan import Plan
from .._scenario import Location, Scenario
from .._shape import Shaped


def exact_places(scenario: Scenario, shaped: Shaped, plan: Plan) -> Plan:
    """``plan`` with each stop at its place's exact point (a redacted plan's are coarse)."""
    if not plan.redacted:
        return plan
    where: dict[str, Location] = {h.id: h.location for h in scenario.households}
    where.update({key: g.location for key, g in shaped.groups.items()})
    where.update({s.id: s.location for s in scenario.sources})
    where.update({b.id: b.location for b in scenario.bases})
    where.update(
        {
            f"start:{v.id}": Location(lat=v.start.lat, lon=v.start.lon)
            for v in scenario.vehicles
            if v.start
        }
    )  # re-plan starts
    hubs = {h.id: scenario.hub_location(h) for h in scenario.hubs}
    routes = []
    for r in plan.routes:
        stops = []
        for s in r.stops:
            key = s.source_id if s.kind.value == "load" and s.source_id else s.place_id
            staged = s.kind.value in ("load", "unload") and s.place_id in hubs
            loc = hubs[s.place_id] if staged else where.get(key)
            stops.append(s.model_copy(update={"lat": loc.lat, "lon": loc.lon}) if loc else s)
        routes.append(r.model_copy(update={"stops": stops}))
    return plan.model_copy(update={"routes": routes})

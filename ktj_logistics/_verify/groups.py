"""Groups (a tower's lobby, an estate's security post): each stop that serves some of a
group's units is at the group's place, holds no one else, pays the group's setup and
each unit's handover, and keeps the group's windows. A group's units may be served in
several visits (by vehicle, trip or window), or some of them not at all."""

from __future__ import annotations

from .._cost import Profile, TravelModel
from .._kinds import VehicleKind
from .._plan import Plan, StopKind
from .._scenario import Scenario
from .._shape import Shaped
from .._timefmt import hhmm
from .routes import Trace, in_windows, location
from .violation import Violation

GROUP_PLACE_M = 50
"""How far a group's stop may lie from the group's own place."""


def groups(
    scenario: Scenario, shaped: Shaped, travel: TravelModel, plan: Plan, trace: Trace
) -> list[Violation]:
    out: list[Violation] = []
    known = {h.id for h in scenario.households}
    group_of = {h: key for key, g in shaped.groups.items() for h in g.household_ids}
    # Any profile prices the place check: it compares two points, not a trip.
    probe = Profile(VehicleKind.car, 18.0)
    for route in plan.routes:
        for s in route.stops:
            keys = {group_of.get(h) for h in s.household_ids if h in known}
            if s.kind != StopKind.delivery or keys == {None} or not keys:
                continue
            where = f"{route.vehicle_id} stop {s.seq}"
            if len(keys) > 1:
                out.append(
                    Violation(
                        "group",
                        f"{where} mixes households of different stop groups (or grouped and "
                        "ungrouped ones)",
                    )
                )
                continue
            g = shaped.groups[next(k for k in keys if k is not None)]
            d, _ = travel.leg(g.location, location(s), probe)
            if d > GROUP_PLACE_M:
                out.append(
                    Violation(
                        "group_place",
                        f"{where} serves group {g.key} {d} m away from its place ({g.label})",
                    )
                )
            need = g.setup_s + sum(shaped.households[h].service_s for h in s.household_ids)
            if s.service_s < need:
                out.append(
                    Violation(
                        "service",
                        f"{where}: {s.service_s} s at group {g.key}, {need} s needed "
                        "(setup + each household handed over)",
                    )
                )
            begin = s.arrival_s + s.wait_s
            if not in_windows(begin, [w.as_seconds() for w in g.time_windows]):
                out.append(
                    Violation(
                        "time_window",
                        f"{route.vehicle_id} serves group {g.key} at {hhmm(begin)}, "
                        "outside the group's windows",
                    )
                )
    return out

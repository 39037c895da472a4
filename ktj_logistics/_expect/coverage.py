"""Expectations about coverage: nobody who could be served is left out.

* ``no_capacity_drop_while_idle`` — a household left out as too big for any allowed
  vehicle, while a delivery vehicle of a kind allowed there (and whose officer may
  deliver there) did nothing all day, is a plan that should have split the delivery
  into visits;
* ``special_shortfall_keeps_standard`` — a household whose special item ran out still
  gets all its standard packages, and the plan says what it misses;
* ``unserved_only_for`` — every unserved household has one of the listed reasons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._kinds import VehicleRole
from .._plan import Plan, UnservedReason
from .._scenario import STANDARD_ITEM
from .finding import Finding

if TYPE_CHECKING:
    from .._scenario import Scenario


def _finding(key: str, passed: bool, message: str) -> Finding:
    return Finding(key, passed, message)


def _listing(ids: list[str], limit: int = 6) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def check_capacity_drops(scenario: Scenario, plan: Plan) -> Finding:
    key = "no_capacity_drop_while_idle"
    busy = {r.vehicle_id for r in plan.routes}
    idle = [v for v in scenario.vehicles if v.id not in busy and v.role == VehicleRole.delivery]
    households = {h.id: h for h in scenario.households}
    bad = []
    for o in plan.households:
        if o.reason != UnservedReason.exceeds_vehicle_capacity:
            continue
        denied = {d.kind for d in o.denied_vehicle_kinds}
        h = households.get(o.household_id)
        free = [
            v.id
            for v in idle
            if v.kind.value not in denied
            and (
                h is None
                or (area := scenario.area_of(v)) is None
                or not area.hard
                or area.contains(h)
            )
        ]
        if free:
            bad.append(f"{o.household_id} (idle: {', '.join(free[:3])})")
    too_big = sum(1 for o in plan.households if o.reason == UnservedReason.exceeds_vehicle_capacity)
    if bad:
        msg = (
            f"{len(bad)} household(s) unserved for exceeds_vehicle_capacity while an allowed "
            f"vehicle stayed idle: {_listing(bad)}"
        )
    else:
        msg = (
            f"{too_big} household(s) unserved for exceeds_vehicle_capacity, "
            f"{len(idle)} vehicle(s) idle, none of them allowed there"
            if too_big
            else "no household is unserved for exceeds_vehicle_capacity"
        )
    return _finding(key, not bad, msg)


def check_special_shortfall(scenario: Scenario, plan: Plan) -> Finding:
    key = "special_shortfall_keeps_standard"
    need = {h.id: h.demand() for h in scenario.households}
    affected: list[str] = []
    bad: list[str] = []
    for o in plan.households:
        short = [
            m.item
            for m in o.missing
            if m.item != STANDARD_ITEM and m.reason == UnservedReason.stock_shortfall
        ]
        if o.status == "unserved" and any(i != STANDARD_ITEM for i in o.short_items):
            affected.append(o.household_id)
            if STANDARD_ITEM not in o.short_items:
                bad.append(f"{o.household_id} got nothing ({o.reason_detail})")
            continue
        if not short:
            continue
        affected.append(o.household_id)
        want = need.get(o.household_id, {}).get(STANDARD_ITEM, 0)
        if o.delivered.get(STANDARD_ITEM, 0) < want:
            bad.append(
                f"{o.household_id} got {o.delivered.get(STANDARD_ITEM, 0)} of {want} "
                "standard packages"
            )
    if bad:
        msg = f"{len(bad)} of {len(affected)} households short of a special item: {_listing(bad)}"
    else:
        msg = (
            f"all {len(affected)} households short of a special item get their standard "
            "packages, the missing item listed"
        )
    return _finding(key, not bad, msg)


def check_unserved_reasons(allowed: list[UnservedReason], plan: Plan) -> Finding:
    key = "unserved_only_for"
    names = ", ".join(r.value for r in allowed)
    bad = [
        f"{o.household_id} ({o.reason.value if o.reason else 'no reason'}: {o.reason_detail})"
        for o in plan.unserved()
        if o.reason not in allowed
    ]
    if bad:
        return _finding(key, False, f"unserved for another reason than {names}: {_listing(bad)}")
    n = len(plan.unserved())
    return _finding(key, True, f"all {n} unserved household(s) are unserved for {names}")

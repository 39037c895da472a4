"""An unserved household's reason must be true of the scenario, not only present.

Checked where the scenario alone decides: ``nothing_needed`` (it asks for nothing),
``exceeds_vehicle_capacity`` (more than the largest vehicle allowed there carries) and
``stock_shortfall`` (no permitted source holds all it needs, or an item it needs, named
in ``short_items``, is short: no permitted source holds its need of it, or the permitted
sources hold less of it than the day's households ask for). ``fleet_capacity``,
``no_eligible_vehicle`` and ``time_window`` depend on the search, the loading rules and
the shifts, and are not re-derived here.
"""

from __future__ import annotations

from collections import Counter

from .._plan import HouseholdOutcome, Plan, UnservedReason
from .._scenario import Household, Scenario
from .._shape import Shaped
from .violation import Violation


def _stop_of(h: Household, shaped: Shaped) -> list[str]:
    """The households served together with ``h`` (its group), ``h`` included."""
    shape = shaped.households.get(h.id)
    group = shaped.groups.get(shape.group or "") if shape is not None else None
    return list(group.household_ids) if group is not None else [h.id]


def _short(item: str, h: Household, scenario: Scenario) -> bool:
    permitted = [s for s in scenario.sources if s.earmark is None or s.earmark.allows(h)]
    need = h.demand().get(item, 0)
    if need == 0:
        return False
    if all(s.stock.get(item, 0) < need for s in permitted):
        return True
    day = sum(x.demand().get(item, 0) for x in scenario.households)
    return sum(s.stock.get(item, 0) for s in permitted) < day


def _fits_some_vehicle(
    members: list[str], households: dict[str, Household], scenario: Scenario, shaped: Shaped
) -> bool:
    demand: Counter[str] = Counter()
    for hid in members:
        demand.update(households[hid].demand() if hid in households else {})
    kinds = [shaped.households[m].allowed_kinds for m in members if m in shaped.households]
    allowed = frozenset.intersection(*kinds) if kinds else None
    weights = scenario.settings.items
    parcels = sum(demand.values())
    kg = sum(weights[i].weight_kg * n for i, n in demand.items() if i in weights)
    return any(
        parcels <= v.capacity_packages and kg <= v.capacity_kg + 1e-6
        for v in scenario.vehicles
        if allowed is None or v.kind in allowed
    )


def _false(
    o: HouseholdOutcome, h: Household, households: dict[str, Household], c: tuple[Scenario, Shaped]
) -> str:
    """Why ``o``'s reason cannot be true, or ``""``."""
    scenario, shaped = c
    members = _stop_of(h, shaped)
    needs = any(households[m].demand() for m in members if m in households)
    r = o.reason
    if r == UnservedReason.nothing_needed and needs:
        return "it needs items"
    if r != UnservedReason.nothing_needed and not needs:
        return "it needs nothing (nothing_needed)"
    if r == UnservedReason.exceeds_vehicle_capacity and _fits_some_vehicle(
        members, households, scenario, shaped
    ):
        return "an allowed vehicle can carry what it needs"
    if r == UnservedReason.stock_shortfall and not _stock_short(o, h, scenario):
        return f"{', '.join(o.short_items or h.demand())} did not run out for it"
    return ""


def _stock_short(o: HouseholdOutcome, h: Household, scenario: Scenario) -> bool:
    """No permitted source holds all it needs (one source supplies a stop), or an item it
    needs is short for the day."""
    permitted = [s for s in scenario.sources if s.earmark is None or s.earmark.allows(h)]
    need = h.demand()
    if not any(all(s.stock.get(i, 0) >= n for i, n in need.items()) for s in permitted):
        return True
    return any(_short(i, h, scenario) for i in (o.short_items or need))


def reasons(scenario: Scenario, plan: Plan, shaped: Shaped) -> list[Violation]:
    households = {h.id: h for h in scenario.households}
    out: list[Violation] = []
    for o in plan.unserved():
        h = households.get(o.household_id)
        if h is None or o.reason is None:
            continue  # reported by accounting
        why = _false(o, h, households, (scenario, shaped))
        if why:
            out.append(
                Violation("reason", f"household {h.id} is unserved for {o.reason.value}, but {why}")
            )
    return out

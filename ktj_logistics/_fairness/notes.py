"""The plan's fairness figure, and a note on every household fairness decided.

A household is *served by fairness* when it got stock only because its area's reserve
came first, or vehicle time only because its area's stops were raised; it is *held back
by fairness* when it had stock or a vehicle in the plan by priority alone and lost it
to an area below the floor. ``explain`` reads these notes from ``plan.json``.
"""

from __future__ import annotations

from typing import Any

from .._plan import HouseholdOutcome, Plan, UnservedReason
from .._plan_fairness import FairnessNote
from .._scenario import Scenario
from .figure import area_of, fairness_figure
from .fleet import FleetFairness
from .stock import StockFairness


def with_figure(scenario: Scenario, plan: Plan) -> Plan:
    """``plan`` with its fairness figure (by kelurahan, or as the settings say)."""
    fair = scenario.settings.fairness
    by = fair.by if fair is not None else "kelurahan"
    return plan.model_copy(update={"fairness": fairness_figure(scenario, plan, by)})


def with_notes(
    scenario: Scenario, plan: Plan, stock: StockFairness, fleet: FleetFairness[Any] | None
) -> Plan:
    """``plan`` with the enforced figure and a note on each household fairness decided."""
    fair = scenario.settings.fairness
    assert fair is not None
    floor = fleet.floor if fleet is not None else stock.floor
    by_id = {h.id: h for h in scenario.households}
    before = (
        {o.household_id: o.status for o in fleet.first.households}
        if fleet is not None and fleet.first is not None
        else {}
    )
    raised = dict(fleet.raised) if fleet is not None else {}
    lifted = ", ".join(sorted(raised))
    pct = f"{floor:.0%}" if floor is not None else "its floor"  # the routing's floor
    stock_pct = f"{stock.floor:.0%}" if stock.floor is not None else "its floor"
    out: list[HouseholdOutcome] = []
    for o in plan.households:
        h = by_id.get(o.household_id)
        if h is None:
            out.append(o)
            continue
        area = area_of(h, fair.by)
        note: FairnessNote | None = None
        detail = o.reason_detail
        if o.status == "served" and o.household_id in stock.raised:
            note = FairnessNote(
                effect="served_by_fairness",
                area=area,
                detail=f"stock was reserved for {area}, below {stock_pct} of its due households; "
                "by priority alone it would have gone to more urgent households elsewhere",
            )
        elif o.status == "served" and area in raised and before.get(o.household_id) != "served":
            note = FairnessNote(
                effect="served_by_fairness",
                area=area,
                detail=f"vehicle time went first to {area}, below {pct} of its due "
                "households; by priority alone the officers' time was spent elsewhere",
            )
        elif o.reason == UnservedReason.stock_shortfall and o.household_id in stock.held:
            note = FairnessNote(
                effect="held_back_by_fairness",
                area=area,
                detail=f"its stock went to areas below {stock_pct}; {area} had reached its share",
            )
        elif (
            o.reason == UnservedReason.fleet_capacity
            and area not in raised
            and before.get(o.household_id) == "served"
        ):
            text = f"vehicle time went first to areas below {pct} ({lifted})"
            note = FairnessNote(effect="held_back_by_fairness", area=area, detail=text)
            detail = f"{detail}; fairness: {text}" if detail else f"fairness: {text}"
        out.append(
            o if note is None else o.model_copy(update={"fairness": note, "reason_detail": detail})
        )
    figure = fairness_figure(scenario, plan, fair.by, floor)
    return plan.model_copy(update={"households": out, "fairness": figure})

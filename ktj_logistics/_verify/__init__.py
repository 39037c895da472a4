"""Stage 7 — verify: check any plan against its scenario, independently of the solver.

Nothing here reads the solver's model or the ``Problem`` matrices: travel legs are
re-priced with the travel model's own ``leg`` (geopy for geodesic travel), loads are
re-counted from the stops, and access rules, windows and groups come from the plugins'
answers for the scenario. A plan written by hand is checked the same way.
"""

from __future__ import annotations

from .._cost import TravelModel
from .._plan import Plan
from .._scenario import Scenario
from .._shape import Shaped
from .accounting import accounting, served_once
from .fairness import fairness_figure_recount
from .figures import figures
from .groups import groups
from .hubs import hub_stock
from .places import exact_places
from .reasons import reasons
from .replan import check_replan
from .routes import Trace, check_route
from .stock import stock
from .violation import Violation


def verify_plan(
    scenario: Scenario, plan: Plan, shaped: Shaped, travel: TravelModel
) -> list[Violation]:
    """Every way ``plan`` breaks the scenario's rules; an empty list means it is sound."""
    plan = exact_places(scenario, shaped, plan)
    out = accounting(scenario, plan)
    trace = Trace()
    outcome = {o.household_id: o for o in plan.households}
    for route in plan.routes:
        out += check_route(scenario, shaped, travel, route, outcome, trace)
    out += served_once(scenario, plan, trace)
    out += groups(scenario, shaped, travel, plan, trace)
    out += stock(scenario, trace)
    out += hub_stock(trace)
    out += figures(scenario, plan, trace)
    out += reasons(scenario, plan, shaped, travel)
    out += fairness_figure_recount(scenario, plan)
    return out


__all__ = ["Violation", "check_replan", "verify_plan"]

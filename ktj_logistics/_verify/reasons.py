"""An unserved household's reason must be true, not only present.

The reasons that the stock and the rules decide before any search (``stock_shortfall``
with its short items, ``nothing_needed``, ``time_window``, ``no_eligible_vehicle``,
``exceeds_vehicle_capacity``) are re-derived by allocating the day's stock to its stops
again (with the fairness reserves when ``settings.fairness`` is on: they decide who
gets short stock), a deterministic step that needs no solver; a household the allocation could
supply and that is still unserved can only be ``fleet_capacity``. So ``stock_shortfall``
stands only where the items it names really ran out for it.
"""

from __future__ import annotations

from collections import defaultdict

from .._allocate import allocate
from .._cost import TravelModel
from .._fairness import balance_stock
from .._plan import Plan
from .._problem import day_of
from .._scenario import Scenario
from .._schedule.outcomes import unserved_reason
from .._shape import Shaped
from .._stage.fleet import split_fleet
from .violation import Violation


def reasons(scenario: Scenario, plan: Plan, shaped: Shaped, travel: TravelModel) -> list[Violation]:
    day = split_fleet(scenario, day_of(scenario, shaped)).day  # as planned: no trunk vehicles
    allocation = allocate(scenario, day, travel)
    fair = scenario.settings.fairness
    if fair is not None and fair.enabled:
        allocation = balance_stock(
            scenario, day, allocation, lambda first: allocate(scenario, day, travel, first)
        ).allocation
    jobs_of: dict[str, list[int]] = defaultdict(list)
    for j, job in enumerate(day.jobs):
        for hid in job.household_ids:
            jobs_of[hid].append(j)
    households = {h.id: h for h in scenario.households}
    out: list[Violation] = []
    for o in plan.unserved():
        h = households.get(o.household_id)
        if h is None or o.reason is None:
            continue  # unknown households and missing reasons are reported by accounting
        true, short = unserved_reason(h, day, jobs_of[h.id], allocation)
        if o.reason != true:
            out.append(
                Violation(
                    "reason",
                    f"household {h.id} is unserved for {o.reason.value}, "
                    f"but the stock and rules say {true.value}",
                )
            )
        elif sorted(o.short_items) != sorted(short):
            out.append(
                Violation(
                    "reason",
                    f"household {h.id}: short of {sorted(o.short_items)}, "
                    f"but what ran out for it is {sorted(short)}",
                )
            )
    return out

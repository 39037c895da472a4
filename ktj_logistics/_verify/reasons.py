"""An unserved household's reason must be true, not only present.

The reasons that the stock and the rules decide before any search (``stock_shortfall``
with its short items, ``nothing_needed``, ``time_window``, ``no_eligible_vehicle``,
``exceeds_vehicle_capacity``) are re-derived by allocating the day's stock to its stops
again, a deterministic step that needs no solver; a household the allocation could
supply and that is still unserved can only be ``fleet_capacity``. So ``stock_shortfall``
stands only where the items it names really ran out for it.
"""

from __future__ import annotations

from .._allocate import allocate
from .._cost import TravelModel
from .._plan import Plan, UnservedReason
from .._problem import day_of
from .._scenario import Scenario
from .._shape import Shaped
from .violation import Violation


def reasons(scenario: Scenario, plan: Plan, shaped: Shaped, travel: TravelModel) -> list[Violation]:
    day = day_of(scenario, shaped)
    excluded = allocate(scenario, day, travel).excluded
    job_of = {hid: j for j, job in enumerate(day.jobs) for hid in job.household_ids}
    out: list[Violation] = []
    for o in plan.unserved():
        j = job_of.get(o.household_id)
        if j is None or o.reason is None:
            continue  # unknown households and missing reasons are reported by accounting
        ex = excluded.get(j)
        true = ex.reason if ex is not None else UnservedReason.fleet_capacity
        if o.reason != true:
            out.append(
                Violation(
                    "reason",
                    f"household {o.household_id} is unserved for {o.reason.value}, "
                    f"but the stock and rules say {true.value}",
                )
            )
        elif ex is not None and sorted(o.short_items) != sorted(ex.short_items):
            out.append(
                Violation(
                    "reason",
                    f"household {o.household_id}: short of {sorted(o.short_items)}, "
                    f"but what ran out for it is {sorted(ex.short_items)}",
                )
            )
    return out

"""The day's ``Plan``: every household once, served where its route says, or with a reason.

One function for every path: a day planned in one model and a day planned by parts
both end here, with the whole day's allocation, so reasons and totals follow one rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._allocate import Allocation
from .._plan import (
    HouseholdOutcome,
    Plan,
    SolverInfo,
    SourceUsage,
    UnservedReason,
)
from .._problem import Day
from .._scenario import Household, Scenario
from .._shape import Shaped
from .._timefmt import hhmm
from .routes import Scheduled

FLEET_DETAIL = "no vehicle had time or room left for it after more urgent stops"


def plan_of(
    scenario: Scenario,
    shaped: Shaped,
    day: Day,
    allocation: Allocation,
    scheduled: Scheduled,
    solver: SolverInfo,
) -> Plan:
    """The ``Plan`` of the whole day from its timed routes."""
    job_of = {hid: j for j, job in enumerate(day.jobs) for hid in job.household_ids}
    outcomes = [
        _outcome(shaped, h, job_of[h.id], allocation, scheduled) for h in scenario.households
    ]
    sources = []
    for s in scenario.sources:
        used: Mapping[str, int] = scheduled.loaded.get(s.id, {})
        sources.append(
            SourceUsage(
                source_id=s.id,
                stock={i: n for i, n in s.stock.items() if n},
                used={i: n for i, n in sorted(used.items()) if n},
                left={i: n - used.get(i, 0) for i, n in s.stock.items() if n},
            )
        )
    by_vehicle = {v.id: k for k, v in enumerate(scenario.vehicles)}
    routes = sorted(scheduled.routes, key=lambda r: by_vehicle[r.vehicle_id])
    return Plan.of_day(
        scenario.name,
        scenario.settings.planning_date,
        list(shaped.plugins),
        routes,
        outcomes,
        sources,
        solver,
    )


def _outcome(
    shaped: Shaped,
    h: Household,
    j: int,
    allocation: Allocation,
    scheduled: Scheduled,
) -> HouseholdOutcome:
    s = shaped.households[h.id]
    common: dict[str, Any] = dict(
        household_id=h.id,
        priority=s.priority,
        contributions=list(s.contributions),
        items=h.demand(),
        group_key=s.group,
        denied_vehicle_kinds=list(s.denied),
        time_windows=[f"{hhmm(a)}-{hhmm(b)}" for a, b in s.windows_s],
    )
    at = scheduled.served.get(h.id)
    if at is not None:
        return HouseholdOutcome(
            status="served",
            vehicle_id=at.vehicle_id,
            trip=at.trip,
            stop_seq=at.stop_seq,
            stop_place_id=at.place_id,
            arrival_s=at.arrival_s,
            source_id=at.source_id,
            **common,
        )
    ex = allocation.excluded.get(j)
    if ex is not None:
        reason, detail, short = ex.reason, ex.detail, list(ex.short_items)
    else:
        reason, detail, short = UnservedReason.fleet_capacity, FLEET_DETAIL, []
    return HouseholdOutcome(
        status="unserved",
        reason=reason,
        reason_detail=detail,
        short_items=short,
        **common,
    )

"""Fairness in the routing: when vehicle time is short, areas below the floor go first.

The solver drops the stops whose drop penalty is lowest, and that penalty grows with
priority, so where officers' time runs out (a dense kampung reached only by motorbike)
one area can lose most of its households. The day is solved, the served share of each
area measured over the *whole* day (a large day is planned by parts, but the floor is
the day's), and the stops of every area still below the floor while it had households
dropped for fleet time are raised in priority by points proportional to the area's
deficit; the day is solved again with the raised penalties. The rounds share the day's
search time; the fairer plan is kept (fewer points below the floor, then more served).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from .._errors import NoPlanError
from .._fairness_settings import FairnessSettings
from .._log import logger
from .._parts import Lending
from .._plan import Plan, UnservedReason
from .._problem import Day
from .._scenario import Scenario
from .figure import area_of, is_due
from .stock import Areas

T = TypeVar("T")

FIRST_ROUND_SHARE = 0.5
"""Share of the search time for the first solve; the rest for re-solves with raised
penalties (only spent when an area is left below the floor for fleet time)."""
ROUNDS = 2
"""Re-solves at most."""
POINTS_PER_DEFICIT = 120.0
"""Priority points per unit of deficit (a 20-point shortfall raises by 24 points: the
drop penalty × 9.8), added up over the rounds; capped by the priority cap."""
PRIORITY_CAP = 120.0

SolveDay = Callable[[Day, float, Lending | None], tuple[Plan, T]]
"""Plans the day (with its jobs' priorities as given) within a search time; a day
planned by parts moves the idle vehicles ``Lending`` names to where they are wanted."""


@dataclass(frozen=True)
class FleetFairness(Generic[T]):
    plan: Plan
    extra: T
    floor: float
    first: Plan | None  # the plan before any raise (None: no re-solve was needed)
    raised: Mapping[str, float]  # area -> priority points added


def _shares(scenario: Scenario, plan: Plan, fair: FairnessSettings) -> Counter[str]:
    status = {o.household_id: o.status for o in plan.households}
    served: Counter[str] = Counter()
    for h in scenario.households:
        if is_due(h) and status.get(h.id) == "served":
            served[area_of(h, fair.by)] += 1
    return served


def _fleet_short(scenario: Scenario, plan: Plan, fair: FairnessSettings) -> set[str]:
    """Areas with households dropped for fleet time."""
    by_id = {h.id: h for h in scenario.households}
    return {
        area_of(by_id[o.household_id], fair.by)
        for o in plan.households
        if o.reason == UnservedReason.fleet_capacity and o.household_id in by_id
    }


def _score(areas: Areas, served: Counter[str], floor: float, total: int) -> tuple[float, int]:
    """Household-points below the floor (lower is fairer), then households served."""
    below = sum(max(0.0, floor * n - served[a]) for a, n in areas.due.items())
    return (round(below, 6), -total)


def solve_fairly(
    scenario: Scenario, day: Day, time_limit_s: float, solve: SolveDay[T]
) -> FleetFairness[T]:
    """Solve ``day``; while an area stays below the floor for lack of vehicle time,
    raise its stops' priorities and solve again; keep the fairest plan.

    The floor is measured on the first plan: ``max(min_share, overall − max_gap)``.
    """
    fair = scenario.settings.fairness
    assert fair is not None
    areas = Areas.of(scenario, day, fair)
    plan, extra = solve(day, time_limit_s * FIRST_ROUND_SHARE, None)
    first = plan
    served = _shares(scenario, plan, fair)
    floor = areas.floor(served, fair)
    best = (_score(areas, served, floor, plan.totals.served), plan, extra)
    raised: dict[str, float] = {}
    kept: dict[str, float] = {}
    rest = time_limit_s * (1 - FIRST_ROUND_SHARE)
    resolves = 0
    lending: Lending | None = None
    for k in range(ROUNDS):
        short = _fleet_short(scenario, plan, fair)
        lagging = [a for a in areas.below(served, floor) if a in short]
        if not lagging:
            break
        for a in lagging:
            deficit = floor - served[a] / areas.due[a]
            raised[a] = raised.get(a, 0.0) + math.ceil(POINTS_PER_DEFICIT * deficit)
        resolves += 1
        share = rest / (ROUNDS - k)  # what the earlier re-solves left, shared out
        rest -= share
        try:
            lending = _lending(scenario, day, areas, plan, set(lagging), lending)
            plan, extra = solve(_raised(day, areas, raised), share, lending)
        except NoPlanError:  # nothing found in the shorter time: the best so far stands
            logger.info("fairness: re-solve %d found no plan in %.1f s", k + 1, share)
            break
        served = _shares(scenario, plan, fair)
        score = _score(areas, served, floor, plan.totals.served)
        if score < best[0]:
            best, kept = (score, plan, extra), dict(raised)
    _, plan, extra = best
    logger.info(
        "fairness: floor %.0f%%, %d re-solve(s), %d area(s) raised in the plan kept",
        100 * floor,
        resolves,
        len(kept),
    )
    return FleetFairness(plan, extra, floor, first if kept else None, kept)


def _lending(
    scenario: Scenario,
    day: Day,
    areas: Areas,
    plan: Plan,
    lagging: set[str],
    before: Lending | None,
) -> Lending:
    """Idle vehicles of ``plan``, and the stops of lagging areas it dropped for fleet;
    added to what earlier rounds lent, so a part helped once keeps its help."""
    dropped = {o.household_id for o in plan.households if o.reason == UnservedReason.fleet_capacity}
    wanted = frozenset(
        j
        for j, job in enumerate(day.jobs)
        if areas.by_job[j] in lagging and dropped.intersection(job.household_ids)
    )
    used = {r.vehicle_id for r in plan.routes}
    idle = frozenset(v.id for v in scenario.vehicles if v.id not in used)
    rate = plan.totals.served / max(1, len(plan.routes))
    if before is None:
        return Lending(idle, wanted, rate)
    return Lending(before.idle | idle, before.wanted | wanted, before.per_vehicle)


def _raised(day: Day, areas: Areas, points: Mapping[str, float]) -> Day:
    """``day`` with the stops of the given areas raised by their points (capped)."""
    changed = {
        j: replace(job, priority=min(PRIORITY_CAP, job.priority + points[areas.by_job[j]]))
        for j, job in enumerate(day.jobs)
        if areas.by_job[j] in points
    }
    return day.with_jobs(changed)

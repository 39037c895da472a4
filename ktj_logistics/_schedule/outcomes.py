"""The day's ``Plan``: every household once, served where its route says, or with a reason.

One function for every path: a day planned in one model and a day planned by parts
both end here, with the whole day's jobs (as shaped, before stock cut any) and
allocation, so reasons and totals follow one rule. A household may be several jobs
(visits); it is served when any of them hands it something, and every item it does not
get is listed with the reason of the visit that should have brought it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from .._allocate import Allocation
from .._plan import (
    HouseholdOutcome,
    HouseholdVisit,
    MissingItem,
    Plan,
    Route,
    SolverInfo,
    SourceUsage,
    UnservedReason,
)
from .._problem import Day, Job
from .._scenario import Household, Scenario
from .._shape import Shaped
from .._timefmt import hhmm
from .routes import Scheduled, Served

FLEET_DETAIL = "no vehicle had time or room left for it after more urgent stops"


def plan_of(
    scenario: Scenario,
    shaped: Shaped,
    day: Day,
    allocation: Allocation,
    scheduled: Scheduled,
    solver: SolverInfo,
) -> Plan:
    """The ``Plan`` of the whole day from its timed routes (``day``: before any cut)."""
    jobs_of: dict[str, list[int]] = defaultdict(list)
    for j, job in enumerate(day.jobs):
        for hid in job.household_ids:
            jobs_of[hid].append(j)
    outcomes = [
        _outcome(scenario, shaped, h, day, jobs_of[h.id], allocation, scheduled)
        for h in scenario.households
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
        number_visits(routes, scheduled, day),
        outcomes,
        sources,
        solver,
    )


def number_visits(routes: list[Route], scheduled: Scheduled, day: Day) -> list[Route]:
    """Stops of a household or group served in several visits say "visit k of n", in
    time order (n: the visits that happen)."""
    family = {job.id: job.family or job.id for job in day.jobs}
    stops: dict[str, set[tuple[int, str, int]]] = defaultdict(set)
    for visits in scheduled.served.values():
        for v in visits:
            stops[family.get(v.job_id, v.job_id)].add((v.arrival_s, v.vehicle_id, v.stop_seq))
    label: dict[tuple[str, int], tuple[int, int]] = {}
    for seen in stops.values():
        if len(seen) > 1:
            for k, (_, vid, seq) in enumerate(sorted(seen), start=1):
                label[(vid, seq)] = (k, len(seen))
    if not label:
        return routes
    out = []
    for r in routes:
        new = [
            s.model_copy(
                update={
                    "visit": label[(r.vehicle_id, s.seq)][0],
                    "visits": label[(r.vehicle_id, s.seq)][1],
                }
            )
            if (r.vehicle_id, s.seq) in label
            else s
            for s in r.stops
        ]
        out.append(r.model_copy(update={"stops": new}))
    return out


def _why(j: int, allocation: Allocation) -> tuple[UnservedReason, str, tuple[str, ...]]:
    ex = allocation.excluded.get(j)
    if ex is not None:
        return ex.reason, ex.detail, ex.short_items
    return UnservedReason.fleet_capacity, FLEET_DETAIL, ()


def _missing(
    h: Household, day: Day, jobs: list[int], allocation: Allocation, got: Mapping[str, Served]
) -> list[tuple[str, int, UnservedReason, str, tuple[str, ...]]]:
    """(item, count, reason, detail, short items) for everything a visit did not bring."""
    out = []
    for j in jobs:
        job: Job = day.jobs[j]
        planned = dict(zip(day.items, job.share_of(h.id), strict=True))
        done = got.get(job.id)
        cut = allocation.cut.get(j)
        if done is None and cut is not None and h.id not in cut.job.household_ids:
            reason, detail, short = UnservedReason.stock_shortfall, cut.detail, cut.short_items
        elif done is None:
            reason, detail, short = _why(j, allocation)
            if len(jobs) > 1:  # say which of its visits
                detail = f"visit {jobs.index(j) + 1} of {len(jobs)}: {detail}"
        else:
            reason = UnservedReason.stock_shortfall
            detail, short = (cut.detail, cut.short_items) if cut else ("", ())
        for item, n in planned.items():
            lack = n - (done.items.get(item, 0) if done is not None else 0)
            if lack > 0:
                out.append((item, lack, reason, detail, short))
    return out


def _outcome(
    scenario: Scenario,
    shaped: Shaped,
    h: Household,
    day: Day,
    jobs: list[int],
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
    visits = sorted(scheduled.served.get(h.id, []), key=lambda v: (v.arrival_s, v.vehicle_id))
    got = {v.job_id: v for v in visits}
    lacking = _missing(h, day, jobs, allocation, got)
    if visits:
        first = visits[0]
        delivered: dict[str, int] = defaultdict(int)
        for v in visits:
            for item, n in v.items.items():
                delivered[item] += n
        missing: dict[tuple[str, UnservedReason, str], int] = defaultdict(int)
        for item, n, reason, detail, _ in lacking:
            missing[(item, reason, detail)] += n
        return HouseholdOutcome(
            status="served",
            vehicle_id=first.vehicle_id,
            trip=first.trip,
            stop_seq=first.stop_seq,
            stop_place_id=first.place_id,
            arrival_s=first.arrival_s,
            source_id=first.source_id,
            visits=[
                HouseholdVisit(
                    vehicle_id=v.vehicle_id,
                    trip=v.trip,
                    stop_seq=v.stop_seq,
                    stop_place_id=v.place_id,
                    arrival_s=v.arrival_s,
                    source_id=v.source_id,
                    items=dict(v.items),
                )
                for v in visits
            ],
            delivered=dict(sorted(delivered.items())),
            missing=[
                MissingItem(item=i, count=n, reason=r, detail=d)
                for (i, r, d), n in sorted(missing.items())
            ],
            **common,
        )
    if lacking:
        _, _, reason, detail, short = lacking[0]
    elif jobs:  # it needs nothing: every visit was set aside for it
        reason, detail, short = _why(jobs[0], allocation)
    else:
        reason, detail, short = UnservedReason.nothing_needed, "no items requested", ()
    return HouseholdOutcome(
        status="unserved",
        reason=reason,
        reason_detail=detail,
        short_items=list(short),
        **common,
    )


def unserved_reason(
    h: Household, day: Day, jobs: list[int], allocation: Allocation
) -> tuple[UnservedReason, tuple[str, ...]]:
    """Why ``h`` gets nothing at all, as ``_outcome`` says it, from the allocation alone
    (the verifier re-derives a plan's reasons with it)."""
    lacking = _missing(h, day, jobs, allocation, {})
    if lacking:
        return lacking[0][2], lacking[0][4]
    if jobs:
        reason, _, short = _why(jobs[0], allocation)
        return reason, short
    return UnservedReason.nothing_needed, ()

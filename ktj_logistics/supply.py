"""Which source supplies which stop, given finite stock, earmarks and who may load where.

Stops are taken in priority order (ties by id, so the result is reproducible) and each
gets the nearest source that still has every item it needs, whose earmark admits all of
its households, and from which some vehicle allowed at the stop could load and arrive in
time. When no source qualifies the reason is precise: stock ran out, no eligible vehicle,
or no arrival in time. Serving the most urgent first is what makes "the least urgent go
without" hold exactly when stock is short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .model import Scenario
from .plan import UnservedReason

if TYPE_CHECKING:
    from .problem import Depot, Excluded, Job, VehicleSpec


@dataclass(frozen=True)
class Allocation:
    assigned: dict[int, int]  # job -> depot
    excluded: dict[int, Excluded]


def _first_window_end(windows: Sequence[tuple[int, int]], t: int) -> int | None:
    """Earliest service start at or after ``t`` within ``windows`` (None if none fits)."""
    if not windows:
        return t
    for s, e in sorted(windows):
        if t <= e:
            return max(t, s)
    return None


def reachable(
    job: Job,
    depot: Depot,
    v: VehicleSpec,
    distance_dur: np.ndarray,
    service_s: int,
) -> bool:
    """Can ``v`` load at ``depot`` and serve ``job`` within windows and its shift?"""
    start, end = v.shift
    t = max(start + int(distance_dur[v.loc, depot.loc]), depot.window[0])
    if t > depot.window[1]:
        return False
    t += depot.loading_s
    arrive = _first_window_end(job.windows, t + int(distance_dur[depot.loc, job.loc]))
    if arrive is None:
        return False
    return arrive + service_s + int(distance_dur[job.loc, v.loc]) <= end


def allocate(
    scenario: Scenario,
    jobs: list[Job],
    depots: tuple[Depot, ...],
    vehicles: list[VehicleSpec],
    distance: np.ndarray,
    durations: tuple[np.ndarray, ...],
) -> Allocation:
    from .problem import Excluded

    by_id = {h.id: h for h in scenario.households}
    sources = {s.id: s for s in scenario.sources}
    left = [list(d.stock) for d in depots]
    assigned: dict[int, int] = {}
    excluded: dict[int, Excluded] = {}
    order = sorted(range(len(jobs)), key=lambda j: (-jobs[j].priority, jobs[j].id))
    for j in order:
        job = jobs[j]
        if job.parcels == 0:
            excluded[j] = Excluded(UnservedReason.nothing_needed, "no items requested")
            continue
        if job.windows == ((0, 0),):
            excluded[j] = Excluded(
                UnservedReason.time_window, "its time windows do not overlap (household/plugins)"
            )
            continue
        eligible = [v for v in vehicles if v.kind in job.kinds]
        if not eligible:
            excluded[j] = Excluded(
                UnservedReason.no_eligible_vehicle, "no vehicle kind is allowed at this stop"
            )
            continue
        fits = [v for v in eligible if job.parcels <= v.cap_parcels and job.weight_g <= v.cap_weight_g]
        if not fits:
            biggest = max(eligible, key=lambda v: v.cap_parcels)
            excluded[j] = Excluded(
                UnservedReason.exceeds_vehicle_capacity,
                f"needs {job.parcels} items ({job.weight_g / 1000:.0f} kg); the largest allowed "
                f"vehicle ({biggest.id}) carries {biggest.cap_parcels} "
                f"({biggest.cap_weight_g / 1000:.0f} kg)",
            )
            continue
        earmarked_ok = [
            k
            for k, d in enumerate(depots)
            if (ear := sources[d.id].earmark) is None
            or all(ear.allows(by_id[h]) for h in job.household_ids)
        ]
        has_items = [
            k
            for k in earmarked_ok
            if all(n <= s for n, s in zip(job.demand, depots[k].stock, strict=True))
        ]
        loadable = [k for k in has_items if any(k in v.depots for v in fits)]
        in_time = [
            k
            for k in loadable
            if any(
                k in v.depots
                and reachable(
                    job, depots[k], v, durations[v.profile],
                    job.service_s + job.extra_service_s.get(v.kind, 0),
                )
                for v in fits
            )
        ]
        with_stock = [
            k for k in in_time if all(n <= s for n, s in zip(job.demand, left[k], strict=True))
        ]
        if with_stock:
            k = min(with_stock, key=lambda k: (int(distance[depots[k].loc, job.loc]), k))
            assigned[j] = k
            left[k] = [s - n for s, n in zip(left[k], job.demand, strict=True)]
            continue
        if not has_items:
            short = [
                item
                for i, item in enumerate(_items(scenario))
                if job.demand[i] and not any(depots[k].stock[i] >= job.demand[i] for k in earmarked_ok)
            ]
            excluded[j] = Excluded(
                UnservedReason.stock_shortfall,
                f"no permitted source stocks {', '.join(short) or 'these items'}",
            )
        elif not loadable:
            excluded[j] = Excluded(
                UnservedReason.no_eligible_vehicle,
                "no allowed vehicle may load at a source that has its items",
            )
        elif not in_time:
            excluded[j] = Excluded(
                UnservedReason.time_window,
                "no allowed vehicle can load and arrive within its window and shift",
            )
        else:
            short = [
                item
                for i, item in enumerate(_items(scenario))
                if job.demand[i] and not any(left[k][i] >= job.demand[i] for k in in_time)
            ]
            excluded[j] = Excluded(
                UnservedReason.stock_shortfall,
                f"stock of {', '.join(short)} ran out for more urgent households",
            )
    return Allocation(assigned, excluded)


def _items(scenario: Scenario) -> list[str]:
    return list(scenario.settings.items)

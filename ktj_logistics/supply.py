"""Which source supplies which stop, given finite stock, earmarks and who may load where.

Stops are taken in priority order (ties by id, so the result is reproducible) and each
gets the nearest source that still has every item it needs, whose earmark admits all of
its households, and from which some vehicle allowed at the stop could load and arrive in
time. When every such source has run out, an augmenting path is tried before giving up:
a more urgent stop already placed moves to another source it may use (and so on, up to
one move per source), freeing the stock. Without it a stop that could use A or B, placed
at A because A is nearer, would take the last of A from a later stop that only A may
serve (an earmark, a special item) although stock is not short at all. For stops needing
one unit of one item this is the greedy algorithm on a transversal matroid, which is
exact: the households left out for stock are precisely the least urgent (ties aside).
When no source qualifies the reason is precise: stock ran out, no eligible vehicle, or
no arrival in time.
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
    options: dict[int, list[int]] = {}  # job -> sources it may use, for augmenting paths
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
        fits = [
            v for v in eligible if job.parcels <= v.cap_parcels and job.weight_g <= v.cap_weight_g
        ]
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
                    job,
                    depots[k],
                    v,
                    durations[v.profile],
                    job.service_s + job.extra_service_s.get(v.kind, 0),
                )
                for v in fits
            )
        ]
        with_stock = [
            k for k in in_time if all(n <= s for n, s in zip(job.demand, left[k], strict=True))
        ]
        options[j] = in_time
        if with_stock:
            k = min(with_stock, key=lambda k: (int(distance[depots[k].loc, job.loc]), k))
            assigned[j] = k
            left[k] = [s - n for s, n in zip(left[k], job.demand, strict=True)]
            continue
        if in_time and _augment(j, jobs, options, assigned, left):
            continue
        if not has_items:
            short = [
                item
                for i, item in enumerate(_items(scenario))
                if job.demand[i]
                and not any(depots[k].stock[i] >= job.demand[i] for k in earmarked_ok)
            ]
            excluded[j] = Excluded(
                UnservedReason.stock_shortfall,
                f"no permitted source stocks {', '.join(short) or 'these items'}",
                tuple(short),
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
                f"stock of {', '.join(short) or 'its items'} ran out for more urgent households",
                tuple(short),
            )
    return Allocation(assigned, excluded)


def _fits(need: Sequence[int], have: Sequence[int]) -> bool:
    return all(n <= h for n, h in zip(need, have, strict=True))


def _augment(
    j: int,
    jobs: list[Job],
    options: dict[int, list[int]],
    assigned: dict[int, int],
    left: list[list[int]],
) -> bool:
    """Place job ``j`` by moving already placed jobs along a chain of sources (BFS).

    A step "source a → source b by job x" is possible when x sits at a, may use b, and
    taking x off a makes room at a for what the chain needs there. The first chain that
    ends at a source with room for its last mover is applied; ``assigned`` and ``left``
    change only then. Each source is entered at most once, so this is O(sources × jobs).
    """
    at: dict[int, list[int]] = {}
    for x, k in assigned.items():
        at.setdefault(k, []).append(x)
    # parent[source] = (previous source, job moved from it to this source); need there.
    need: dict[int, tuple[int, ...]] = {}
    parent: dict[int, tuple[int, int] | None] = {}
    frontier: list[int] = []
    for k in options[j]:
        parent[k] = None
        need[k] = jobs[j].demand
        frontier.append(k)
    while frontier:
        nxt: list[int] = []
        for a in frontier:
            for x in sorted(at.get(a, ())):
                freed = [h + d for h, d in zip(left[a], jobs[x].demand, strict=True)]
                if not _fits(need[a], freed):
                    continue
                for b in options.get(x, ()):
                    if b in parent:
                        continue
                    parent[b] = (a, x)
                    need[b] = jobs[x].demand
                    if _fits(need[b], left[b]):
                        _apply(j, b, parent, jobs, assigned, left)
                        return True
                    nxt.append(b)
        frontier = nxt
    return False


def _apply(
    j: int,
    end: int,
    parent: dict[int, tuple[int, int] | None],
    jobs: list[Job],
    assigned: dict[int, int],
    left: list[list[int]],
) -> None:
    b = end
    while (step := parent[b]) is not None:
        a, x = step
        assigned[x] = b
        left[b] = [h - d for h, d in zip(left[b], jobs[x].demand, strict=True)]
        left[a] = [h + d for h, d in zip(left[a], jobs[x].demand, strict=True)]
        b = a
    assigned[j] = b
    left[b] = [h - d for h, d in zip(left[b], jobs[j].demand, strict=True)]


def _items(scenario: Scenario) -> list[str]:
    return list(scenario.settings.items)

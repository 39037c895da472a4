"""Fairness in the allocation: when stock is short, every area gets its floor first.

Priority alone gives the short stock to the most urgent households of the whole day,
and urgency clusters (red zones, older kelurahan, a donor's earmark), so one kelurahan
can end far below the rest. Here the allocation is run again with a reserve: each area's
most urgent stops, up to ``floor × its due households``, are placed first — interleaved
so that, if even the reserves exceed the stock, every area reaches the same fraction of
its reserve — and only then the rest by priority. The floor adapts to the day: it is
``max(min_share, overall − max_gap / 2)`` with the overall share the allocation reaches,
re-measured after each round (a reserve may change which households, and so how many,
the stock covers).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .._allocate import Allocation, Excluded
from .._fairness_settings import FairnessSettings
from .._plan import UnservedReason
from .._problem import Day
from .._scenario import Scenario
from .figure import area_of, is_due

ROUNDS = 3
"""Allocation rounds at most: the floor moves a little with the reserve, then settles."""

STOCK_GAP = 0.5
"""The allocation aims at half the allowed gap: the routing, which the allocation cannot
foresee, may open the other half where vehicle time runs short (measured on a 5,000-
household day: with the whole gap, the fleet took a kelurahan 5 points past it)."""

Allocate = Callable[[Sequence[int]], Allocation]
"""Runs the day's allocation with the given stops placed first."""


@dataclass(frozen=True)
class Areas:
    """Each stop's area and each area's due households, for one day."""

    by_job: tuple[str, ...]
    due: Counter[str]

    @classmethod
    def of(cls, scenario: Scenario, day: Day, fair: FairnessSettings) -> Areas:
        households = {h.id: h for h in scenario.households}
        by_job = tuple(area_of(households[j.household_ids[0]], fair.by) for j in day.jobs)
        due = Counter(area_of(h, fair.by) for h in scenario.households if is_due(h))
        return cls(by_job, due)

    def placed(self, day: Day, jobs: Mapping[int, object]) -> Counter[str]:
        out: Counter[str] = Counter()
        for j in jobs:
            out[self.by_job[j]] += len(day.jobs[j].household_ids)
        return out

    def floor(self, reached: Counter[str], fair: FairnessSettings, gap: float = 1.0) -> float:
        """``max(min_share, overall − gap × max_gap)``, at most 1."""
        total = sum(self.due.values())
        overall = sum(reached.values()) / total if total else 1.0
        return min(1.0, max(fair.min_share, overall - gap * fair.max_gap))

    def below(self, reached: Counter[str], floor: float) -> list[str]:
        return sorted(a for a, n in self.due.items() if n and reached[a] < floor * n - 1e-9)


@dataclass(frozen=True)
class StockFairness:
    """The allocation fairness chose, the floor it aimed at, and whom it moved."""

    allocation: Allocation
    floor: float | None
    raised: Mapping[str, str] = field(default_factory=dict)  # household -> area
    held: Mapping[str, str] = field(default_factory=dict)  # household -> area


def reserve(day: Day, areas: Areas, floor: float, candidates: set[int]) -> list[int]:
    """Each area's most urgent stops up to ``floor`` of its due households, interleaved
    by how far along its reserve each stop is (so short stock is shared evenly)."""
    keyed: list[tuple[float, float, str, int]] = []
    by_area: dict[str, list[int]] = {}
    for j in sorted(candidates, key=lambda j: (-day.jobs[j].priority, day.jobs[j].id)):
        by_area.setdefault(areas.by_job[j], []).append(j)
    for area, jobs in by_area.items():
        quota = math.ceil(floor * areas.due[area] - 1e-9)
        taken = 0
        for j in jobs:
            if taken >= quota:
                break
            keyed.append((taken / quota, -day.jobs[j].priority, day.jobs[j].id, j))
            taken += len(day.jobs[j].household_ids)
    return [j for *_, j in sorted(keyed)]


def balance_stock(
    scenario: Scenario, day: Day, base: Allocation, allocate_again: Allocate
) -> StockFairness:
    """``base`` (the allocation by priority) re-run with area reserves when stock leaves
    some area below its floor; unchanged when it does not."""
    fair = scenario.settings.fairness
    assert fair is not None
    areas = Areas.of(scenario, day, fair)
    short = {j for j, e in base.excluded.items() if e.reason == UnservedReason.stock_shortfall}
    reached = areas.placed(day, base.assigned)
    floor = areas.floor(reached, fair, STOCK_GAP)
    if not short or not areas.below(reached, floor):
        return StockFairness(base, floor)
    candidates = set(base.assigned) | short
    best, best_low = base, _lowest(areas, reached)
    for _ in range(ROUNDS):
        trial = allocate_again(reserve(day, areas, floor, candidates))
        got = areas.placed(day, trial.assigned)
        if _lowest(areas, got) > best_low + 1e-9:
            best, best_low = trial, _lowest(areas, got)
        new_floor = areas.floor(got, fair, STOCK_GAP)
        if abs(new_floor - floor) < 1e-6 or not areas.below(got, new_floor):
            break
        floor = new_floor
    if best is base:
        return StockFairness(base, floor)
    return _with_notes(day, areas, base, best, floor, fair)


def _lowest(areas: Areas, reached: Counter[str]) -> float:
    return min((reached[a] / n for a, n in areas.due.items() if n), default=1.0)


def _with_notes(
    day: Day,
    areas: Areas,
    base: Allocation,
    chosen: Allocation,
    floor: float,
    fair: FairnessSettings,
) -> StockFairness:
    """Who got stock only thanks to the reserves, and who lost it to them (with the
    reason detail saying so)."""
    got = areas.placed(day, chosen.assigned)
    raised = {
        h: areas.by_job[j]
        for j in chosen.assigned
        if j in base.excluded
        for h in day.jobs[j].household_ids
    }
    held: dict[str, str] = {}
    excluded = dict(chosen.excluded)
    for j in base.assigned:
        e = chosen.excluded.get(j)
        if e is None or e.reason != UnservedReason.stock_shortfall:
            continue
        area = areas.by_job[j]
        share = got[area] / areas.due[area] if areas.due[area] else 1.0
        excluded[j] = replace(
            e,
            detail=f"{e.detail}; fairness: the stock went first to {fair.by} areas below "
            f"{floor:.0%} of their due households, and {area} already has {share:.0%} "
            "supplied",
        )
        held.update(dict.fromkeys(day.jobs[j].household_ids, area))
    allocation = Allocation(chosen.assigned, excluded, chosen.cut)
    return StockFairness(allocation, floor, raised, held)


__all__ = ["Areas", "Excluded", "StockFairness", "balance_stock", "reserve"]

"""The fairness figure: served share of due households per area, and how even it is.

An area is a kelurahan, or an RW within its kelurahan. A household is *due* when it
needs something today; its share counts it served when it receives something. Jain's
index over the areas' shares, (Σx)² / (n·Σx²), is 1 when every area has the same share
and 1/n when one area gets everything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .._fairness_settings import FairnessArea
from .._plan import Plan
from .._plan_fairness import AreaShare, Fairness
from .._scenario import Household, Scenario


def area_of(h: Household, by: FairnessArea) -> str:
    """The area key of ``h``: its kelurahan (upper case), or kelurahan and RW."""
    kel = " ".join(h.kelurahan.upper().split()) or "(no kelurahan)"
    if by == "rw":
        rw = h.rw.strip().lstrip("0") or "0"
        return f"{kel} RW {rw.zfill(2)}"
    return kel


def is_due(h: Household) -> bool:
    return bool(h.demand())


def jain(shares: Iterable[float]) -> float:
    xs = list(shares)
    squares = sum(x * x for x in xs)
    return 1.0 if not xs or squares == 0 else sum(xs) ** 2 / (len(xs) * squares)


def figure_of(
    due: Counter[str],
    served: Counter[str],
    by: FairnessArea,
    enforced: bool = False,
    floor: float | None = None,
) -> Fairness:
    """The figure from per-area counts of due and served households."""
    areas = [
        AreaShare(area=a, due=n, served=served[a], share=round(served[a] / n, 4))
        for a, n in sorted(due.items())
        if n
    ]
    total = sum(a.due for a in areas)
    overall = sum(a.served for a in areas) / total if total else 1.0
    lowest = min((a.share for a in areas), default=1.0)
    return Fairness(
        by=by,
        enforced=enforced,
        floor=None if floor is None else round(floor, 4),
        overall_share=round(overall, 4),
        min_share=lowest,
        max_share=max((a.share for a in areas), default=1.0),
        gap=round(max(0.0, overall - lowest), 4),
        jain=round(jain(a.share for a in areas), 4),
        areas=areas,
    )


def fairness_figure(
    scenario: Scenario, plan: Plan, by: FairnessArea = "kelurahan", floor: float | None = None
) -> Fairness:
    """Served share per area of ``plan``, counted from its outcomes and the scenario."""
    status = {o.household_id: o.status for o in plan.households}
    due: Counter[str] = Counter()
    served: Counter[str] = Counter()
    for h in scenario.households:
        if not is_due(h):
            continue
        a = area_of(h, by)
        due[a] += 1
        served[a] += status.get(h.id) == "served"
    fair = scenario.settings.fairness
    enforced = fair is not None and fair.enabled
    return figure_of(due, served, by, enforced, floor)

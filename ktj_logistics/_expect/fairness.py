"""``fairness_gap_max``: no area's served share is more than this below the day's.

Counted here from the scenario's households and the plan's outcomes (not from the
figure the plan states), so a wrong figure cannot hide an unfair plan. A household is
due when it needs something; areas are kelurahan, or kelurahan and RW when the
scenario's ``settings.fairness`` says ``by: rw``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .finding import Finding

if TYPE_CHECKING:
    from .._plan import Plan
    from .._scenario import Household, Scenario


def _area(h: Household, by: str) -> str:
    kel = " ".join(h.kelurahan.upper().split()) or "(no kelurahan)"
    return f"{kel} RW {(h.rw.strip().lstrip('0') or '0').zfill(2)}" if by == "rw" else kel


def check_fairness_gap(limit: float, scenario: Scenario, plan: Plan) -> Finding:
    key = "fairness_gap_max"
    fair = scenario.settings.fairness
    by = fair.by if fair is not None else "kelurahan"
    served_ids = {o.household_id for o in plan.households if o.status == "served"}
    due: Counter[str] = Counter()
    served: Counter[str] = Counter()
    for h in scenario.households:
        if not h.demand():
            continue
        due[_area(h, by)] += 1
        served[_area(h, by)] += h.id in served_ids
    total = sum(due.values())
    if not total:
        return Finding(key, True, "no household is due today")
    overall = sum(served.values()) / total
    worst = min(due, key=lambda a: (served[a] / due[a], a))
    low = served[worst] / due[worst]
    gap = overall - low
    msg = (
        f"{overall:.0%} of due households served; lowest {by} {worst} {low:.0%} "
        f"({served[worst]} of {due[worst]}): {100 * gap:.0f} points below, "
        f"limit {100 * limit:.0f}"
    )
    return Finding(key, gap <= limit + 1e-9, msg)

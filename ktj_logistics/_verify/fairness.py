"""The fairness figure a plan states (1.2) must be what its outcomes say.

Recounted from the scenario's households and the plan's outcomes, with no code of the
planner: per area (kelurahan, or kelurahan and RW) its due households (those that need
something) and how many are served, and the lowest share and the gap to the day's.
"""

from __future__ import annotations

from collections import Counter

from .._plan import Plan
from .._scenario import Household, Scenario
from .violation import Violation

TOLERANCE = 1e-3  # shares are stated rounded to 4 decimals


def _area(h: Household, by: str) -> str:
    kel = " ".join(h.kelurahan.upper().split()) or "(no kelurahan)"
    return f"{kel} RW {(h.rw.strip().lstrip('0') or '0').zfill(2)}" if by == "rw" else kel


def fairness_figure_recount(scenario: Scenario, plan: Plan) -> list[Violation]:
    fig = plan.fairness
    if fig is None:
        return []
    served_ids = {o.household_id for o in plan.households if o.status == "served"}
    due: Counter[str] = Counter()
    served: Counter[str] = Counter()
    for h in scenario.households:
        if h.demand():
            due[_area(h, fig.by)] += 1
            served[_area(h, fig.by)] += h.id in served_ids
    out: list[Violation] = []
    stated = {a.area: (a.due, a.served) for a in fig.areas}
    counted = {a: (n, served[a]) for a, n in due.items()}
    for area in sorted(set(stated) | set(counted)):
        if stated.get(area) != counted.get(area):
            out.append(
                Violation(
                    "figure",
                    f"fairness: {fig.by} {area} is stated as (due, served) "
                    f"{stated.get(area)}, the outcomes give {counted.get(area)}",
                )
            )
    total = sum(due.values())
    if total and not out:
        overall = sum(served.values()) / total
        low = min(served[a] / n for a, n in due.items())
        if abs(fig.overall_share - overall) > TOLERANCE or abs(fig.min_share - low) > TOLERANCE:
            out.append(
                Violation(
                    "figure",
                    f"fairness: stated overall {fig.overall_share:.4f} and lowest "
                    f"{fig.min_share:.4f}, the outcomes give {overall:.4f} and {low:.4f}",
                )
            )
    return out

"""The fairness figure in words, for ``summary.txt`` and the CLI summary."""

from __future__ import annotations

from .._i18n import Translator
from .._plan import Plan


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def fairness_line(plan: Plan, tr: Translator) -> str | None:
    """One line: overall share, lowest and highest area, gap, Jain index, floor."""
    fig = plan.fairness
    if fig is None or not (fig.enforced or len(fig.areas) > 1):
        return None  # one area (or none named): nothing to compare
    worst = min(fig.areas, key=lambda a: (a.share, a.area))
    floor = tr("sum.fairness_floor", floor=_pct(fig.floor)) if fig.floor is not None else ""
    return tr(
        "sum.fairness",
        by=fig.by,
        overall=_pct(fig.overall_share),
        low=_pct(fig.min_share),
        area=worst.area,
        high=_pct(fig.max_share),
        gap=f"{100 * fig.gap:.0f}",
        jain=f"{fig.jain:.3f}",
        floor=floor,
    )


def fairness_areas(plan: Plan, tr: Translator) -> list[str]:
    """Each area's due and served households, lowest share first."""
    fig = plan.fairness
    if fig is None or not (fig.enforced or len(fig.areas) > 1):
        return []
    return [
        tr("sum.fairness_area", area=a.area, served=a.served, due=a.due, share=_pct(a.share))
        for a in sorted(fig.areas, key=lambda a: (a.share, a.area))
    ]

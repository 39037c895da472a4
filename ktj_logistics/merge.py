"""Join the plans of a day's parts into one ``Plan`` for the whole scenario.

Each household must come from exactly one part; anything else is a bug and stops the run
(never a silently missing area). Source usage and totals are recounted for the whole day,
priorities are the ones the plugins gave for the whole scenario.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .errors import InternalError
from .model import Scenario
from .plan import (
    HouseholdOutcome,
    Plan,
    PriorityContribution,
    SolverInfo,
    SourceUsage,
)
from .shape import Shaped


def merge_plans(
    scenario: Scenario,
    shaped: Shaped,
    plans: Sequence[Plan],
    *,
    wall_s: float,
    time_limit_s: float,
    deterministic: bool,
) -> Plan:
    """One plan from the part plans; raises ``InternalError`` if a household is lost."""
    outcomes: dict[str, HouseholdOutcome] = {}
    dupes: list[str] = []
    routes = []
    for p in plans:
        routes.extend(p.routes)
        for o in p.households:
            if o.household_id in outcomes:
                dupes.append(o.household_id)
            outcomes[o.household_id] = o
    missing = [h.id for h in scenario.households if h.id not in outcomes]
    extra = set(outcomes) - {h.id for h in scenario.households}
    if missing or dupes or extra:
        raise InternalError(
            f"decomposition lost track of households: {len(missing)} missing, "
            f"{len(dupes)} twice, {len(extra)} unknown; no plan is written"
        )
    vehicles = Counter(r.vehicle_id for r in routes)
    if any(n > 1 for n in vehicles.values()):
        raise InternalError("decomposition gave one vehicle routes in two parts")
    ordered = [_whole_priority(outcomes[h.id], shaped) for h in scenario.households]
    used: dict[str, Counter[str]] = {s.id: Counter() for s in scenario.sources}
    for p in plans:
        for su in p.sources:
            used[su.source_id].update(su.used)
    sources = [
        SourceUsage(
            source_id=s.id,
            stock={i: n for i, n in s.stock.items() if n},
            used={i: n for i, n in used[s.id].items() if n},
            left={i: n - used[s.id][i] for i, n in s.stock.items() if n},
        )
        for s in scenario.sources
    ]
    statuses = Counter(p.solver.status for p in plans)
    return Plan.of_day(
        scenario.name,
        scenario.settings.planning_date,
        list(shaped.plugins),
        routes,
        ordered,
        sources,
        SolverInfo(
            engine=plans[0].solver.engine if plans else "ortools",
            status=f"{len(plans)} parts: "
            + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())),
            objective=sum(p.solver.objective for p in plans),
            wall_s=round(wall_s, 3),
            time_limit_s=time_limit_s,
            deterministic=deterministic,
        ),
    )


def _whole_priority(o: HouseholdOutcome, shaped: Shaped) -> HouseholdOutcome:
    s = shaped.households[o.household_id]
    return o.model_copy(
        update={
            "priority": s.priority,
            "contributions": [
                PriorityContribution(plugin=c.plugin, rule=c.rule, points=c.points, reason=c.reason)
                for c in s.contributions
            ],
        }
    )

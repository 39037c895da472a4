"""What would serve more households: computed by re-planning with one change, not guessed.

Two kinds of hint, each only when households are left out for that cause:

* **stock** (``stock_shortfall``): for each short item and each source that could hold
  it, the allocation is re-run with the shortfall added there; the sources that would
  place the most left-out households are then re-solved to see how many are really
  served. When the fleet has no room for them the hint says so and counts the allocation
  only (``checked_by="allocation"``).
* **vehicle** (``fleet_capacity``): one more vehicle like the fleet's motorbikes (or its
  smallest vehicle kind) at a base, re-solved; bases tried are those nearest the
  left-out households.
* **window**, **capacity**, **access** (``time_window``, ``exceeds_vehicle_capacity``,
  ``no_eligible_vehicle``): the fix each reason's detail points to (the clashing
  windows, the vehicle that would fit, the kinds allowed), for the households it names;
  read from the reasons, not re-planned (``checked_by="reason"``).

Stock hints count households *fully* served (served and missing nothing), so stock that
would complete a household delivered without its infant pack counts too.

Every comparison is against a re-solve of the unchanged scenario with the same short,
deterministic search, so a hint measures the change and not the difference between a
long and a short search.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ._kinds import VehicleKind
from ._plan import Hint, Plan, UnservedReason
from ._scenario import Location, Scenario, Vehicle

Replan = Callable[[Scenario], Plan]
"""Plans a (changed) scenario with the short deterministic search and verifies it."""

Placed = Callable[[Scenario], set[str]]
"""The households a (changed) scenario's allocation would supply."""


@dataclass(frozen=True)
class HintSettings:
    max_stock_checks: int = 3  # re-solves per short item
    max_bases: int = 3  # bases tried for an extra vehicle


def compute_hints(
    scenario: Scenario,
    plan: Plan,
    replan: Replan,
    placed: Placed,
    settings: HintSettings | None = None,
) -> list[Hint]:
    """Hints for ``plan`` of ``scenario``, best first within each kind."""
    cfg = settings or HintSettings()
    reasons = Counter(_reasons(plan))
    hints: list[Hint] = []
    if reasons[UnservedReason.stock_shortfall] or reasons[UnservedReason.fleet_capacity]:
        again = replan(scenario)
        if plan.shortfall:
            hints += _stock_hints(scenario, plan, replan, placed, _complete(again), cfg)
        if reasons[UnservedReason.fleet_capacity]:
            hints += _vehicle_hints(scenario, plan, replan, again.totals.served, cfg)
    return hints + reason_hints(plan)


def _reasons(plan: Plan) -> list[UnservedReason]:
    """Every reason in the plan: of unserved households, and of items served ones miss."""
    out = [o.reason for o in plan.households if o.status == "unserved" and o.reason]
    return out + [m.reason for o in plan.households if o.status == "served" for m in o.missing]


def _complete(plan: Plan) -> int:
    return plan.totals.served - plan.totals.partially_served


_REASON_FIX: dict[UnservedReason, tuple[Literal["window", "capacity", "access"], str]] = {
    UnservedReason.time_window: (
        "window",
        "check the delivery windows with {who} (or the building's access hours): {detail}",
    ),
    UnservedReason.exceeds_vehicle_capacity: (
        "capacity",
        "{who} cannot be carried by any vehicle allowed there; bring a larger vehicle of an "
        "allowed kind, or correct the item sizes: {detail}",
    ),
    UnservedReason.no_eligible_vehicle: (
        "access",
        "no vehicle may serve {who}; add a vehicle of a kind allowed there or one that may "
        "load at a source with their items: {detail}",
    ),
}


def reason_hints(plan: Plan) -> list[Hint]:
    """One hint per (reason, detail) the coordinator can act on, naming the households."""
    groups: dict[tuple[UnservedReason, str], list[str]] = {}
    for o in plan.households:
        found = [(o.reason, o.reason_detail)] if o.status == "unserved" and o.reason else []
        found += [(m.reason, m.detail) for m in o.missing] if o.status == "served" else []
        for reason, detail in found:
            if reason in _REASON_FIX:
                groups.setdefault((reason, detail), []).append(o.household_id)
    out = []
    for (reason, detail), ids in sorted(groups.items(), key=lambda x: (x[0][0], -len(x[1]))):
        kind, text = _REASON_FIX[reason]
        who = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        out.append(
            Hint(
                kind=kind,
                text=text.format(who=f"household(s) {who}", detail=detail),
                added=0,
                would_serve=len(ids),
                checked_by="reason",
                household_ids=ids,
            )
        )
    return out


def _with_stock(scenario: Scenario, source_id: str, item: str, extra: int) -> Scenario:
    sources = [
        s.model_copy(update={"stock": {**s.stock, item: s.stock.get(item, 0) + extra}})
        if s.id == source_id
        else s
        for s in scenario.sources
    ]
    return scenario.model_copy(update={"sources": sources})


def _stock_hints(
    scenario: Scenario,
    plan: Plan,
    replan: Replan,
    placed_by: Placed,
    baseline: int,
    cfg: HintSettings,
) -> list[Hint]:
    short_of = {
        o.household_id for o in plan.households if o.reason == UnservedReason.stock_shortfall
    } | {
        o.household_id
        for o in plan.served()
        if any(m.reason == UnservedReason.stock_shortfall for m in o.missing)
    }
    out: list[Hint] = []
    for item, amount in plan.shortfall.items():
        ranked: list[tuple[int, str]] = []
        for s in scenario.sources:
            changed = _with_stock(scenario, s.id, item, amount)
            placed = len(placed_by(changed) & short_of)
            if placed:
                ranked.append((placed, s.id))
        ranked.sort(key=lambda x: (-x[0], x[1]))
        for placed, sid in ranked[: cfg.max_stock_checks]:
            served = _complete(replan(_with_stock(scenario, sid, item, amount))) - baseline
            routed = served > 0
            text = (
                f"+{amount} {item} at source {sid} would serve {_households(served)} in full"
                if routed
                else f"+{amount} {item} at source {sid} would supply {_households(placed)}, "
                "but today's fleet has no time left to deliver them"
            )
            out.append(
                Hint(
                    kind="stock",
                    text=text,
                    source_id=sid,
                    item=item,
                    added=amount,
                    would_serve=served if routed else placed,
                    checked_by="routing" if routed else "allocation",
                )
            )
    out.sort(key=lambda h: (h.checked_by != "routing", -h.would_serve))
    return out


def _template(scenario: Scenario) -> Vehicle:
    bikes = [v for v in scenario.vehicles if v.kind == VehicleKind.motorbike]
    pool = bikes or sorted(scenario.vehicles, key=lambda v: (v.capacity_packages, v.id))
    return pool[0]


def _vehicle_hints(
    scenario: Scenario, plan: Plan, replan: Replan, baseline: int, cfg: HintSettings
) -> list[Hint]:
    by_id = {h.id: h for h in scenario.households}
    left = [
        by_id[o.household_id].location
        for o in plan.households
        if o.reason == UnservedReason.fleet_capacity
    ]
    centre = Location(
        lat=float(np.mean([p.lat for p in left])), lon=float(np.mean([p.lon for p in left]))
    )
    bases = sorted(
        scenario.bases,
        key=lambda b: (
            (b.location.lat - centre.lat) ** 2 + (b.location.lon - centre.lon) ** 2,
            b.id,
        ),
    )[: cfg.max_bases]
    template = _template(scenario)
    ids = {v.id for v in scenario.vehicles}
    out: list[Hint] = []
    for b in bases:
        vid = next(
            f"extra-{template.kind.value}-{i}"
            for i in range(1, 10**6)
            if f"extra-{template.kind.value}-{i}" not in ids
        )
        extra = template.model_copy(update={"id": vid, "base": b.id, "officer": ""})
        changed = scenario.model_copy(update={"vehicles": [*scenario.vehicles, extra]})
        served = replan(changed).totals.served - baseline
        if served > 0:
            out.append(
                Hint(
                    kind="vehicle",
                    text=f"one more {template.kind.value} at base {b.id} would serve "
                    f"{_households(served)}",
                    base_id=b.id,
                    vehicle_kind=template.kind.value,
                    added=1,
                    would_serve=served,
                    checked_by="routing",
                )
            )
    out.sort(key=lambda h: -h.would_serve)
    return out


def _households(n: int) -> str:
    """``1 more household`` / ``2 more households``."""
    return f"{n} more household{'' if n == 1 else 's'}"

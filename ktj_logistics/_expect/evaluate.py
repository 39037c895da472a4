"""Judging a plan against its scenario's ``expect:`` block.

A scenario file may carry an ``expect:`` block. It is validated with the rest of the
scenario (unknown keys are errors), and ``evaluate`` judges a plan against it, one
``Finding`` per stated expectation, each with a sentence a coordinator can read. The
checks are recomputed from the plan and the scenario themselves (not from the plan's
totals), so a bug in the totals cannot hide a broken rule.

Nothing here prints; ``ktj-route check`` and the pytest plugin present the findings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._plan import REASON_TEXT, HouseholdOutcome, Plan, StopKind
from .._timefmt import hhmm
from .coverage import check_capacity_drops, check_special_shortfall, check_unserved_reasons
from .finding import Finding
from .model import Expectations, FairnessFloor, HouseholdExpectation, VehicleBan

if TYPE_CHECKING:
    from .._scenario import Household, Scenario


def _listing(ids: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def stock_is_short(scenario: Scenario) -> bool:
    """True when, for some item, the households need more than all sources hold."""
    need: Counter[str] = Counter()
    for h in scenario.households:
        need.update(h.demand())
    held: Counter[str] = Counter()
    for s in scenario.sources:
        held.update(s.stock)
    return any(n > held[item] for item, n in need.items())


def plan_fingerprint(plan: Plan) -> dict[str, Any]:
    """The plan without what legitimately varies between runs (the solver's wall time)."""
    return plan.model_dump(mode="json", exclude={"solver": {"wall_s"}})


def first_difference(a: Any, b: Any, where: str = "plan") -> str | None:
    """Where two JSON-like values first differ, as a readable path; None when equal."""
    if type(a) is not type(b):
        return f"{where}: {a!r} vs {b!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key} present in one run only"
            diff = first_difference(a[key], b[key], f"{where}.{key}")
            if diff:
                return diff
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            diff = first_difference(x, y, f"{where}[{i}]")
            if diff:
                return diff
        if len(a) != len(b):
            return f"{where} has {len(a)} entries in one run and {len(b)} in the other"
        return None
    return None if a == b else f"{where}: {a!r} vs {b!r}"


def evaluate(
    expect: Expectations,
    scenario: Scenario,
    plan: Plan,
    rerun: Callable[[], Plan] | None = None,
) -> list[Finding]:
    """Judge ``plan`` against every stated expectation, in the order of the block.

    ``rerun`` plans the scenario again in deterministic mode; it is needed only for the
    ``deterministic`` expectation (without it that expectation fails, saying so).
    """
    out = _served(expect, scenario, plan)
    if expect.served_if_priority_at_least is not None:
        out.append(_check_priority_floor(expect.served_if_priority_at_least, plan))
    outcome = {o.household_id: o for o in plan.households}
    out += [_check_household(hid, want, outcome) for hid, want in expect.households.items()]
    if expect.max_route_minutes is not None:
        out.append(_check_route_minutes(expect.max_route_minutes, plan))
    if expect.back_by_shift_end:
        out.append(_check_back_in_time(scenario, plan))
    households = {h.id: h for h in scenario.households}
    out += [
        _check_ban(f"no_vehicle_at[{i}]", ban, plan, households)
        for i, ban in enumerate(expect.no_vehicle_at)
    ]
    if expect.stock_respected:
        out.append(_check_stock(scenario, plan))
    if expect.max_total_km is not None:
        km = sum(r.distance_m for r in plan.routes) / 1000
        limit = expect.max_total_km
        out.append(
            Finding(
                "max_total_km",
                km <= limit,
                f"vehicles drive {km:.1f} km in total; limit {limit:g} km",
            )
        )
    if expect.fairness_floor is not None:
        out.append(_check_fairness(expect.fairness_floor, scenario, outcome))
    if expect.one_stop_per_building:
        out.append(_check_buildings(scenario, plan))
    if expect.no_capacity_drop_while_idle:
        out.append(check_capacity_drops(scenario, plan))
    if expect.special_shortfall_keeps_standard:
        out.append(check_special_shortfall(scenario, plan))
    if expect.unserved_only_for:
        out.append(check_unserved_reasons(expect.unserved_only_for, plan))
    if expect.deterministic:
        out.append(_check_deterministic(plan, rerun))
    return out


def _served(expect: Expectations, scenario: Scenario, plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    n_total = len(scenario.households)
    n_served = sum(1 for o in plan.households if o.status == "served")
    if expect.min_served is not None:
        out.append(
            Finding(
                "min_served",
                n_served >= expect.min_served,
                f"{n_served} of {n_total} households served; expected at least {expect.min_served}",
            )
        )
    if expect.min_served_share is not None:
        share = n_served / n_total if n_total else 1.0
        out.append(
            Finding(
                "min_served_share",
                share >= expect.min_served_share,
                f"{_pct(share)} of households served ({n_served} of {n_total}); expected at "
                f"least {_pct(expect.min_served_share)}",
            )
        )
    return out


def _check_priority_floor(floor: float, plan: Plan) -> Finding:
    missed = [o for o in plan.households if o.priority >= floor and o.status != "served"]
    n_high = sum(1 for o in plan.households if o.priority >= floor)
    if not missed:
        msg = f"all {n_high} households with priority {floor:g} or more were served"
        return Finding("served_if_priority_at_least", True, msg)
    detail = _listing(
        [
            f"{o.household_id} (priority {o.priority:g}{', ' + o.reason.value if o.reason else ''})"
            for o in missed
        ]
    )
    msg = (
        f"{len(missed)} of {n_high} households with priority {floor:g} or more "
        f"went unserved: {detail}"
    )
    return Finding("served_if_priority_at_least", False, msg)


def _check_household(
    hid: str, want: HouseholdExpectation, outcome: dict[str, HouseholdOutcome]
) -> Finding:
    got = outcome.get(hid)
    key = f"households.{hid}"
    if got is None:
        return Finding(key, False, f"household {hid} is not in the scenario or the plan")
    wanted = want.status + (f" ({want.reason.value})" if want.reason else "")
    actual = got.status + (f" ({got.reason.value})" if got.reason else "")
    ok = got.status == want.status and (want.reason is None or got.reason == want.reason)
    why = f": {REASON_TEXT[got.reason]}" if got.reason else ""
    return Finding(
        key, ok, f"household {hid} was {actual}{why}" + ("" if ok else f"; expected {wanted}")
    )


def _check_route_minutes(limit_min: float, plan: Plan) -> Finding:
    limit_s = round(limit_min * 60)
    long_routes = [r for r in plan.routes if r.duration_s > limit_s]
    if long_routes:
        msg = (
            "; ".join(
                f"the route of {r.vehicle_id} takes {r.duration_s / 60:.0f} minutes"
                for r in long_routes
            )
            + f" (limit {limit_min:g} minutes)"
        )
    else:
        longest = max((r.duration_s for r in plan.routes), default=0)
        msg = f"the longest route takes {longest / 60:.0f} minutes (limit {limit_min:g})"
    return Finding("max_route_minutes", not long_routes, msg)


def _check_back_in_time(scenario: Scenario, plan: Plan) -> Finding:
    vehicles = {v.id: v for v in scenario.vehicles}
    late = []
    for r in plan.routes:
        v = vehicles.get(r.vehicle_id)
        if v is None or not r.stops:
            late.append(f"{r.vehicle_id} is not a vehicle of the scenario")
            continue
        _, end = v.shift.as_seconds()
        back = r.stops[-1].arrival_s
        if back > end:
            late.append(
                f"{r.vehicle_id} returns at {hhmm(back)}, after its shift ends at {hhmm(end)}"
            )
    return Finding(
        "back_by_shift_end",
        not late,
        "; ".join(late) or f"all {len(plan.routes)} vehicles are back by their shift end",
    )


def _check_ban(key: str, ban: VehicleBan, plan: Plan, households: dict[str, Household]) -> Finding:
    banned = {k.value for k in ban.kinds}
    kinds = " or ".join(sorted(banned))
    hits: dict[str, list[str]] = defaultdict(list)
    for r in plan.routes:
        if r.vehicle_kind not in banned:
            continue
        for s in r.stops:
            if s.kind is not StopKind.delivery:
                continue
            for hid in s.household_ids:
                h = households.get(hid)
                if h is not None and ban.matches(h):
                    hits[f"{r.vehicle_kind} {r.vehicle_id}"].append(hid)
    n_where = sum(1 for h in households.values() if ban.matches(h))
    if hits:
        msg = (
            "; ".join(
                f"{who} delivers to {len(ids)} of the {ban.describe()} ({_listing(sorted(ids))})"
                for who, ids in hits.items()
            )
            + f", where no {kinds} may go"
        )
    else:
        msg = f"no {kinds} delivers to the {n_where} {ban.describe()}"
    return Finding(key, not hits, msg)


def _check_stock(scenario: Scenario, plan: Plan) -> Finding:
    handed: dict[str, Counter[str]] = defaultdict(Counter)
    for o in plan.households:
        if o.status == "served" and o.visits:
            for v in o.visits:
                handed[v.source_id].update(v.items)
        elif o.status == "served":  # a 1.0 plan: everything from its one source
            handed[o.source_id or "(no source)"].update(o.items)
    sources = scenario.source_by_id()
    over = []
    for sid, items in sorted(handed.items()):
        src = sources.get(sid)
        for item, n in sorted(items.items()):
            held = src.stock.get(item, 0) if src is not None else 0
            if n > held:
                over.append(f"source {sid} hands out {n} × {item} but holds {held}")
    total = sum(sum(c.values()) for c in handed.values())
    return Finding(
        "stock_respected",
        not over,
        "; ".join(over) or f"{total} items handed out, none beyond a source's stock",
    )


def _check_fairness(floor: FairnessFloor, scenario: Scenario, outcome: dict[str, Any]) -> Finding:
    key = "fairness_floor"
    if floor.only_when_stock_short and not stock_is_short(scenario):
        return Finding(key, True, "stock covers every household today, so the floor does not apply")
    total: Counter[str] = Counter()
    served: Counter[str] = Counter()
    for h in scenario.households:
        area = getattr(h, floor.by) or "(none)"
        total[area] += 1
        o = outcome.get(h.id)
        if o is not None and o.status == "served":
            served[area] += 1
    below = [
        f"{floor.by} {area} got {served[area]} of its {n} households served "
        f"({_pct(served[area] / n)})"
        for area, n in sorted(total.items())
        if served[area] / n < floor.min_share
    ]
    if below:
        msg = "; ".join(below) + f"; the floor is {_pct(floor.min_share)}"
    else:
        worst = min((served[a] / n for a, n in total.items()), default=1.0)
        msg = (
            f"every {floor.by} got at least {_pct(floor.min_share)} of its households served "
            f"(lowest {_pct(worst)})"
        )
    return Finding(key, not below, msg)


def _check_buildings(scenario: Scenario, plan: Plan) -> Finding:
    building_of = {h.id: h.building for h in scenario.households if h.building}
    stops: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for r in plan.routes:
        for s in r.stops:
            if s.kind is StopKind.delivery:
                for hid in s.household_ids:
                    if hid in building_of:
                        stops[building_of[hid]].add((r.vehicle_id, s.seq))
    split = sorted(b for b, st in stops.items() if len(st) > 1)
    if split:
        msg = "; ".join(f"building {b} is served in {len(stops[b])} stops" for b in split)
    else:
        msg = f"each of the {len(stops)} buildings served is served in one stop"
    return Finding("one_stop_per_building", not split, msg)


def _check_deterministic(plan: Plan, rerun: Callable[[], Plan] | None) -> Finding:
    key = "deterministic"
    if rerun is None:
        return Finding(key, False, "no second run was made to compare with")
    if not plan.solver.deterministic:
        return Finding(
            key, False, "the plan was made on wall-clock time; set settings.deterministic: true"
        )
    diff = first_difference(plan_fingerprint(plan), plan_fingerprint(rerun()))
    if diff:
        return Finding(key, False, f"a second run gave a different plan; first difference: {diff}")
    return Finding(key, True, "a second run gave the identical plan")


__all__ = ["Finding", "evaluate", "first_difference", "plan_fingerprint", "stock_is_short"]

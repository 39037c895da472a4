"""Nothing lost: every household exactly once; served means delivered exactly once."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .._plan import HouseholdOutcome, Plan
from .._scenario import Scenario
from .violation import Violation

if TYPE_CHECKING:
    from .routes import Trace


def accounting(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every input household once in the plan, none unknown, none unserved without a reason."""
    out: list[Violation] = []
    known = {h.id for h in scenario.households}
    counts = Counter(o.household_id for o in plan.households)
    for hid in known:
        if counts[hid] == 0:
            out.append(Violation("missing_household", f"household {hid} is not in the plan"))
        elif counts[hid] > 1:
            out.append(
                Violation("duplicate_household", f"household {hid} appears {counts[hid]} times")
            )
    for hid in counts:
        if hid not in known:
            out.append(
                Violation("unknown_household", f"plan lists household {hid}, not in the input")
            )
    for o in plan.households:
        if o.status == "unserved" and o.reason is None:
            out.append(
                Violation("no_reason", f"household {o.household_id} is unserved with no reason")
            )
    return out


def served_once(scenario: Scenario, plan: Plan, trace: Trace) -> list[Violation]:
    """A served household is delivered where its outcome says; an unserved one is not
    delivered at all. In a 1.0 plan a served household gets all its items in one stop;
    in 1.1 its visits add up: what the stops hand it is its ``delivered``, never more
    than it needs, and ``delivered`` plus ``missing`` is exactly what it needs."""
    out: list[Violation] = []
    need = {h.id: Counter(h.demand()) for h in scenario.households}
    for o in plan.households:
        hid = o.household_id
        places = trace.delivered_at.get(hid, [])
        if o.status != "served":
            if places:
                out.append(
                    Violation("unserved_delivered", f"household {hid} is unserved but delivered")
                )
            continue
        if hid not in need:
            continue
        handed: Counter[str] = Counter()
        for vid, seq in places:
            handed.update(trace.handed.get((hid, vid, seq), Counter()))
        if plan.schema_version == "1.0" or not o.visits:
            if len(places) != 1:
                out.append(
                    Violation("served_once", f"household {hid} is delivered {len(places)} times")
                )
            elif (o.vehicle_id, o.stop_seq) != places[0]:
                out.append(Violation("outcome", f"household {hid}: outcome and route disagree"))
            elif handed != need[hid] and plan.schema_version == "1.0":
                out.append(Violation("items", f"household {hid} does not get all its items"))
            continue
        out += _visits_add_up(o, places, handed, need[hid], trace)
    return out


def _visits_add_up(
    o: HouseholdOutcome,
    places: list[tuple[str, int]],
    handed: Counter[str],
    need: Counter[str],
    trace: Trace,
) -> list[Violation]:
    hid = o.household_id
    out: list[Violation] = []
    listed = [(v.vehicle_id, v.stop_seq) for v in o.visits]
    if sorted(listed) != sorted(places) or len(set(places)) != len(places):
        out.append(
            Violation(
                "visits",
                f"household {hid}: its visits {listed} are not the stops that serve it {places}",
            )
        )
    for v in o.visits:
        at = trace.handed.get((hid, v.vehicle_id, v.stop_seq))
        if at is not None and Counter(v.items) != at:
            out.append(
                Violation(
                    "visits",
                    f"household {hid}: visit at {v.vehicle_id} stop "
                    f"{v.stop_seq} lists {v.items}, the stop hands over {dict(at)}",
                )
            )
    if (o.vehicle_id, o.stop_seq) != listed[0]:
        out.append(Violation("outcome", f"household {hid}: outcome and first visit disagree"))
    if Counter(o.delivered) != handed:
        out.append(
            Violation(
                "delivered",
                f"household {hid}: delivered says {o.delivered}, its stops hand over "
                f"{dict(handed)}",
            )
        )
    over = {i: n for i, n in handed.items() if n > need[i]}
    if over:
        out.append(Violation("delivered", f"household {hid} gets more than it needs: {over}"))
    missing: Counter[str] = Counter()
    for m in o.missing:
        missing[m.item] += m.count
    if handed + missing != need or any(m.count <= 0 for m in o.missing):
        out.append(
            Violation(
                "missing",
                f"household {hid}: delivered {dict(handed)} and missing {dict(missing)} "
                f"do not add up to what it needs, {dict(need)}",
            )
        )
    return out

"""Nothing lost: every household exactly once; served means delivered exactly once."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .._plan import Plan
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


def served_once(plan: Plan, trace: Trace) -> list[Violation]:
    """A served household is delivered exactly once, where its outcome says; an
    unserved one is not delivered at all."""
    out: list[Violation] = []
    for o in plan.households:
        hid = o.household_id
        places = trace.delivered_at.get(hid, [])
        if o.status == "served":
            if len(places) != 1:
                out.append(
                    Violation("served_once", f"household {hid} is delivered {len(places)} times")
                )
            elif (o.vehicle_id, o.stop_seq) != places[0]:
                out.append(Violation("outcome", f"household {hid}: outcome and route disagree"))
        elif places:
            out.append(
                Violation("unserved_delivered", f"household {hid} is unserved but delivered")
            )
    return out

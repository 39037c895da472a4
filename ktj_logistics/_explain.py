"""Why a household was served when it was, or why not — in plain words, from plan.json.

Everything needed is in the plan itself (priority with each plugin's contribution, the
route, the stop and its group, the vehicle kinds plugins forbade, the windows, the reason
for not serving), so a coordinator can explain a decision with only the file they were
sent. Names, phones and addresses are never used: households are named by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._plan import REASON_TEXT, HouseholdOutcome, Plan, Route, Stop, StopKind
from ._timefmt import hhmm, minutes


@dataclass(frozen=True)
class Explanation:
    household_id: str
    served: bool
    headline: str
    lines: tuple[str, ...]

    def text(self) -> str:
        return "\n".join((self.headline, *self.lines))


def _points(p: float) -> str:
    return f"{p:+g}"


def _items(items: dict[str, int]) -> str:
    return ", ".join(f"{n} × {k}" for k, n in sorted(items.items())) or "nothing"


def _stop_of(plan: Plan, o: HouseholdOutcome) -> tuple[Route, Stop] | None:
    for r in plan.routes:
        if r.vehicle_id != o.vehicle_id:
            continue
        for s in r.stops:
            if s.seq == o.stop_seq and s.kind == StopKind.delivery:
                return r, s
    return None


def _hub_of(plan: Plan, vehicle_id: str | None, stop_seq: int | None, source: str) -> str | None:
    """The hub where the officer took on ``source``'s stock for this stop, if it was one."""
    route = next((r for r in plan.routes if r.vehicle_id == vehicle_id), None)
    if route is None or stop_seq is None:
        return None
    loads = [s for s in route.stops if s.kind == StopKind.load and s.seq < stop_seq]
    at = next((s for s in reversed(loads) if s.source_id == source), None)
    return at.place_id if at is not None and at.place_id != source else None


def _loaded_where(plan: Plan, loads: list[tuple[str | None, int | None, str | None]]) -> str:
    """Where the officer took the items on: sources, or hubs that a truck stocked."""
    sources: set[str] = set()
    hubs: set[tuple[str, str]] = set()
    for vehicle_id, stop_seq, source in loads:
        hub = _hub_of(plan, vehicle_id, stop_seq, source or "")
        if hub is None:
            sources.add(str(source))
        else:
            hubs.add((hub, str(source)))
    said = [f"loaded at source {', '.join(sorted(sources))}"] if sources else []
    said += [
        f"loaded at hub {hub} from stock that a trunk vehicle brought from source {source}"
        for hub, source in sorted(hubs)
    ]
    return "; ".join(said)


def priority_lines(plan: Plan, o: HouseholdOutcome) -> list[str]:
    """The score, its rank among all households, and every contribution."""
    higher = sum(1 for x in plan.households if x.priority > o.priority)
    tied = sum(1 for x in plan.households if x.priority == o.priority) - 1
    tie = f", tied with {tied} other(s)" if tied else ""
    out = [
        f"Priority {o.priority:g}: rank {higher + 1} of {len(plan.households)} households"
        f"{tie} (when stock or vehicle time runs short, higher priority is served first)."
    ]
    if not o.contributions:
        out.append("  No plugin gave it points.")
    for c in o.contributions:
        rule = f" · {c.rule}" if c.rule else ""
        out.append(f"  {_points(c.points):>6}  {c.plugin}{rule}: {c.reason}")
    total = sum(c.points for c in o.contributions)
    if total < 0:
        out.append(f"  (the points sum to {total:g}; a priority is never below 0)")
    return out


def _context_lines(o: HouseholdOutcome) -> list[str]:
    out = []
    if o.denied_vehicle_kinds:
        parts = [f"{d.kind} ({d.plugin}: {d.reason})" for d in o.denied_vehicle_kinds]
        out.append("Vehicle kinds not allowed here: " + "; ".join(parts) + ".")
    if o.time_windows:
        out.append("Delivery may start only within " + ", ".join(o.time_windows) + ".")
    return out


def _group_lines(plan: Plan, o: HouseholdOutcome) -> list[str]:
    """How its group fared: units are served in visits, each on its own merits."""
    if not o.group_key:
        return []
    mates = [x for x in plan.households if x.group_key == o.group_key]
    served = sum(1 for x in mates if x.status == "served")
    stops = {(v.vehicle_id, v.stop_seq) for x in mates for v in x.visits}
    return [
        f"It belongs to stop group {o.group_key}: {served} of its {len(mates)} households "
        f"served, in {len(stops) or served and 1} visit(s). Units are served in visits by "
        "vehicle, trip and window, so one unit's window or size never holds back the others."
    ]


def fairness_lines(plan: Plan, o: HouseholdOutcome) -> list[str]:
    """When fairness across areas, not priority, decided this household (plan 1.2)."""
    note = o.fairness
    if note is None:
        return []
    share = ""
    fig = plan.fairness
    area = next((a for a in fig.areas if a.area == note.area), None) if fig else None
    if fig is not None and area is not None:
        share = (
            f" {note.area} has {area.served} of its {area.due} due households served "
            f"({area.share:.0%}; the day {fig.overall_share:.0%}"
            + (f", floor {fig.floor:.0%}" if fig.floor is not None else "")
            + ")."
        )
    what = "Served" if note.effect == "served_by_fairness" else "Left out"
    return [f"{what} by fairness, not priority: {note.detail}.{share}"]


def _served(plan: Plan, o: HouseholdOutcome) -> Explanation:
    found = _stop_of(plan, o)
    lines: list[str] = []
    if found is None:
        headline = f"Household {o.household_id} was served by vehicle {o.vehicle_id}."
    else:
        route, stop = found
        deliveries = [s for s in route.stops if s.kind == StopKind.delivery]
        k = next(i for i, s in enumerate(deliveries, start=1) if s.seq == stop.seq)
        headline = (
            f"Household {o.household_id} was served by vehicle {route.vehicle_id} "
            f"({route.vehicle_kind}), trip {o.trip}, delivery stop {k} of {len(deliveries)}: "
            f"arrival {hhmm(stop.arrival_s)}, handover from {hhmm(o.arrival_s or stop.arrival_s)}."
        )
        if stop.wait_s:
            lines.append(
                f"The vehicle waited {stop.wait_s // 60} min for the delivery window to open."
            )
        others = [h for h in stop.household_ids if h != o.household_id]
        if others:
            group = f" (group {o.group_key})" if o.group_key else ""
            lines.append(
                f"Delivered in one stop at '{stop.label}'{group} together with "
                f"{len(others)} other household(s): {', '.join(others)}."
            )
        lines.append(
            f"Stop time {minutes(stop.service_s)}; the stops of a "
            "trip are ordered to keep driving time short within shifts and windows."
        )
    if len(o.visits) > 1:
        lines.append(
            f"Delivered in {len(o.visits)} visits (no single allowed vehicle carries it all): "
            + "; ".join(
                f"{v.vehicle_id} trip {v.trip} at {hhmm(v.arrival_s)}: {_items(v.items)} "
                f"from {v.source_id}"
                for v in o.visits
            )
            + "."
        )
    if o.visits:
        where = _loaded_where(plan, [(v.vehicle_id, v.stop_seq, v.source_id) for v in o.visits])
        lines.append(f"Items: {_items(o.delivered)}, {where}.")
    else:  # a 1.0 plan
        where = _loaded_where(plan, [(o.vehicle_id, o.stop_seq, o.source_id)])
        lines.append(f"Items: {_items(o.items)}, {where}.")
    for m in o.missing:
        lines.append(
            f"Missing: {m.count} × {m.item} — {m.reason.value} ({REASON_TEXT[m.reason]})"
            + (f": {m.detail}" if m.detail else "")
            + "."
        )
    lines += fairness_lines(plan, o)
    lines += _group_lines(plan, o)
    lines += priority_lines(plan, o)
    lines += _context_lines(o)
    return Explanation(o.household_id, True, headline, tuple(lines))


def _unserved(plan: Plan, o: HouseholdOutcome) -> Explanation:
    reason = o.reason
    why = REASON_TEXT[reason] if reason is not None else "no reason recorded"
    headline = (
        f"Household {o.household_id} was NOT served: "
        f"{reason.value if reason is not None else 'unknown'} — {why}."
    )
    lines = []
    if o.reason_detail:
        lines.append(f"Detail: {o.reason_detail}.")
    lines += fairness_lines(plan, o)
    lines += _group_lines(plan, o)
    lines += priority_lines(plan, o)
    served = plan.served()
    unserved = plan.unserved()
    above = sum(1 for x in served if x.priority > o.priority)
    below = len(served) - above
    u_rank = 1 + sum(1 for x in unserved if x.priority > o.priority)
    lines.append(
        f"Of the {len(served)} served households, {above} have a higher priority and "
        f"{below} the same or lower; among the {len(unserved)} unserved it ranks {u_rank} of "
        f"{len(unserved)}."
    )
    if (
        below
        and o.fairness is None
        and reason is not None
        and reason.value in {"stock_shortfall", "fleet_capacity"}
    ):
        lowest = min(x.priority for x in served)
        lines.append(
            f"Households with lower priority (down to {lowest:g}) were served because they "
            "could be supplied or reached where this one could not (another source, vehicle "
            "kind or time window, or on the way of a route)."
        )
    lines += _context_lines(o)
    return Explanation(o.household_id, False, headline, tuple(lines))


def explain(plan: Plan, household_id: str) -> Explanation:
    """Explain one household's outcome; ``KeyError`` if the plan does not list it."""
    o = plan.outcome(household_id)
    return _served(plan, o) if o.status == "served" else _unserved(plan, o)

"""Which officers get new sheets, and what changed for each: the changes report.

For each vehicle, the deliveries the issued sheet still had after its kept stops are
compared with the new route: households added or removed, the same households in
another order, times moved by at least ``Changes.shift_minutes``, loading at other
sources. Households are named by id only (never names or addresses).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .._plan import Plan, Route, StopKind
from .._timefmt import hhmm
from .changes import Changes
from .state import Underway, loaded_trips


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Shift(_Out):
    household_id: str
    was: str
    now: str
    minutes: int


class OfficerChange(_Out):
    vehicle_id: str
    officer: str = ""
    new_sheet: bool
    off_duty: str | None = Field(None, description="Why the vehicle is off (unavailable).")
    kept: list[str] = Field(default_factory=list, description="Stops that stay, still to do.")
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    reordered: bool = False
    shifted: list[Shift] = Field(default_factory=list)
    sources_was: list[str] = Field(default_factory=list)
    sources_now: list[str] = Field(default_factory=list)
    starts: str = Field("", description="Where and when the new sheet begins.")


class ChangesReport(_Out):
    at: str
    issued_plan_id: str
    new_plan_id: str
    officers: list[OfficerChange]
    new_sheets: int = Field(description="Officers whose sheets changed.")
    urgent_served: list[str] = Field(default_factory=list)
    urgent_unserved: dict[str, str] = Field(default_factory=dict)
    cancelled: list[str] = Field(default_factory=list)
    lost: dict[str, int] = Field(default_factory=dict, description="Items on off-duty vehicles.")


def _order(hids: list[str]) -> list[str]:
    return list(dict.fromkeys(hids))


def _delivered(route: Route | None) -> dict[str, int]:
    """Household -> time its handover starts, in route order."""
    out: dict[str, int] = {}
    for s in route.stops if route else []:
        if s.kind == StopKind.delivery:
            for h in s.household_ids:
                out.setdefault(h, s.arrival_s + s.wait_s)
    return out


def changes_report(
    previous: Plan, day: Underway, new: Plan, changes: Changes, officers: dict[str, str]
) -> ChangesReport:
    """Compare the issued sheets after T with the new plan, officer by officer."""
    routes = {r.vehicle_id: r for r in new.routes}
    off = {o.vehicle: o.reason or "unavailable" for o in changes.vehicles_off}
    threshold = round(changes.shift_minutes * 60)
    out: list[OfficerChange] = []
    for vid in sorted(set(day.vehicles) | set(routes) | set(off)):
        st = day.vehicles.get(vid)
        old = {h: s.arrival_s + s.wait_s for s in (st.rest if st else []) for h in s.household_ids}
        route = routes.get(vid)
        now = _delivered(route)
        common_old = [h for h in _order(list(old)) if h in now]
        common_new = [h for h in now if h in old]
        shifted = [
            Shift(
                household_id=h,
                was=hhmm(old[h]),
                now=hhmm(now[h]),
                minutes=round((now[h] - old[h]) / 60),
            )
            for h in common_new
            if abs(now[h] - old[h]) >= threshold
        ]
        was_src = _sources(previous_route(previous, vid), day.at_s)
        now_src = _sources(route, 0)
        change = OfficerChange(
            vehicle_id=vid,
            officer=(route.officer if route else "") or officers.get(vid, ""),
            new_sheet=False,
            off_duty=off.get(vid),
            kept=[
                h
                for s in (st.kept if st else [])
                if s.arrival_s >= day.at_s
                for h in s.household_ids
            ],
            added=[h for h in now if h not in old],
            removed=[h for h in old if h not in now],
            reordered=common_old != common_new,
            shifted=shifted,
            sources_was=was_src,
            sources_now=now_src,
            starts=_start(route),
        )
        changed = bool(
            change.off_duty
            and old
            or change.added
            or change.removed
            or change.reordered
            or change.shifted
            or was_src != now_src
        )
        out.append(change.model_copy(update={"new_sheet": changed}))
    urgent = [h.id for h in changes.urgent_households]
    outcome = {o.household_id: o for o in new.households}
    lost: dict[str, int] = {}
    for st in day.vehicles.values():
        for item, n in st.lost.items():
            lost[item] = lost.get(item, 0) + n
    return ChangesReport(
        at=hhmm(day.at_s),
        issued_plan_id="",
        new_plan_id="",
        officers=out,
        new_sheets=sum(1 for o in out if o.new_sheet),
        urgent_served=[h for h in urgent if h in outcome and outcome[h].status == "served"],
        urgent_unserved={
            h: str(outcome[h].reason) if h in outcome else "not planned"
            for h in urgent
            if not (h in outcome and outcome[h].status == "served")
        },
        cancelled=list(changes.cancelled),
        lost=lost,
    )


def _start(route: Route | None) -> str:
    if route is None:
        return ""
    first = route.stops[0]
    where = first.label or first.place_id
    if not first.place_id.startswith("start:"):  # at its base
        where = f"at {where}"
    return f"{where}, {hhmm(first.departure_s)}"


def previous_route(plan: Plan, vehicle_id: str) -> Route | None:
    return next((r for r in plan.routes if r.vehicle_id == vehicle_id), None)


def _sources(route: Route | None, at_s: int) -> list[str]:
    """Sources of the trips loaded from ``at_s`` on, in order."""
    if route is None:
        return []
    kept = loaded_trips(route, at_s)
    return [
        s.source_id or ""
        for s in route.stops
        if s.kind == StopKind.load and s.arrival_s >= at_s and s.trip not in kept
    ]


def report_text(report: ChangesReport) -> str:
    """The changes report as plain text (printed and written as changes.txt)."""
    lines = [
        f"Re-plan at {report.at}: plan {report.new_plan_id[:12]} replaces "
        f"{report.issued_plan_id[:12]} from {report.at} on.",
        f"{report.new_sheets} officer(s) get a new sheet.",
    ]
    for o in report.officers:
        who = f"{o.vehicle_id}" + (f" ({o.officer})" if o.officer else "")
        if not o.new_sheet:
            lines.append(f"  {who}: no change")
            continue
        lines.append(f"  {who}: NEW SHEET" + (f" (starts {o.starts})" if o.starts else ""))
        if o.off_duty:
            lines.append(f"    off duty: {o.off_duty}")
        if o.kept:
            lines.append(f"    keep (already loaded): {', '.join(o.kept)}")
        for label, ids in (("added", o.added), ("removed", o.removed)):
            if ids:
                lines.append(f"    {label}: {', '.join(ids)}")
        if o.reordered:
            lines.append("    same households in another order")
        for s in o.shifted:
            lines.append(f"    {s.household_id}: {s.was} -> {s.now} ({s.minutes:+d} min)")
        if o.sources_was != o.sources_now:
            lines.append(
                f"    loads: {' '.join(o.sources_was) or '-'} -> {' '.join(o.sources_now) or '-'}"
            )
    if report.urgent_served or report.urgent_unserved:
        lines.append(f"Urgent households served: {len(report.urgent_served)}")
        for h, why in report.urgent_unserved.items():
            lines.append(f"  not served: {h} ({why})")
    if report.cancelled:
        lines.append(f"Cancelled: {', '.join(report.cancelled)}")
    if report.lost:
        lines.append(
            "Lost with off-duty vehicles: " + ", ".join(f"{n} {k}" for k, n in report.lost.items())
        )
    return "\n".join(lines) + "\n"

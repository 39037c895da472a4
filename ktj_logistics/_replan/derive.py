"""The scenario of the rest of the day: what ``plan`` is asked at the re-plan time.

It is the day's scenario with: the households still to serve (less what kept stops hand
over; cancelled ones out; new ones in, urgent ones tagged), each vehicle on duty
starting where and when it is free (``Vehicle.start`` and its shift start) with the trips
it has left, the sources holding what was not loaded before T (less what arrives
short, from the time it arrives), and the sheets already issued (``Scenario.issued``)
so that moving a stop to another officer has a cost.
"""

from __future__ import annotations

from collections import Counter
from datetime import time

from .._errors import InputError, Issue
from .._plan import StopKind
from .._resume import Issued, VehicleStart
from .._scenario import STANDARD_ITEM, Household, Scenario, SupplySource, TimeWindow, Vehicle
from .changes import Changes
from .state import Underway, VehicleState


def clock(seconds: int) -> time:
    s = max(0, min(seconds, 86_399))
    return time(s // 3600, s % 3600 // 60, s % 60)


def _problem(field: str, message: str, fix: str) -> Issue:
    return Issue("changes", field, message, fix)


def check_changes(scenario: Scenario, changes: Changes) -> None:
    """Every id a change names exists (and a new household's does not): or InputError."""
    issues: list[Issue] = []
    vehicles = {v.id for v in scenario.vehicles}
    sources = scenario.source_by_id()
    households = {h.id for h in scenario.households}
    for off in changes.vehicles_off:
        if off.vehicle not in vehicles:
            issues.append(
                _problem("vehicles_off", f"no vehicle {off.vehicle!r}", "use an id of vehicles.csv")
            )
    for sc in changes.sources:
        if sc.source not in sources:
            issues.append(
                _problem("sources", f"no source {sc.source!r}", "use a source id of the scenario")
            )
        for item in sc.short:
            if item not in scenario.settings.items:
                issues.append(
                    _problem("sources.short", f"no item {item!r}", "use an item of settings.items")
                )
    for hid in changes.cancelled:
        if hid not in households:
            issues.append(
                _problem("cancelled", f"no household {hid!r}", "use a household id of the day")
            )
    seen = set(households)
    for h in [*changes.urgent_households, *changes.new_households]:
        if h.id in seen:
            issues.append(
                _problem("new households", f"household {h.id!r} exists already", "give it a new id")
            )
        seen.add(h.id)
    if issues:
        raise InputError(issues)


def _remaining(h: Household, handed: Counter[str]) -> Household | None:
    """``h`` needing what kept stops do not hand over; None when that is nothing."""
    left = Counter(h.demand())
    left.subtract(handed)
    left = +left
    if not left:
        return None
    if left == Counter(h.demand()):
        return h
    items = {k: n for k, n in left.items() if k != STANDARD_ITEM}
    return h.model_copy(update={"packages_needed": left[STANDARD_ITEM], "items": items})


def _vehicle(v: Vehicle, st: VehicleState | None, at_s: int) -> Vehicle | None:
    """``v`` from when and where it is free; None when it has no time or trips left."""
    shift_start, shift_end = v.shift.as_seconds()
    free_s = max(shift_start, st.free_s if st else at_s)
    max_trips = v.max_trips
    if st is not None and max_trips is not None:
        max_trips -= st.trips_used
        if max_trips <= 0:
            return None
    if free_s >= shift_end:
        return None
    max_km = v.max_km
    if st is not None and max_km is not None:
        max_km -= st.ridden_m / 1000  # the officer's daily limit, less what they rode
        if max_km <= 0:
            return None
    start = None
    if st is not None and st.free_at is not None:
        s = st.free_at
        word = "at" if s.kind == StopKind.load else "after"
        start = VehicleStart(lat=s.lat, lon=s.lon, label=f"{word} {s.place_id}")
    shift = TimeWindow(start=clock(free_s), end=clock(shift_end))
    update = {"shift": shift, "start": start, "max_trips": max_trips, "max_km": max_km}
    return v.model_copy(update=update)


def _source(s: SupplySource, gone: Counter[str], changes: Changes) -> SupplySource:
    stock = Counter(s.stock)
    stock.subtract(gone)
    update: dict[str, object] = {}
    for sc in changes.sources:
        if sc.source == s.id:
            stock.subtract(sc.short)
            if sc.available_from is not None:
                update["available_from"] = sc.available_from
    update["stock"] = {k: max(0, stock[k]) for k in s.stock}
    return s.model_copy(update=update)


def rest_of_day(scenario: Scenario, day: Underway, changes: Changes) -> Scenario:
    """The scenario ``plan`` is asked for the rest of the day (see the module docstring)."""
    check_changes(scenario, changes)
    kept = day.kept_households()
    cancelled = set(changes.cancelled)
    households = []
    for h in scenario.households:
        if h.id in cancelled:
            continue
        left = _remaining(h, kept.get(h.id, Counter()))
        if left is not None:
            households.append(left)
    households += [
        h.model_copy(update={"tags": {**h.tags, "urgent": "yes"}})
        for h in changes.urgent_households
    ]
    households += list(changes.new_households)
    off = {o.vehicle for o in changes.vehicles_off}
    vehicles = [
        nv
        for v in scenario.vehicles
        if v.id not in off and (nv := _vehicle(v, day.vehicles.get(v.id), day.at_s)) is not None
    ]
    if not vehicles:
        raise InputError(
            [
                _problem(
                    "vehicles_off", "no vehicle is left for the rest of the day", "keep one on duty"
                )
            ]
        )
    issued = {
        hid: st.vehicle_id
        for st in day.vehicles.values()
        if not st.off
        for s in st.rest
        for hid in s.household_ids
    }
    update = {
        "households": households,
        "vehicles": vehicles,
        "sources": [_source(s, day.left_from(s.id), changes) for s in scenario.sources],
        "expect": None,
        "issued": Issued(vehicle_of=issued, move_cost_s=round(changes.move_cost_minutes * 60)),
        "name": f"{scenario.name} (re-planned)",
    }
    return scenario.model_copy(update=update)

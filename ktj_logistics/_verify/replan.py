"""A re-plan moved nothing done or loaded: checked from the issued plan and T alone.

Independent of ``_replan``: what stays is worked out here again from the issued plan —
a delivery reached before T is done; a trip whose loading began before T stays whole
with a vehicle still on duty — and the new plan (the rest of the day) must then:

* not deliver again to a household whose every visit in the issued plan stays
  (``moved_done``): it was done, or is on board of the vehicle that keeps it;
* not use a vehicle taken off duty (``off_duty_used``);
* start each route where its vehicle is after what it keeps — the last kept stop, or its
  base — and not before T nor before it leaves that stop (``start_moved``);
* with the day's scenario given, hand out at each source no more than it held less what
  was loaded before T (``stock_after_replan``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from .._plan import Plan, Route, Stop, StopKind
from .._scenario import Scenario
from .violation import Violation

PLACE_EPS_DEG = 1e-6


def _kept(route: Route, at_s: int, off: bool) -> tuple[list[Stop], Counter[tuple[str, str]]]:
    """(deliveries that stay, items loaded before T by (source, item))."""
    trips: set[int] = set()
    loaded: Counter[tuple[str, str]] = Counter()
    for s in route.stops:
        if s.kind in (StopKind.start, StopKind.load) and s.items and s.arrival_s < at_s:
            trips.add(s.trip)
    for s in route.stops:
        if s.kind in (StopKind.start, StopKind.load) and s.items and s.trip in trips:
            loaded.update({(s.source_id or "", k): n for k, n in s.items.items()})
    kept = [
        s
        for s in route.stops
        if s.kind == StopKind.delivery and (s.arrival_s < at_s or (s.trip in trips and not off))
    ]
    return kept, loaded


def _where(route: Route, kept: list[Stop], at_s: int) -> tuple[float, float, int]:
    """Where the vehicle is free, and from when: after a kept stop still to finish at
    T; else at the source or base it is driving to at T, when it arrives; else at its
    base from T (still there, or home)."""
    stops = route.stops
    if kept and kept[-1].departure_s >= at_s:
        return kept[-1].lat, kept[-1].lon, kept[-1].departure_s
    last_reached = max((i for i, s in enumerate(stops) if s.arrival_s < at_s), default=-1)
    on_road = 0 <= last_reached < len(stops) - 1 and stops[last_reached].departure_s < at_s
    ahead = stops[last_reached + 1] if on_road else None
    if ahead is not None and ahead.kind in (StopKind.load, StopKind.end):
        return ahead.lat, ahead.lon, max(at_s, ahead.arrival_s)
    return stops[0].lat, stops[0].lon, at_s


def check_replan(
    previous: Plan,
    at_s: int,
    new: Plan,
    off: Collection[str] = (),
    scenario: Scenario | None = None,
) -> list[Violation]:
    """Every way ``new`` (the rest of the day from ``at_s``) moves what had to stay."""
    out: list[Violation] = []
    visits: Counter[str] = Counter()
    stays: Counter[str] = Counter()
    where: dict[str, tuple[float, float, int]] = {}  # vehicle -> lat, lon, earliest start
    loaded: Counter[tuple[str, str]] = Counter()
    for r in previous.routes:
        kept, got = _kept(r, at_s, r.vehicle_id in off)
        loaded += got
        for s in r.stops:
            if s.kind == StopKind.delivery:
                visits.update(s.household_ids)
        for s in kept:
            stays.update(s.household_ids)
        where[r.vehicle_id] = _where(r, kept, at_s)
    fixed = {h for h, n in stays.items() if n == visits[h]}
    for r in new.routes:
        if r.vehicle_id in off:
            out.append(Violation("off_duty_used", f"{r.vehicle_id} is off duty from T"))
        first = r.stops[0]
        lat, lon, free = where.get(r.vehicle_id, (first.lat, first.lon, at_s))
        if r.vehicle_id not in where and scenario is not None:
            base = {v.id: v.base for v in scenario.vehicles}.get(r.vehicle_id)
            loc = scenario.base_by_id()[base].location if base else None
            lat, lon = (loc.lat, loc.lon) if loc else (lat, lon)
        if abs(first.lat - lat) > PLACE_EPS_DEG or abs(first.lon - lon) > PLACE_EPS_DEG:
            out.append(Violation("start_moved", f"{r.vehicle_id}: starts away from where it is"))
        if first.departure_s < free:
            out.append(
                Violation("start_moved", f"{r.vehicle_id}: leaves before it is free ({free} s)")
            )
        for s in r.stops:
            for h in s.household_ids if s.kind == StopKind.delivery else []:
                if h in fixed:
                    out.append(
                        Violation("moved_done", f"{h}: done or loaded before T, planned again")
                    )
    if scenario is not None:
        out += _stock(scenario, loaded, new)
    return out


def _stock(scenario: Scenario, before: Counter[tuple[str, str]], new: Plan) -> list[Violation]:
    after: Counter[tuple[str, str]] = Counter()
    for r in new.routes:
        for s in r.stops:
            if s.kind in (StopKind.start, StopKind.load):
                after.update({(s.source_id or "", k): n for k, n in s.items.items()})
    out = []
    for src in scenario.sources:
        for item, held in src.stock.items():
            used = before[(src.id, item)] + after[(src.id, item)]
            if used > held:
                out.append(
                    Violation("stock_after_replan", f"{src.id}: {used} {item} loaded, {held} held")
                )
    return out

"""One route cut into trips as an officer drives them.

A trip is the stops of one trip number: every load (a trip may load at several sources,
each listed with what is loaded there; at a hub, whose stock it is), then the deliveries
(a trunk vehicle's trip: its unloads at hubs). What is still on board from
the previous trip is said at the start of the trip, and each stop shows the household's
window and the expected handover time, with the wait and its reason when it is long.
Navigation covers every leg once: trip *k* from where trip *k − 1* ended, the last trip
back to base, in links of at most three waypoints (see ``navlinks.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from .._i18n import Translator
from .._plan import HouseholdOutcome, Plan, Route, Stop, StopKind
from .._scenario import Scenario
from .._timefmt import hhmm
from .legs import ACCESS_SHOWN_M, RouteLegs
from .lines import HouseholdLine, LoadLine, NavLink, StopLine, TripSheet, household_line
from .navlinks import navigation_links
from .options import ReportOptions
from .words import LONG_WAIT_S, items_text, minutes


def _window_text(hids: list[str], outcomes: Mapping[str, HouseholdOutcome]) -> str:
    seen: list[str] = []
    for hid in hids:
        o = outcomes.get(hid)
        for w in o.time_windows if o is not None else []:
            if w not in seen:
                seen.append(w)
    return ", ".join(seen)


def _delivery_wait(s: Stop, window: str, tr: Translator) -> str:
    if s.wait_s <= LONG_WAIT_S:
        return ""
    begin = hhmm(s.arrival_s + s.wait_s)
    opens = any(w.split("-")[0] == begin for w in window.split(", ") if w)
    key = "sheet.wait_window" if opens else "sheet.wait_schedule"
    return tr(key, min=minutes(s.wait_s), window=window, time=begin)


def _load_line(s: Stop, scenario: Scenario, tr: Translator) -> LoadLine:
    src = scenario.source_by_id().get(s.source_id or "")
    name = src.name if src and src.name else s.source_id or ""
    if s.kind == StopKind.load and s.place_id != s.source_id:  # a hub stocked by a trunk run
        name = tr("sheet.hub_stock", hub=s.label or s.place_id, source=name)
    begin = s.departure_s if s.kind == StopKind.start else s.arrival_s + s.wait_s
    note = ""
    if s.kind == StopKind.load and s.wait_s > LONG_WAIT_S:
        note = tr("sheet.wait_stock", min=minutes(s.wait_s), time=hhmm(begin))
    return LoadLine(
        source_id=s.source_id or "",
        source_name=name,
        time=hhmm(begin),
        items=items_text(s.items, scenario, tr),
        at_start=s.kind == StopKind.start,
        lat=s.lat,
        lon=s.lon,
        wait_note=note,
    )


class _Builder:
    def __init__(
        self, route: Route, plan: Plan, scenario: Scenario, options: ReportOptions, legs: RouteLegs
    ):
        self.route, self.scenario, self.redact, self.legs = route, scenario, options.redact, legs
        self.tr = Translator(options.lang)
        self.households = {h.id: h for h in scenario.households}
        self.outcomes = {o.household_id: o for o in plan.households}
        self.number = 0

    def household(self, hid: str, s: Stop) -> HouseholdLine:
        """What ``hid`` gets at ``s`` (a split visit hands over part of its items)."""
        o = self.outcomes.get(hid)
        items = s.handovers.get(hid) or (o.items if o is not None else {})
        line = household_line(self.households[hid], items, self.scenario, self.tr, self.redact)
        if s.visits > 1:
            visit = self.tr("sheet.visit", k=s.visit, n=s.visits).strip(" ()")
            line = replace(line, visit=visit)
        return line

    def route_text(self, seq: int) -> str:
        """``lewat Jl. Fatmawati · 250 m dari jalan``: how a stop is reached (roads only)."""
        leg = self.legs.arriving.get(seq)
        if leg is None:
            return ""
        parts = [self.tr("sheet.via", roads=", ".join(leg.roads))] if leg.roads else []
        if leg.access_to_m >= ACCESS_SHOWN_M:
            parts.append(self.tr("sheet.off_road", m=leg.access_to_m))
        return " · ".join(parts)

    def delivery(self, s: Stop) -> StopLine:
        self.number += 1
        window = _window_text(s.household_ids, self.outcomes)
        return StopLine(
            number=self.number,
            trip=s.trip,
            place_id=s.place_id,
            group_label=s.label if len(s.household_ids) > 1 else "",
            lat=s.lat,
            lon=s.lon,
            arrival=hhmm(s.arrival_s),
            handover=hhmm(s.arrival_s + s.wait_s),
            window=window,
            wait_note=_delivery_wait(s, window, self.tr),
            packages=sum(s.items.values()),
            items=items_text(s.items, self.scenario, self.tr),
            households=tuple(self.household(i, s) for i in s.household_ids if i in self.households),
            route=self.route_text(s.seq),
        )

    def unload(self, s: Stop) -> StopLine:
        """A trunk vehicle's stop at a hub, as one line: where, and what it leaves."""
        self.number += 1
        items = items_text(s.items, self.scenario, self.tr)
        return StopLine(
            number=self.number,
            trip=s.trip,
            place_id=s.place_id,
            group_label=self.tr("sheet.unload_at", hub=s.label or s.place_id, items=items),
            lat=s.lat,
            lon=s.lon,
            arrival=hhmm(s.arrival_s),
            handover=hhmm(s.arrival_s + s.wait_s),
            window="",
            wait_note="",
            packages=sum(s.items.values()),
            items=items,
            households=(),
            route=self.route_text(s.seq),
            unload=True,
        )

    def trips(self) -> tuple[TripSheet, ...]:
        stops = self.route.stops
        working = (StopKind.delivery, StopKind.unload)
        numbers = sorted({s.trip for s in stops if s.kind in working})
        on_board: Counter[str] = Counter()
        out: list[TripSheet] = []
        for k in numbers:
            members = [i for i, s in enumerate(stops) if s.trip == k and s.kind != StopKind.end]
            carried = +on_board
            loads, lines = [], []
            for i in members:
                s = stops[i]
                if s.kind in (StopKind.start, StopKind.load) and s.items:
                    loads.append(_load_line(s, self.scenario, self.tr))
                    on_board.update(s.items)
                elif s.kind in working:
                    lines.append(
                        self.delivery(s) if s.kind == StopKind.delivery else self.unload(s)
                    )
                    on_board.subtract(s.items)
            last = k == numbers[-1]
            legs = [stops[i] for i in members if stops[i].kind != StopKind.start]
            legs += [stops[-1]] if last else []
            origin = stops[members[0] - 1] if stops[members[0]].kind != StopKind.start else None
            out.append(self.trip(k, loads, carried, lines, origin or stops[0], legs, last))
        return tuple(out)

    def trip(
        self,
        k: int,
        loads: list[LoadLine],
        carried: Counter[str],
        lines: list[StopLine],
        origin: Stop,
        legs: list[Stop],
        last: bool,
    ) -> TripSheet:
        points: list[tuple[float, float]] = []
        for s in legs:  # a load at the base itself adds no place to drive to
            here = (s.lat, s.lon)
            if here != (points[-1] if points else (origin.lat, origin.lon)):
                points.append(here)
        urls = navigation_links((origin.lat, origin.lon), points, self.route.vehicle_kind)
        end = self.route.stops[-1]
        return TripSheet(
            number=k,
            loads=tuple(loads),
            on_board=items_text(carried, self.scenario, self.tr),
            stops=tuple(lines),
            nav=tuple(NavLink(u, n, len(urls)) for n, u in enumerate(urls, 1)),
            end_base=end.label if last else "",
            end_time=hhmm(end.arrival_s) if last else "",
        )


def trips_of(
    route: Route, plan: Plan, scenario: Scenario, options: ReportOptions, legs: RouteLegs
) -> tuple[TripSheet, ...]:
    """The trips of ``route`` with deliveries (or unloads at hubs), in driving order."""
    return _Builder(route, plan, scenario, options, legs).trips()

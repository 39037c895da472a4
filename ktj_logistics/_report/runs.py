"""What each officer's run looks like on paper: the view shared by sheets, WhatsApp and map.

Redaction and language are applied here, once, so every artefact built from these views
shows the same pseudonyms and the same words. With ``redact`` on, a household shows as its
pseudonym, with no phone, no street address and no free-text notes (notes often name a
person or describe the house); the kelurahan and RT/RW stay, since officers need them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._i18n import Translator
from .._plan import Plan, Route, Stop, StopKind
from .._scenario import STANDARD_ITEM, Household, Scenario
from .._timefmt import hhmm
from .navlinks import Point, navigation_links
from .options import ReportOptions
from .privacy import display_name, display_phone

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#843c39",
)
"""Vehicle colours: distinct on a map and in greyscale print order."""


@dataclass(frozen=True)
class HouseholdLine:
    household_id: str
    label: str
    address: str
    rt_rw: str
    kelurahan: str
    phone: str
    notes: str
    items: str


@dataclass(frozen=True)
class StopLine:
    number: int
    trip: int
    place_id: str
    group_label: str
    lat: float
    lon: float
    arrival: str
    packages: int
    items: str
    households: tuple[HouseholdLine, ...]
    unload: bool = False  # a trunk vehicle leaving stock at a hub (group_label says so)


@dataclass(frozen=True)
class LoadLine:
    source_id: str
    source_name: str
    time: str
    items: str
    at_start: bool
    lat: float
    lon: float


@dataclass(frozen=True)
class TripSheet:
    number: int
    load: LoadLine | None
    stops: tuple[StopLine, ...]
    nav_links: tuple[str, ...]
    end_base: str
    end_time: str


@dataclass(frozen=True)
class RunSheet:
    vehicle_id: str
    vehicle_kind: str
    kind_label: str
    officer: str
    base_name: str
    date: str
    colour: str
    slug: str
    packages: int
    stops: int
    km: str
    start: str
    end: str
    trips: tuple[TripSheet, ...]
    path: tuple[Point, ...]


@dataclass(frozen=True)
class UnservedLine:
    household_id: str
    label: str
    kelurahan: str
    rt_rw: str
    lat: float
    lon: float
    reason: str
    reason_text: str
    detail: str


def items_text(items: dict[str, int], scenario: Scenario, tr: Translator) -> str:
    """``2× paket sembako, 1× infant_pack``: item kinds in a stable order."""
    parts = []
    for kind in sorted(items, key=lambda k: (k != STANDARD_ITEM, k)):
        n = items[kind]
        if not n:
            continue
        name = tr("item.standard") if kind == STANDARD_ITEM else kind
        parts.append(f"{n}× {name}")
    return ", ".join(parts)


def rt_rw(h: Household) -> str:
    return "/".join(p for p in (h.rt, h.rw) if p)


def household_line(
    h: Household, items: dict[str, int], scenario: Scenario, tr: Translator, redact: bool
) -> HouseholdLine:
    return HouseholdLine(
        household_id=h.id,
        label=display_name(h, redact),
        address="" if redact else h.address,
        rt_rw=rt_rw(h),
        kelurahan=h.kelurahan,
        phone=display_phone(h, redact),
        notes="" if redact else h.notes,
        items=items_text(items, scenario, tr),
    )


def slugs(ids: list[str]) -> list[str]:
    """File-safe, unique names for vehicle ids (ids may hold ``/`` or spaces)."""
    seen: set[str] = set()
    out = []
    for vid in ids:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", vid).strip("._") or "vehicle"
        name, n = base, 2
        while name.lower() in seen:
            name, n = f"{base}-{n}", n + 1
        seen.add(name.lower())
        out.append(name)
    return out


def _segments(stops: list[Stop]) -> list[list[Stop]]:
    """Split a route where it loads: each segment is origin, deliveries, next load or end."""
    segments: list[list[Stop]] = []
    current = [stops[0]]
    for s in stops[1:]:
        current.append(s)
        if s.kind in (StopKind.load, StopKind.end) and any(
            x.kind in (StopKind.delivery, StopKind.unload) for x in current
        ):
            segments.append(current)
            current = [s]
    return segments


def _run_sheet(
    route: Route,
    plan: Plan,
    scenario: Scenario,
    options: ReportOptions,
    colour: str,
    slug: str,
) -> RunSheet:
    tr = Translator(options.lang)
    households = {h.id: h for h in scenario.households}
    sources = scenario.source_by_id()
    base = scenario.base_by_id().get(route.base_id)
    outcome_items = {o.household_id: o.items for o in plan.households}

    stop_lines: dict[int, StopLine] = {}
    number = 0
    for s in route.stops:
        if s.kind == StopKind.unload:
            number += 1
            stop_lines[s.seq] = _unload_line(s, number, scenario, tr)
            continue
        if s.kind != StopKind.delivery:
            continue
        number += 1
        hs = tuple(
            household_line(households[i], outcome_items.get(i, {}), scenario, tr, options.redact)
            for i in s.household_ids
            if i in households
        )
        group = len(s.household_ids) > 1
        stop_lines[s.seq] = StopLine(
            number=number,
            trip=s.trip,
            place_id=s.place_id,
            group_label=s.label if group else "",
            lat=s.lat,
            lon=s.lon,
            arrival=hhmm(s.arrival_s),
            packages=sum(s.items.values()),
            items=items_text(s.items, scenario, tr),
            households=hs,
        )

    trips: list[TripSheet] = []
    for seg in _segments(route.stops):
        deliveries = [stop_lines[s.seq] for s in seg if s.seq in stop_lines]
        loader = next(
            (s for s in seg if s.source_id is not None and s.kind != StopKind.unload), None
        )
        load = None
        if loader is not None:
            src = sources.get(loader.source_id or "")
            name = src.name if src and src.name else loader.source_id or ""
            if loader.kind == StopKind.load and loader.place_id != loader.source_id:
                name = tr("sheet.hub_stock", hub=loader.label or loader.place_id, source=name)
            load = LoadLine(
                source_id=loader.source_id or "",
                source_name=name,
                time=hhmm(
                    loader.departure_s
                    if loader.kind == StopKind.start
                    else loader.arrival_s + loader.wait_s
                ),
                items=items_text(loader.items, scenario, tr),
                at_start=loader.kind == StopKind.start,
                lat=loader.lat,
                lon=loader.lon,
            )
        origin = (seg[0].lat, seg[0].lon)
        points = [(s.lat, s.lon) for s in seg[1:]]
        last = seg[-1]
        trips.append(
            TripSheet(
                number=deliveries[0].trip if deliveries else len(trips) + 1,
                load=load,
                stops=tuple(deliveries),
                nav_links=tuple(navigation_links(origin, points, route.vehicle_kind)),
                end_base=last.label if last.kind == StopKind.end else "",
                end_time=hhmm(last.arrival_s) if last.kind == StopKind.end else "",
            )
        )
    return RunSheet(
        vehicle_id=route.vehicle_id,
        vehicle_kind=route.vehicle_kind,
        kind_label=tr(f"kind.{route.vehicle_kind}")
        if tr.has(f"kind.{route.vehicle_kind}")
        else route.vehicle_kind,
        officer=route.officer,
        base_name=(base.name or base.id) if base else route.base_id,
        date=plan.planning_date.isoformat(),
        colour=colour,
        slug=slug,
        packages=route.packages_delivered,
        stops=len(stop_lines),
        km=f"{route.distance_m / 1000:.1f}",
        start=hhmm(route.stops[0].departure_s),
        end=hhmm(route.stops[-1].arrival_s),
        trips=tuple(trips),
        path=tuple((s.lat, s.lon) for s in route.stops),
    )


def _unload_line(s: Stop, number: int, scenario: Scenario, tr: Translator) -> StopLine:
    """A trunk vehicle's stop at a hub, shown as one line: where, and what it leaves."""
    items = items_text(s.items, scenario, tr)
    return StopLine(
        number=number,
        trip=s.trip,
        place_id=s.place_id,
        group_label=tr("sheet.unload_at", hub=s.label or s.place_id, items=items),
        lat=s.lat,
        lon=s.lon,
        arrival=hhmm(s.arrival_s),
        packages=sum(s.items.values()),
        items=items,
        households=(),
        unload=True,
    )


def run_sheets(plan: Plan, scenario: Scenario, options: ReportOptions) -> list[RunSheet]:
    """One sheet per vehicle that drives today (trunk runs too), in the plan's order."""
    working = (StopKind.delivery, StopKind.unload)
    routes = [r for r in plan.routes if any(s.kind in working for s in r.stops)]
    names = slugs([r.vehicle_id for r in routes])
    return [
        _run_sheet(r, plan, scenario, options, PALETTE[i % len(PALETTE)], names[i])
        for i, r in enumerate(routes)
    ]


def unserved_lines(plan: Plan, scenario: Scenario, options: ReportOptions) -> list[UnservedLine]:
    """Households left out today, with the reason in the reader's language."""
    tr = Translator(options.lang)
    households = {h.id: h for h in scenario.households}
    out = []
    for o in plan.unserved():
        h = households.get(o.household_id)
        if h is None:
            continue
        reason = o.reason.value if o.reason else ""
        key = f"reason.{reason}"
        out.append(
            UnservedLine(
                household_id=h.id,
                label=display_name(h, options.redact),
                kelurahan=h.kelurahan,
                rt_rw=rt_rw(h),
                lat=h.location.lat,
                lon=h.location.lon,
                reason=reason,
                reason_text=tr(key) if tr.has(key) else reason,
                detail=o.reason_detail if options.lang == "en" else "",
            )
        )
    return out

"""What each officer's run looks like on paper: the view shared by sheets, WhatsApp and map.

Redaction and language are applied here, once, so every artefact built from these views
shows the same pseudonyms and the same words. With ``redact`` on, a household shows as its
pseudonym, with no phone, no street address, no RT/RW and no free-text notes (notes often
name a person or describe the house), and its point is the coarse one (``privacy.py``).
The trips themselves (loads, what is on board, waits, links) are built in ``trips.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._i18n import Translator
from .._plan import Plan, Route, StopKind
from .._scenario import Scenario
from .._timefmt import hhmm
from .colours import vehicle_styles
from .legs import RouteLegs, route_legs
from .lines import HouseholdLine, LoadLine, NavLink, StopLine, TripSheet, household_line, rt_rw
from .navlinks import Point
from .options import ReportOptions
from .privacy import coarse, display_name
from .trips import trips_of

__all__ = [
    "HouseholdLine",
    "LoadLine",
    "NavLink",
    "RunSheet",
    "StopLine",
    "TripSheet",
    "UnservedLine",
    "household_line",
    "run_sheets",
    "slugs",
    "unserved_lines",
]


@dataclass(frozen=True)
class RunSheet:
    vehicle_id: str
    vehicle_kind: str
    kind_label: str
    officer: str
    base_id: str
    base_name: str
    date: str
    colour: str
    dash: str
    slug: str
    packages: int
    stops: int
    km: str
    start: str
    end: str
    trips: tuple[TripSheet, ...]
    path: tuple[Point, ...]
    legs: tuple[tuple[bool, tuple[Point, ...]], ...]
    """The path cut where loading runs begin and end: (loading?, points)."""
    plan_id: str


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


def _legs(route: Route, legs: RouteLegs) -> tuple[tuple[bool, tuple[Point, ...]], ...]:
    """Cut the path into loading runs (to a load, or back to base) and delivery runs,
    each along the roads when the travel model knows them."""
    out: list[tuple[bool, tuple[Point, ...]]] = []
    stops = route.stops
    for prev, s in zip(stops, stops[1:], strict=False):
        loading = s.kind in (StopKind.load, StopKind.end)
        leg = legs.arriving.get(s.seq)
        points = tuple(leg.path) if leg is not None else ((prev.lat, prev.lon), (s.lat, s.lon))
        if out and out[-1][0] == loading:
            out[-1] = (loading, (*out[-1][1], *points[1:]))
        else:
            out.append((loading, points))
    return tuple(out)


def _run_sheet(
    route: Route, plan: Plan, scenario: Scenario, options: ReportOptions, style: tuple[str, str]
) -> RunSheet:
    tr = Translator(options.lang)
    base = scenario.base_by_id().get(route.base_id)
    legs = route_legs(route, scenario, options.travel)
    trips = trips_of(route, plan, scenario, options, legs)
    kind_key = f"kind.{route.vehicle_kind}"
    return RunSheet(
        vehicle_id=route.vehicle_id,
        vehicle_kind=route.vehicle_kind,
        kind_label=tr(kind_key) if tr.has(kind_key) else route.vehicle_kind,
        officer=route.officer,
        base_id=route.base_id,
        base_name=(base.name or base.id) if base else route.base_id,
        date=plan.planning_date.isoformat(),
        colour=style[0],
        dash=style[1],
        slug="",
        packages=route.packages_delivered,
        stops=sum(len(t.stops) for t in trips),
        km=f"{route.distance_m / 1000:.1f}",
        start=hhmm(route.stops[0].departure_s),
        end=hhmm(route.stops[-1].arrival_s),
        trips=trips,
        path=legs.path,
        legs=_legs(route, legs),
        plan_id=options.plan_id[:12],
    )


def run_sheets(plan: Plan, scenario: Scenario, options: ReportOptions) -> list[RunSheet]:
    """One sheet per vehicle that drives today (trunk runs too), in the plan's order; legs
    follow the roads when ``options.travel`` is a road model."""
    from dataclasses import replace

    working = (StopKind.delivery, StopKind.unload)
    routes = [r for r in plan.routes if any(s.kind in working for s in r.stops)]
    names = slugs([r.vehicle_id for r in routes])
    styles = vehicle_styles([r.base_id for r in routes])
    return [
        replace(_run_sheet(r, plan, scenario, options, style), slug=name)
        for r, name, style in zip(routes, names, styles, strict=True)
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
        lat, lon = h.location.lat, h.location.lon
        if options.redact:
            lat, lon = coarse(lat), coarse(lon)
        out.append(
            UnservedLine(
                household_id=h.id,
                label=display_name(h, options.redact),
                kelurahan=h.kelurahan,
                rt_rw=rt_rw(h, options.redact),
                lat=lat,
                lon=lon,
                reason=reason,
                reason_text=tr(key) if tr.has(key) else reason,
                detail=o.reason_detail if options.lang == "en" else "",
            )
        )
    return out

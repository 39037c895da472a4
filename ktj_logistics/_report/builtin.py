"""The built-in output formats: ``plan.json``, ``routes.csv`` and ``summary.txt``."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from .._i18n import Translator
from .._plan import Plan, Route, Stop
from .._plugins.hookspecs import Exporter
from .._scenario import Scenario
from .._timefmt import hhmm
from .fairness import fairness_areas, fairness_line
from .privacy import display_address, display_name, display_phone, spreadsheet_safe
from .words import hint_text


def write_json(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    path = out_dir / "plan.json"
    data = plan.model_copy(update={"redacted": bool(getattr(options, "redact", False))})
    path.write_text(data.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return [path]


ROUTE_COLUMNS = [
    "vehicle_id",
    "vehicle_kind",
    "officer",
    "trip",
    "seq",
    "kind",
    "place_id",
    "household_ids",
    "name",
    "phone",
    "address",
    "items",
    "arrival",
    "departure",
    "lat",
    "lon",
    "distance_from_previous_m",
    "load_after_packages",
]


def write_csv(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    """One row per stop; opens cleanly in Excel (UTF-8 BOM) and cannot run formulas."""
    redact = bool(getattr(options, "redact", False))
    households = {h.id: h for h in scenario.households}
    path = out_dir / "routes.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(ROUTE_COLUMNS)
        for r in plan.routes:
            for s in r.stops:
                hs = [households[i] for i in s.household_ids if i in households]
                row = [
                    r.vehicle_id,
                    r.vehicle_kind,
                    r.officer,
                    s.trip,
                    s.seq,
                    s.kind.value,
                    s.place_id,
                    " ".join(s.household_ids),
                    "; ".join(display_name(h, redact) for h in hs) or s.label,
                    "; ".join(p for h in hs if (p := display_phone(h, redact))),
                    "; ".join(display_address(h, redact) for h in hs),
                    " ".join(f"{k}:{n}" for k, n in sorted(s.items.items())),
                    hhmm(s.arrival_s),
                    hhmm(s.departure_s),
                    f"{s.lat:.6f}",
                    f"{s.lon:.6f}",
                    s.distance_from_previous_m,
                    s.load_after_packages,
                ]
                w.writerow([spreadsheet_safe(str(c)) for c in row])
    return [path]


def summary_text(plan: Plan, lang: str = "id", scenario: Scenario | None = None) -> str:
    """Plain-text summary: per vehicle, totals, unserved by reason, in ``lang``."""
    tr = Translator(lang)
    t = plan.totals
    # Columns as wide as the longest name: "c-kebayoran-baru-1" ran into "car" at 14.
    vw = max([len(tr("col.vehicle")), *(len(r.vehicle_id) for r in plan.routes)]) + 2
    sw = max([18, *(len(s.source_id) for s in plan.sources)]) + 2
    lines = [
        tr("sum.title", scenario=plan.scenario, date=plan.planning_date),
        tr("sum.households", total=t.households, served=t.served, unserved=t.unserved),
        tr("sum.packages", packages=t.packages_delivered, vehicles=t.vehicles_used),
        tr("sum.distance", km=f"{t.distance_m / 1000:.1f}", hours=f"{t.duration_s / 3600:.1f}"),
        "",
        f"{tr('col.vehicle'):<{vw}}{tr('col.kind'):<11}{tr('col.trips'):>6}{tr('col.stops'):>7}"
        f"{tr('col.packages'):>10}{tr('col.km'):>8}{tr('col.hours'):>7}  "
        f"{tr('col.out_back')}",
    ]
    for r in plan.routes:
        deliveries = sum(1 for s in r.stops if s.kind.value == "delivery")
        lines.append(
            f"{r.vehicle_id:<{vw}}{r.vehicle_kind:<11}{r.trips:>6}{deliveries:>7}"
            f"{r.packages_delivered:>10}{r.distance_m / 1000:>8.1f}{r.duration_s / 3600:>7.1f}"
            f"  {hhmm(r.stops[0].departure_s)}-{hhmm(r.stops[-1].arrival_s)}"
        )
    if t.unserved_by_reason:
        lines += ["", tr("sum.unserved_by_reason")]
        for reason, n in t.unserved_by_reason.items():
            lines.append(f"  {reason:<26}{n:>5}  {tr('reason.' + reason)}")
    if (fair := fairness_line(plan, tr)) is not None:
        lines += ["", fair, *(f"  {a}" for a in fairness_areas(plan, tr))]
    lines += ["", tr("sum.stock")]
    for s in plan.sources:
        lines.append(f"  {s.source_id:<{sw}} " + tr("sum.stock_line", used=s.used, left=s.left))
    if plan.hubs:
        hw = max(len(h.hub_id) for h in plan.hubs) + 2
        lines += ["", tr("sum.hubs")]
        for h in plan.hubs:
            first = hhmm(h.first_arrival_s) if h.first_arrival_s is not None else "-"
            line = tr(
                "sum.hub_line", received=h.received, first=first, loaded=h.loaded, left=h.left
            )
            lines.append(f"  {h.hub_id:<{hw}} {line}")
    if plan.shortfall:
        lines += ["", tr("sum.shortfall")]
        lines += [f"  {item:<20}{n:>6}" for item, n in plan.shortfall.items()]
    if plan.hints:
        lines += ["", tr("sum.hints")]
        lines += [f"  - {hint_text(h, plan, scenario, tr)}" for h in plan.hints]
    lines += ["", tr("sum.trips")]
    lines += [f"  {r.vehicle_id}: {trip_line(r)}" for r in plan.routes]
    return "\n".join(lines) + "\n"


def _load_text(s: Stop, route: Route) -> str:
    """``S (2 standard)``: the source loaded at (the hub when stock was staged there)."""
    at = (s.source_id or "") if s.place_id in (s.source_id, route.base_id) else s.place_id
    return f"{at} ({', '.join(f'{n} {i}' for i, n in sorted(s.items.items()))})"


def trip_line(route: Route) -> str:
    """One vehicle's day in words, trip by trip, every load and what was still on board:
    ``1: load S (2 standard) + T (1 infant_pack) -> H1 H2 | 2: on board 1 standard,
    load S (1 standard) -> H3``."""
    parts: list[str] = []
    on_board: Counter[str] = Counter()
    working = ("delivery", "unload")  # a trunk run's trips unload at hubs
    for k in sorted({s.trip for s in route.stops if s.kind.value in working}):
        stops = [s for s in route.stops if s.trip == k and s.kind.value != "end"]
        carried = ", ".join(f"{n} {i}" for i, n in sorted((+on_board).items()))
        loads = [
            _load_text(s, route) for s in stops if s.kind.value in ("start", "load") and s.items
        ]
        for s in stops:
            if s.kind.value in working:
                on_board.subtract(s.items)
            elif s.items:
                on_board.update(s.items)
        head = f"{k}: " + (f"on board {carried}, " if carried else "")
        head += "load " + " + ".join(loads) if loads else ""
        drops = " ".join(s.place_id for s in stops if s.kind.value in working)
        parts.append(f"{head} -> {drops}")
    return " | ".join(parts)


def write_summary(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    path = out_dir / "summary.txt"
    path.write_text(summary_text(plan, getattr(options, "lang", "id"), scenario), encoding="utf-8")
    return [path]


EXPORTERS = [
    Exporter("json", "plan.json: the whole plan, versioned schema", write_json),
    Exporter("csv", "routes.csv: one row per stop, for spreadsheets", write_csv),
    Exporter("summary", "summary.txt: per-vehicle totals and unserved by reason", write_summary),
]

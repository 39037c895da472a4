"""The built-in output formats: ``plan.json``, ``routes.csv`` and ``summary.txt``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..hookspecs import Exporter
from ..model import Scenario
from ..plan import REASON_TEXT, Plan, Route
from . import hhmm
from .privacy import display_address, display_name, display_phone, spreadsheet_safe


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


def summary_text(plan: Plan) -> str:
    """Plain-text summary: per vehicle, totals, unserved by reason."""
    t = plan.totals
    lines = [
        f"Plan {plan.scenario} for {plan.planning_date}",
        f"Households: {t.households}  served: {t.served}  unserved: {t.unserved}",
        f"Packages delivered: {t.packages_delivered}  vehicles used: {t.vehicles_used}",
        f"Distance: {t.distance_m / 1000:.1f} km  route time: {t.duration_s / 3600:.1f} h",
        "",
        f"{'vehicle':<14}{'kind':<11}{'trips':>6}{'stops':>7}{'packages':>10}{'km':>8}"
        f"{'hours':>7}  {'start':>5}-{'end':<5}",
    ]
    for r in plan.routes:
        deliveries = sum(1 for s in r.stops if s.kind.value == "delivery")
        lines.append(
            f"{r.vehicle_id:<14}{r.vehicle_kind:<11}{r.trips:>6}{deliveries:>7}"
            f"{r.packages_delivered:>10}{r.distance_m / 1000:>8.1f}{r.duration_s / 3600:>7.1f}"
            f"  {hhmm(r.stops[0].departure_s)}-{hhmm(r.stops[-1].arrival_s)}"
        )
    if t.unserved_by_reason:
        lines += ["", "Unserved by reason:"]
        for reason, n in t.unserved_by_reason.items():
            from ..plan import UnservedReason

            lines.append(f"  {reason:<26}{n:>5}  {REASON_TEXT[UnservedReason(reason)]}")
    lines += ["", "Stock by source:"]
    for s in plan.sources:
        lines.append(f"  {s.source_id:<20} used {s.used}  left {s.left}")
    if plan.shortfall:
        lines += ["", "Shortfall (more needed to serve everyone left out for stock):"]
        lines += [f"  {item:<20}{n:>6}" for item, n in plan.shortfall.items()]
    if plan.hints:
        lines += ["", "What would serve more households (each checked by re-planning):"]
        lines += [f"  - {h.text}" for h in plan.hints]
    lines += ["", "Trips:"]
    lines += [f"  {r.vehicle_id}: {trip_line(r)}" for r in plan.routes]
    return "\n".join(lines) + "\n"


def trip_line(route: Route) -> str:
    """One vehicle's day in words: ``load S (items) → H1, H2 | load T (…) → H3``."""
    parts: list[str] = []
    current: list[str] = []
    for s in route.stops:
        if s.kind.value in ("start", "load") and s.items:
            if current:
                parts.append(" ".join(current))
            items = ", ".join(f"{n} {k}" for k, n in sorted(s.items.items()))
            current = [f"load {s.source_id} ({items}) ->"]
        elif s.kind.value == "delivery":
            current.append(s.place_id)
    if current:
        parts.append(" ".join(current))
    return " | ".join(parts)


def write_summary(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    path = out_dir / "summary.txt"
    path.write_text(summary_text(plan), encoding="utf-8")
    return [path]


EXPORTERS = [
    Exporter("json", "plan.json: the whole plan, versioned schema", write_json),
    Exporter("csv", "routes.csv: one row per stop, for spreadsheets", write_csv),
    Exporter("summary", "summary.txt: per-vehicle totals and unserved by reason", write_summary),
]

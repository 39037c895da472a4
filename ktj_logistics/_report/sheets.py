"""Route sheets: one printable HTML and one plain-text sheet per officer's vehicle.

The HTML prints one A4 page per trip (a trip is one load and its deliveries), so the post
can hand an officer the page for the trip about to start; ``sheets/all.html`` holds every
page for printing the whole day at once.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from .._i18n import Translator
from .._plan import Plan
from .._plugins.hookspecs import Exporter
from .._scenario import Scenario
from .options import ReportOptions
from .qr import qr_svg
from .runs import HouseholdLine, RunSheet, StopLine, TripSheet, run_sheets
from .templating import environment
from .words import count

SHEETS_DIR = "sheets"


def summary(run: RunSheet, tr: Translator) -> str:
    """``7 stops, 9 packages, 12.3 km, 08:00-11:40`` with the right plurals."""
    return tr(
        "sheet.summary",
        stops=count(run.stops, "count.stops", tr),
        packages=count(run.packages, "count.packages", tr),
        km=run.km,
        start=run.start,
        end=run.end,
    )


def sheet_html(runs: list[RunSheet], options: ReportOptions, title: str) -> str:
    tr = Translator(options.lang)
    template = environment().get_template("sheet.html.j2")
    return template.render(
        runs=runs,
        tr=tr,
        lang=options.lang,
        title=title,
        qr=qr_svg,
        summary=lambda run: summary(run, tr),
    )


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=76, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def load_lines(trip: TripSheet, tr: Translator) -> list[str]:
    """Every load of a trip, and what is still on board from the trip before."""
    lines = [tr("sheet.on_board", items=trip.on_board)] if trip.on_board else []
    for load in trip.loads:
        key = "sheet.loaded_at_start" if load.at_start else "sheet.load_at"
        lines.append(tr(key, source=load.source_name, time=load.time, items=load.items))
        if load.wait_note:
            lines.append("   " + load.wait_note)
    return lines


def handover_text(stop: StopLine, tr: Translator) -> str:
    """``hand over 13:00 (window 13:00-17:00)`` as one phrase for text artefacts; empty
    when it says nothing the arrival time does not (no window, no wait)."""
    if not stop.window and stop.handover == stop.arrival:
        return ""
    text = f"{tr('sheet.col.handover')} {stop.handover}"
    if stop.window:
        text += f" ({tr('sheet.col.window')} {stop.window})"
    return text


def _household_text(h: HouseholdLine, pad: str, tr: Translator) -> list[str]:
    lines = [f"{pad}{tr('sheet.id')}: {h.household_id}" + (f" · {h.visit}" if h.visit else "")]
    where = ", ".join(p for p in (h.address, h.kelurahan) if p)
    if h.rt_rw:
        where += f" (RT/RW {h.rt_rw})"
    lines += _wrap(where, pad) if where else []
    if h.phone:
        lines.append(f"{pad}{tr('sheet.phone')}: {h.phone}")
    if h.notes:
        lines += _wrap(f"{tr('sheet.col.notes')}: {h.notes}", pad)
    lines.append(f"{pad}{tr('sheet.col.items')}: {h.items}")
    return lines


def _trip_text(run: RunSheet, trip: TripSheet, tr: Translator) -> list[str]:
    head = f"{tr('sheet.title')} · {tr('sheet.trip', n=trip.number, total=len(run.trips))}"
    lines = [head, "=" * len(head)]
    lines.append(f"{tr('sheet.officer')}: {run.officer or '-'}")
    lines.append(f"{tr('sheet.vehicle')}: {run.vehicle_id} ({run.kind_label})")
    lines.append(f"{tr('sheet.base')}: {run.base_name}   {tr('sheet.date')}: {run.date}")
    lines.append(summary(run, tr))
    if run.plan_id:
        lines.append(tr("sheet.plan_id", id=run.plan_id))
    lines.append("")
    for line in load_lines(trip, tr):
        lines += _wrap(">> " + line, "")
    lines += _wrap(tr("sheet.handover"), "")
    lines.append("")
    for stop in trip.stops:
        lead = f"{stop.number:>3}. {stop.arrival}  "
        pad = " " * len(lead)
        lines.append(f"{lead}{stop.group_label or stop.households[0].label}")
        if hand := handover_text(stop, tr):
            lines.append(f"{pad}{hand}")
        if stop.route:
            lines += _wrap(stop.route, pad)
        if stop.wait_note:
            lines.append(f"{pad}{stop.wait_note}")
        for n, h in enumerate(stop.households):
            if stop.group_label or n:
                lines.append(f"{pad}{h.label}")
            lines += _household_text(h, pad, tr)
            lines.append(f"{pad}[ ] {tr('sheet.col.done')}")
    if trip.end_base:
        lines += ["", tr("sheet.return", base=trip.end_base, time=trip.end_time)]
    lines += ["", f"{tr('sheet.navigate')}:"]
    lines += [f"  {link}" for link in trip.nav_links]
    return [*lines, "", ""]


def sheet_text(run: RunSheet, options: ReportOptions) -> str:
    """The same sheet as plain text, 80 columns, for printers without a browser."""
    tr = Translator(options.lang)
    lines: list[str] = []
    for trip in run.trips:
        lines += _trip_text(run, trip, tr)
    return "\n".join(lines).rstrip() + "\n"


def write_sheets(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    opts = options if isinstance(options, ReportOptions) else ReportOptions()
    runs = run_sheets(plan, scenario, opts)
    folder = out_dir / SHEETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for run in runs:
        html_path = folder / f"{run.slug}.html"
        html_path.write_text(sheet_html([run], opts, run.vehicle_id), encoding="utf-8")
        txt_path = folder / f"{run.slug}.txt"
        txt_path.write_text(sheet_text(run, opts), encoding="utf-8")
        written += [html_path, txt_path]
    all_html = folder / "all.html"
    all_html.write_text(sheet_html(runs, opts, plan.scenario), encoding="utf-8")
    all_txt = folder / "all.txt"
    all_txt.write_text("".join(sheet_text(r, opts) for r in runs), encoding="utf-8")
    return [*written, all_html, all_txt]


EXPORTERS = [
    Exporter(
        "sheets",
        "sheets/: printable route sheets per vehicle (HTML, one A4 page per trip) and text",
        write_sheets,
    ),
]

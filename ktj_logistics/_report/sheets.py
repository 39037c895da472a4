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
from .runs import RunSheet, run_sheets
from .templating import environment

SHEETS_DIR = "sheets"


def sheet_html(runs: list[RunSheet], options: ReportOptions, title: str) -> str:
    template = environment().get_template("sheet.html.j2")
    return template.render(runs=runs, tr=Translator(options.lang), lang=options.lang, title=title)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=76, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def sheet_text(run: RunSheet, options: ReportOptions) -> str:
    """The same sheet as plain text, 80 columns, for printers without a browser."""
    tr = Translator(options.lang)
    lines: list[str] = []
    for trip in run.trips:
        head = f"{tr('sheet.title')} · {tr('sheet.trip', n=trip.number, total=len(run.trips))}"
        lines += [head, "=" * len(head)]
        lines.append(f"{tr('sheet.officer')}: {run.officer or '-'}")
        lines.append(f"{tr('sheet.vehicle')}: {run.vehicle_id} ({run.kind_label})")
        lines.append(f"{tr('sheet.base')}: {run.base_name}   {tr('sheet.date')}: {run.date}")
        lines.append(
            tr(
                "sheet.summary",
                stops=run.stops,
                packages=run.packages,
                km=run.km,
                start=run.start,
                end=run.end,
            )
        )
        lines.append("")
        if trip.load:
            key = "sheet.loaded_at_start" if trip.load.at_start else "sheet.load_at"
            lines += _wrap(
                ">> "
                + tr(key, source=trip.load.source_name, time=trip.load.time, items=trip.load.items),
                "",
            )
        lines += _wrap(tr("sheet.handover"), "")
        lines.append("")
        for stop in trip.stops:
            lead = f"{stop.number:>3}. {stop.arrival}  "
            if stop.group_label:
                lines.append(f"{lead}{stop.group_label}")
                lead = " " * len(lead)
                if stop.route:
                    lines += _wrap(stop.route, lead)
            for h in stop.households:
                lines.append(f"{lead}{h.label}   [ ] {tr('sheet.col.done')}")
                pad = " " * len(lead)
                where = ", ".join(p for p in (h.address, h.kelurahan) if p)
                if h.rt_rw:
                    where += f" (RT/RW {h.rt_rw})"
                lines += _wrap(where, pad)
                if h.phone:
                    lines.append(f"{pad}{tr('sheet.phone')}: {h.phone}")
                if h.notes:
                    lines += _wrap(f"{tr('sheet.col.notes')}: {h.notes}", pad)
                lines.append(f"{pad}{tr('sheet.col.items')}: {h.items}")
                if stop.route and not stop.group_label and h is stop.households[0]:
                    lines += _wrap(stop.route, pad)
                lead = pad
        if trip.end_base:
            lines += ["", tr("sheet.return", base=trip.end_base, time=trip.end_time)]
        lines += ["", f"{tr('sheet.navigate')}:"]
        lines += [f"  {link}" for link in trip.nav_links]
        lines += ["", ""]
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

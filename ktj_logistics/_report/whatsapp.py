"""WhatsApp-ready messages: one short text per officer, readable on a phone, with links.

Officers get their run by WhatsApp and navigate with Google Maps, so each trip starts with
where to load and ends with its navigation link(s). Lines stay short (WhatsApp wraps on
narrow screens); ``*bold*`` and ``_italic_`` are WhatsApp's own formatting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._i18n import Translator
from .._plan import Plan
from .._plugins.hookspecs import Exporter
from .._scenario import Scenario
from .options import ReportOptions
from .runs import RunSheet, StopLine, run_sheets
from .sheets import handover_text, load_lines, summary

WHATSAPP_DIR = "whatsapp"


def _stop_lines(stop: StopLine, tr: Translator) -> list[str]:
    out = []
    if stop.group_label:
        out.append(f"{stop.number}. {stop.arrival} {stop.group_label}")
    for h in stop.households:
        lead = "   " if stop.group_label else f"{stop.number}. {stop.arrival} "
        where = " ".join(
            p for p in (h.address, h.kelurahan, f"RT/RW {h.rt_rw}" if h.rt_rw else "") if p
        )
        visit = f" · {h.visit}" if h.visit else ""
        out.append(f"{lead}{h.label} [{h.household_id}]{visit} — {h.items}")
        if where:
            out.append(f"   {where}")
        if h.phone:
            out.append(f"   {tr('sheet.phone')} {h.phone}")
        if h.notes:
            out.append(f"   {h.notes}")
    if hand := handover_text(stop, tr):
        out.append(f"   {hand}")
    if stop.wait_note:
        out.append(f"   _{stop.wait_note}_")
    return out


def message(run: RunSheet, options: ReportOptions) -> str:
    tr = Translator(options.lang)
    out = [
        tr(
            "wa.greeting",
            officer=run.officer or run.vehicle_id,
            vehicle=run.vehicle_id,
            date=run.date,
        ),
        summary(run, tr),
        "_" + tr("wa.handover_short") + "_",
    ]
    for trip in run.trips:
        out += ["", "*" + tr("sheet.trip", n=trip.number, total=len(run.trips)) + "*"]
        out += load_lines(trip, tr)
        for stop in trip.stops:
            out += _stop_lines(stop, tr)
        if trip.end_base:
            out.append(tr("sheet.return", base=trip.end_base, time=trip.end_time))
        for link in trip.nav:
            part = (
                " (" + tr("sheet.navigate_part", n=link.part, total=link.parts) + ")"
                if link.parts > 1
                else ""
            )
            out.append(f"{tr('wa.open_map')}{part}: {link.url}")
    if run.plan_id:
        out += ["", tr("sheet.plan_id", id=run.plan_id)]
    return "\n".join(out) + "\n"


def write_whatsapp(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    opts = options if isinstance(options, ReportOptions) else ReportOptions()
    runs = run_sheets(plan, scenario, opts)
    folder = out_dir / WHATSAPP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    texts = []
    for run in runs:
        text = message(run, opts)
        texts.append(text)
        path = folder / f"{run.slug}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    combined = folder / "all.txt"
    combined.write_text(("\n" + "-" * 20 + "\n\n").join(texts), encoding="utf-8")
    return [*written, combined]


EXPORTERS = [
    Exporter("whatsapp", "whatsapp/: a short message per officer, with Maps links", write_whatsapp),
]

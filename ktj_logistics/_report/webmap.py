"""``map.html``: the whole day on one interactive Leaflet map, as one self-contained file.

Why not folium: folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs (a KTJ
post often has poor or no internet, and the file is shared by WhatsApp), and it pastes
popup HTML into JavaScript template literals, where a household name holding ``${...}`` or
a backslash would run or break script even after HTML-escaping. Here Leaflet (vendored
from its npm package, BSD-2-Clause, ``static/leaflet/``) is inlined, the plan travels as
one JSON block, and the page builds every popup and label with ``textContent`` — input
text is never parsed as HTML. Only the base-map tiles need the internet; without it the
routes and markers still show on a plain background.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .._i18n import Translator
from .._plan import Plan
from .._plugins.hookspecs import Exporter
from .._scenario import Scenario
from .options import ReportOptions
from .runs import RunSheet, StopLine, run_sheets, unserved_lines
from .templating import environment

TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
}
"""Base map: OpenStreetMap's standard tiles (attribution is required by their policy)."""


@cache
def _leaflet() -> tuple[str, str]:
    folder = files("ktj_logistics._report") / "static" / "leaflet"
    js = folder.joinpath("leaflet.js").read_text(encoding="utf-8")
    css = folder.joinpath("leaflet.css").read_text(encoding="utf-8")
    # The source map is not shipped; a dangling reference only makes devtools complain.
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)
    return js, css


def script_json(data: object) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, no ``<!--``, no ``&``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _stop_rows(run: RunSheet, stop: StopLine, tr: Translator) -> list[list[str]]:
    rows: list[list[str]] = []
    if stop.group_label:
        rows.append(["", stop.group_label])
    for h in stop.households:
        rows.append([tr("sheet.col.household"), f"{h.label} [{h.household_id}]"])
        where = ", ".join(p for p in (h.address, h.kelurahan) if p)
        if where:
            rows.append([tr("sheet.col.address"), where])
        if h.rt_rw:
            rows.append([tr("sheet.col.rtrw"), h.rt_rw])
        if h.notes:
            rows.append([tr("sheet.col.notes"), h.notes])
        rows.append([tr("sheet.col.items"), h.items])
    rows.append([tr("sheet.col.arrival"), stop.arrival])
    if stop.window:
        rows.append([tr("sheet.col.window"), stop.window])
    rows.append(["", tr("sheet.trip", n=stop.trip, total=len(run.trips))])
    rows.append([tr("sheet.officer"), f"{run.officer or '-'} ({run.vehicle_id})"])
    return rows


def _route(run: RunSheet, tr: Translator) -> dict[str, Any]:
    return {
        "vehicle": run.vehicle_id,
        "name": f"{run.vehicle_id} — {run.officer}" if run.officer else run.vehicle_id,
        "base": run.base_id,
        "colour": run.colour,
        "dash": run.dash,
        "deliver": [[list(p) for p in pts] for loading, pts in run.legs if not loading],
        "load": [[list(p) for p in pts] for loading, pts in run.legs if loading],
        "stops": [
            {
                "number": s.number,
                "lat": s.lat,
                "lon": s.lon,
                "title": f"{tr('map.stop', n=s.number)} — {run.vehicle_id}",
                "rows": _stop_rows(run, s, tr),
            }
            for trip in run.trips
            for s in trip.stops
        ],
    }


def _places(plan: Plan, scenario: Scenario, tr: Translator) -> dict[str, list[dict[str, Any]]]:
    usage = {s.source_id: s for s in plan.sources}

    def stock(source_id: str) -> str:
        u = usage.get(source_id)
        if u is None:
            return ""
        return ", ".join(f"{k}: {u.used.get(k, 0)}/{u.stock.get(k, 0)}" for k in sorted(u.stock))

    sources = [
        {
            "lat": s.location.lat,
            "lon": s.location.lon,
            "title": s.name or s.id,
            "rows": [["", s.kind.value], [tr("map.stock"), stock(s.id)]],
        }
        for s in scenario.sources
    ]
    bases = [
        {"lat": b.location.lat, "lon": b.location.lon, "title": b.name or b.id, "id": b.id}
        | {"rows": [["", b.kind.value]]}
        for b in scenario.bases
    ]
    return {"sources": sources, "bases": bases}


def _unserved(plan: Plan, scenario: Scenario, options: ReportOptions) -> list[dict[str, Any]]:
    tr = Translator(options.lang)
    return [
        {
            "lat": u.lat,
            "lon": u.lon,
            "title": f"{u.label} [{u.household_id}]",
            "rows": [
                r
                for r in (
                    [tr("sheet.col.address"), u.kelurahan],
                    [tr("sheet.col.rtrw"), u.rt_rw],
                    [tr("map.reason"), u.reason_text],
                    ["", u.detail],
                )
                if r[1]
            ],
        }
        for u in unserved_lines(plan, scenario, options)
    ]


def _labels(plan: Plan, tr: Translator) -> dict[str, str]:
    t = plan.totals
    keys = ("sources", "bases", "unserved", "served", "filter", "polsek", "vehicle", "all")
    return {
        "title": f"{tr('map.title')} — {plan.planning_date.isoformat()}",
        "subtitle": tr("sum.households", total=t.households, served=t.served, unserved=t.unserved),
        "offline": tr("map.offline_note"),
        "loading": tr("map.loading_legs"),
    } | {k: tr(f"map.{k}") for k in keys}


def map_data(plan: Plan, scenario: Scenario, options: ReportOptions) -> dict[str, Any]:
    """Everything the page draws, in the reader's language and already redacted."""
    tr = Translator(options.lang)
    runs = run_sheets(plan, scenario, options)
    first = scenario.bases[0].location
    return {
        "tiles": TILES,
        "center": {"lat": first.lat, "lon": first.lon},
        "labels": _labels(plan, tr),
        "routes": [_route(run, tr) for run in runs],
        **_places(plan, scenario, tr),
        "unserved": _unserved(plan, scenario, options),
    }


def map_html(plan: Plan, scenario: Scenario, options: ReportOptions) -> str:
    js, css = _leaflet()
    tr = Translator(options.lang)
    return (
        environment()
        .get_template("map.html.j2")
        .render(
            lang=options.lang,
            title=f"{tr('map.title')} — {plan.scenario}",
            leaflet_js=js,
            leaflet_css=css,
            data_json=script_json(map_data(plan, scenario, options)),
        )
    )


def write_map(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    opts = options if isinstance(options, ReportOptions) else ReportOptions()
    path = out_dir / "map.html"
    path.write_text(map_html(plan, scenario, opts), encoding="utf-8")
    return [path]


EXPORTERS = [
    Exporter(
        "map",
        "map.html: the day on one map, filters by Polsek and vehicle (works offline)",
        write_map,
    ),
]

"""GeoJSON for GIS tools (QGIS, kepler.gl): ``routes.geojson`` and ``stops.geojson``.

Two files because GIS tools load one geometry type per layer: routes are LineStrings (one
per vehicle, in driving order), stops are Points (deliveries, loading points, bases and
unserved households, told apart by ``kind``). Properties are flat (kepler.gl shows nested
ones as text). Coordinates are ``[lon, lat]`` as RFC 7946 requires.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._plan import Plan
from .._plugins.hookspecs import Exporter
from .._scenario import Scenario
from .options import ReportOptions
from .runs import run_sheets, unserved_lines


def _point(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
        "properties": props,
    }


def routes_geojson(plan: Plan, scenario: Scenario, options: ReportOptions) -> dict[str, Any]:
    routes = {r.vehicle_id: r for r in plan.routes}
    features = []
    for run in run_sheets(plan, scenario, options):
        r = routes[run.vehicle_id]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[round(lon, 7), round(lat, 7)] for lat, lon in run.path],
                },
                "properties": {
                    "vehicle_id": run.vehicle_id,
                    "vehicle_kind": run.vehicle_kind,
                    "officer": run.officer,
                    "colour": run.colour,
                    "trips": r.trips,
                    "stops": run.stops,
                    "packages": r.packages_delivered,
                    "households_served": r.households_served,
                    "distance_m": r.distance_m,
                    "duration_s": r.duration_s,
                    "start": run.start,
                    "end": run.end,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def stops_geojson(plan: Plan, scenario: Scenario, options: ReportOptions) -> dict[str, Any]:
    features = []
    for run in run_sheets(plan, scenario, options):
        for trip in run.trips:
            for load in trip.loads:
                features.append(
                    _point(
                        load.lat,
                        load.lon,
                        {
                            "kind": "load",
                            "vehicle_id": run.vehicle_id,
                            "colour": run.colour,
                            "trip": trip.number,
                            "source_id": load.source_id,
                            "name": load.source_name,
                            "time": load.time,
                            "items": load.items,
                        },
                    )
                )
            for s in trip.stops:
                features.append(
                    _point(
                        s.lat,
                        s.lon,
                        {
                            "kind": "unload" if s.unload else "delivery",
                            "vehicle_id": run.vehicle_id,
                            "officer": run.officer,
                            "colour": run.colour,
                            "trip": s.trip,
                            "number": s.number,
                            "arrival": s.arrival,
                            "handover": s.handover,
                            "window": s.window,
                            "household_ids": " ".join(h.household_id for h in s.households),
                            "name": "; ".join(h.label for h in s.households),
                            "group": s.group_label,
                            "address": "; ".join(h.address for h in s.households if h.address),
                            "kelurahan": "; ".join(sorted({h.kelurahan for h in s.households})),
                            "rt_rw": "; ".join(h.rt_rw for h in s.households if h.rt_rw),
                            "packages": s.packages,
                            "items": s.items,
                        },
                    )
                )
    for b in scenario.bases:
        features.append(
            _point(b.location.lat, b.location.lon, {"kind": "base", "id": b.id, "name": b.name})
        )
    for u in unserved_lines(plan, scenario, options):
        features.append(
            _point(
                u.lat,
                u.lon,
                {
                    "kind": "unserved",
                    "household_ids": u.household_id,
                    "name": u.label,
                    "kelurahan": u.kelurahan,
                    "rt_rw": u.rt_rw,
                    "reason": u.reason,
                    "reason_text": u.reason_text,
                },
            )
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
    opts = options if isinstance(options, ReportOptions) else ReportOptions()
    written = []
    for name, data in (
        ("routes.geojson", routes_geojson(plan, scenario, opts)),
        ("stops.geojson", stops_geojson(plan, scenario, opts)),
    ):
        path = out_dir / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


EXPORTERS = [
    Exporter("geojson", "routes.geojson and stops.geojson: for QGIS or kepler.gl", write_geojson),
]

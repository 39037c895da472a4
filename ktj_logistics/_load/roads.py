"""Checks of a road-network scenario: the network file, and points far from any road.

A point farther than ``settings.travel.snap_limit_m`` from every road its fleet may use
is a warning, not an error: it is still planned, with the stretch to the road priced as
a slow access leg — but a wrong coordinate or a road missing from the map is likelier.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

from .._errors import Issue
from .._scenario import Location, Scenario

if TYPE_CHECKING:
    from .origins import Origins


def road_issues(scenario: Scenario, origins: Origins, scenario_dir: Path) -> Iterable[Issue]:
    travel = scenario.settings.travel
    if travel.model != "road" or travel.network is None:
        return
    from .._cost.road import network_path, road_travel

    path = network_path(travel, scenario_dir)
    where = ("settings.travel.network", travel.network)
    if not path.is_file():
        yield Issue(
            origins.scenario_file,
            where[0],
            "road network file not found",
            "check the path (relative to the scenario file)",
            value=where[1],
        )
        return
    try:
        model = road_travel(travel, scenario_dir)
    except (OSError, ValueError, KeyError, ParseError) as exc:
        yield Issue(
            origins.scenario_file,
            where[0],
            f"cannot read the road network ({type(exc).__name__}: {str(exc)[:100]})",
            "use a GraphML file (osmnx/networkx) or OSM XML, optionally .gz or .bz2",
            value=where[1],
        )
        return
    kinds = sorted({v.kind.value for v in scenario.vehicles})
    if not kinds:
        return
    for coll in ("households", "sources", "bases"):
        records = getattr(scenario, coll)
        points: list[Location] = [r.location for r in records]
        near = {kind: model.snaps(points, kind) for kind in kinds}
        for i, r in enumerate(records):
            metres = min(round(near[k][i].access_dm / 10) for k in kinds)
            if metres <= travel.snap_limit_m:
                continue
            file, row = origins.records.get((coll, i), (origins.scenario_file, None))
            cols = origins.columns.get(coll, {})
            yield Issue(
                file,
                f"{cols.get('lat', 'lat')}/{cols.get('lon', 'lon')}",
                f"{metres} m from the nearest road its vehicles ({', '.join(kinds)}) may use "
                f"(limit {travel.snap_limit_m:g} m); that stretch is priced as a slow "
                "access leg",
                "check the coordinate; if it is right, the road network lacks the way there",
                row=row,
                value=f"{r.location.lat}, {r.location.lon}",
                severity="warning",
            )

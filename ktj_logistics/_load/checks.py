"""Checks across records that a single model cannot make: ids, references, coordinates.

Each check returns ``Issue`` objects (never raises), so the loader can report every
problem in one go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import Issue
from .._kinds import VehicleRole
from .._scenario import Location, Scenario
from .hubs import hub_issues

if TYPE_CHECKING:
    from .origins import Origins

# Indonesia lies roughly within lat -11..6, lon 95..141: a "latitude" near 106 and a
# "longitude" near -6 is the classic swapped-column mistake.
_ID_LAT = (-11.5, 6.5)
_ID_LON = (94.5, 141.5)


def _where(origins: Origins, coll: str, index: int) -> tuple[str, int | None]:
    return origins.records.get((coll, index), (origins.scenario_file, None))


def _col(origins: Origins, coll: str, name: str) -> str:
    return origins.columns.get(coll, {}).get(name, name)


def _duplicates(scenario: Scenario, origins: Origins) -> Iterable[Issue]:
    for coll in ("households", "vehicles", "sources", "bases"):
        records = getattr(scenario, coll)
        counts = Counter(r.id for r in records)
        first_row: dict[str, int | None] = {}
        for i, r in enumerate(records):
            file, row = _where(origins, coll, i)
            if counts[r.id] > 1:
                if r.id in first_row:
                    yield Issue(
                        file,
                        _col(origins, coll, "id"),
                        f"duplicate id (first used at row {first_row[r.id]})",
                        "give every record its own id, or delete the repeated row",
                        row=row,
                        value=r.id,
                    )
                else:
                    first_row[r.id] = row


def _coordinates(scenario: Scenario, origins: Origins) -> Iterable[Issue]:
    if scenario.settings.coordinates != "wgs84":
        return
    area = scenario.settings.service_area
    for coll in ("households", "sources", "bases"):
        for i, r in enumerate(getattr(scenario, coll)):
            loc: Location = r.location
            file, row = _where(origins, coll, i)
            lat_col, lon_col = _col(origins, coll, "lat"), _col(origins, coll, "lon")
            if _ID_LAT[0] <= loc.lon <= _ID_LAT[1] and _ID_LON[0] <= loc.lat <= _ID_LON[1]:
                yield Issue(
                    file,
                    f"{lat_col}/{lon_col}",
                    "latitude and longitude look swapped",
                    f"swap the two cells: {lat_col}={loc.lon}, {lon_col}={loc.lat}",
                    row=row,
                    value=f"{loc.lat}, {loc.lon}",
                )
                continue
            if not -90 <= loc.lat <= 90 or not -180 <= loc.lon <= 180:
                yield Issue(
                    file,
                    f"{lat_col}/{lon_col}",
                    "not a valid coordinate (latitude within ±90, longitude within ±180)",
                    "copy the coordinate again from the map (e.g. -6.2615, 106.8106)",
                    row=row,
                    value=f"{loc.lat}, {loc.lon}",
                )
                continue
            if area is not None and not area.contains(loc):
                yield Issue(
                    file,
                    f"{lat_col}/{lon_col}",
                    "outside the service area "
                    f"(lat {area.min_lat}..{area.max_lat}, lon {area.min_lon}..{area.max_lon})",
                    "check the coordinate, or widen settings.service_area",
                    row=row,
                    value=f"{loc.lat}, {loc.lon}",
                )


def _references(scenario: Scenario, origins: Origins) -> Iterable[Issue]:
    bases = {b.id for b in scenario.bases}
    sources = {s.id for s in scenario.sources}
    items = set(scenario.settings.items)
    for i, v in enumerate(scenario.vehicles):
        file, row = _where(origins, "vehicles", i)
        if v.base not in bases:
            yield Issue(
                file,
                _col(origins, "vehicles", "base"),
                "no base has this id",
                f"use one of: {', '.join(sorted(bases))}",
                row=row,
                value=v.base,
            )
        for s in v.sources:
            if s not in sources:
                yield Issue(
                    file,
                    _col(origins, "vehicles", "sources"),
                    "no supply source has this id",
                    f"use one of: {', '.join(sorted(sources))}",
                    row=row,
                    value=s,
                )
    for i, src in enumerate(scenario.sources):
        file, row = _where(origins, "sources", i)
        for item in src.stock:
            if item not in items:
                yield Issue(
                    file,
                    "stock",
                    "unknown item kind",
                    f"declare it under settings.items, or use one of: {', '.join(sorted(items))}",
                    row=row,
                    value=item,
                )
        if not any(src.stock.values()):
            yield Issue(
                file,
                "stock",
                "this source has no stock; nothing will be loaded here",
                "enter the stock, or remove the source",
                row=row,
                value=src.id,
                severity="warning",
            )
    for i, h in enumerate(scenario.households):
        file, row = _where(origins, "households", i)
        for item in h.items:
            if item not in items:
                yield Issue(
                    file,
                    _col(origins, "households", "items"),
                    "unknown item kind",
                    f"declare it under settings.items, or use one of: {', '.join(sorted(items))}",
                    row=row,
                    value=item,
                )


def _no_stock_at_all(scenario: Scenario, origins: Origins) -> Iterable[Issue]:
    if (
        scenario.households
        and scenario.sources
        and not any(any(s.stock.values()) for s in scenario.sources)
    ):
        file, row = _where(origins, "sources", 0)
        yield Issue(
            file,
            "stock",
            "no supply source has any stock, so no household could be served",
            "enter today's stock of at least one source (e.g. stock: {standard: 120})",
            row=row,
        )


def _oversized(scenario: Scenario, origins: Origins) -> Iterable[Issue]:
    """Items no single vehicle can carry: said before solving, never silently dropped.

    A household needing more than one vehicle carries is delivered in several visits
    (split delivery), so only an item that no vehicle can hold even alone is a problem:
    the planner reports such a household unserved (``exceeds_vehicle_capacity``).
    """
    fleet = [v for v in scenario.vehicles if v.role == VehicleRole.delivery]
    if not fleet:
        return
    st = scenario.settings
    most = max(v.capacity_packages for v in fleet)
    heaviest = max(v.capacity_kg for v in fleet)
    for i, h in enumerate(scenario.households):
        too_big = [
            item
            for item in h.demand()
            if item in st.items
            and (st.package_places(item) > most or st.items[item].weight_kg > heaviest)
        ]
        if not too_big:
            continue
        file, row = _where(origins, "households", i)
        yield Issue(
            file,
            _col(origins, "households", "items"),
            f"one {too_big[0]} is larger than any vehicle carries ({most} packages / "
            f"{heaviest:g} kg); it will be reported unserved (exceeds_vehicle_capacity)",
            "add a vehicle large enough for it, or correct the item's weight or packages",
            row=row,
            value=too_big[0],
            severity="warning",
        )


def _settlement_types(scenario: Scenario, origins: Origins, known: set[str]) -> Iterable[Issue]:
    import difflib

    for i, h in enumerate(scenario.households):
        if h.settlement_type not in known:
            file, row = _where(origins, "households", i)
            close = difflib.get_close_matches(h.settlement_type, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            yield Issue(
                file,
                _col(origins, "households", "settlement_type"),
                "unknown settlement type",
                f"{hint}valid types: {', '.join(sorted(known))}",
                row=row,
                value=h.settlement_type,
            )
    for i, src in enumerate(scenario.sources):
        if src.earmark is None:
            continue
        for st in src.earmark.settlement_types:
            if st not in known:
                file, row = _where(origins, "sources", i)
                yield Issue(
                    file,
                    "earmark.settlement_types",
                    "unknown settlement type in the earmark",
                    f"valid types: {', '.join(sorted(known))}",
                    row=row,
                    value=st,
                )


def check_scenario(
    scenario: Scenario,
    origins: Origins,
    scenario_dir: Path | None = None,
    settlement_types: set[str] | None = None,
) -> list[Issue]:
    """Every cross-record problem in ``scenario``; errors and warnings together."""
    issues: list[Issue] = []
    issues += _duplicates(scenario, origins)
    issues += _coordinates(scenario, origins)
    issues += _references(scenario, origins)
    issues += _no_stock_at_all(scenario, origins)
    issues += _oversized(scenario, origins)
    issues += hub_issues(scenario, origins)
    if settlement_types is not None:
        issues += _settlement_types(scenario, origins, settlement_types)
    if scenario_dir is not None:
        from .roads import road_issues

        issues += road_issues(scenario, origins, scenario_dir)
        for p in scenario.plugin_paths:
            if not (scenario_dir / p).exists():
                issues.append(
                    Issue(
                        origins.scenario_file,
                        "plugin_paths",
                        "plugin file not found",
                        "check the path (relative to the scenario file)",
                        value=p,
                    )
                )
    return issues

"""Checks of the staging records: hubs, trunk vehicles and officer areas."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .._area import place_keys
from .._errors import Issue
from .._kinds import VehicleRole
from .._scenario import Scenario

if TYPE_CHECKING:
    from .origins import Origins


def hub_issues(scenario: Scenario, origins: Origins) -> Iterable[Issue]:
    """Hub ids and bases, trunk vehicles without hubs (or hubs without trunks), and
    officer areas that no household of the day lies in (a typo in a name)."""
    file = origins.scenario_file
    bases = {b.id for b in scenario.bases}
    taken = {s.id for s in scenario.sources}
    counts = Counter(h.id for h in scenario.hubs)
    for i, hub in enumerate(scenario.hubs):
        field = f"hubs[{i + 1}]"
        if counts[hub.id] > 1:
            yield Issue(
                file, f"{field}.id", "duplicate hub id", "give every hub its own id", value=hub.id
            )
        if hub.id in taken:
            yield Issue(
                file,
                f"{field}.id",
                "a supply source has this id",
                "give the hub an id of its own (loads name the place by id)",
                value=hub.id,
            )
        if hub.base and hub.base not in bases:
            yield Issue(
                file,
                f"{field}.base",
                "no base has this id",
                f"use one of: {', '.join(sorted(bases))}",
                value=hub.base,
            )
    trunk = [v.id for v in scenario.vehicles if v.role == VehicleRole.trunk]
    if scenario.hubs and not trunk:
        yield Issue(
            file,
            "hubs",
            "hubs are declared but no vehicle has role trunk, so no stock is staged",
            "give a truck, van or car role: trunk",
            severity="warning",
        )
    if trunk and not scenario.hubs:
        yield Issue(
            file,
            "vehicles",
            f"trunk vehicles ({', '.join(trunk)}) but no hubs: they stay at their base",
            "declare hubs:, or make them delivery vehicles",
            severity="warning",
        )
    yield from _empty_areas(scenario, origins)


def _empty_areas(scenario: Scenario, origins: Origins) -> Iterable[Issue]:
    if not scenario.households:
        return
    present = set().union(*(place_keys(h) for h in scenario.households))
    named = [(f"bases.{b.id}.area", b.area) for b in scenario.bases]
    named += [(f"vehicles.{v.id}.area", v.area) for v in scenario.vehicles]
    named += [(f"hubs.{h.id}.area", h.area) for h in scenario.hubs]
    for where, area in named:
        if area is not None and not area.keys() & present:
            yield Issue(
                origins.scenario_file,
                where,
                f"no household of the day lies in {area}",
                "check the spelling of the kecamatan, kelurahan or RW",
                severity="warning",
            )

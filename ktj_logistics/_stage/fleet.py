"""Which vehicles deliver to households and which only move stock to hubs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .._kinds import VehicleRole
from .._problem import Day, VehicleSpec
from .._scenario import Scenario


@dataclass(frozen=True)
class Fleet:
    """The day as the delivery fleet sees it, and the trunk vehicles set aside."""

    day: Day  # every stop and source; delivery vehicles only
    trunk: tuple[VehicleSpec, ...]


def split_fleet(scenario: Scenario, day: Day) -> Fleet:
    """Trunk vehicles out of ``day``: they never serve a household, so the allocation
    must not count on them (a truck that could carry a big household does not go there)."""
    trunk_ids = {v.id for v in scenario.vehicles if v.role == VehicleRole.trunk}
    if not trunk_ids:
        return Fleet(day, ())
    delivery = tuple(v for v in day.vehicles if v.id not in trunk_ids)
    trunk = tuple(v for v in day.vehicles if v.id in trunk_ids)
    return Fleet(replace(day, vehicles=delivery), trunk)

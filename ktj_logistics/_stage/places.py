"""Hubs as the stage sees them: places with hours, handling times, kinds and an area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .._kinds import VehicleKind
from .._problem import AreaRule, Job, VehicleSpec
from .._scenario import Location, Scenario


@dataclass(frozen=True)
class HubPlace:
    id: str
    label: str
    location: Location
    window: tuple[int, int]
    loading_s: int
    unloading_s: int
    kinds: frozenset[VehicleKind]
    area: AreaRule | None  # the stops its stock is for; None: the stops nearest to it

    def covers(self, job: Job) -> bool:
        return self.area is not None and self.area.covers(job)


def hub_places(scenario: Scenario) -> list[HubPlace]:
    """The scenario's hubs; a hub at a base without an area of its own takes the base's."""
    bases = scenario.base_by_id()
    out = []
    for h in scenario.hubs:
        base = bases.get(h.base)
        area = h.area or (base.area if base is not None else None)
        out.append(
            HubPlace(
                id=h.id,
                label=h.name or (base.name if base is not None and base.name else h.id),
                location=scenario.hub_location(h),
                window=h.opening_hours.as_seconds(),
                loading_s=round(h.loading_minutes * 60),
                unloading_s=round(h.unloading_minutes * 60),
                kinds=frozenset(h.vehicle_kinds) if h.vehicle_kinds else frozenset(VehicleKind),
                area=AreaRule(area.keys(), True, 0) if area is not None else None,
            )
        )
    return out


def loaders(
    scenario: Scenario, vehicles: Sequence[VehicleSpec], hubs: Sequence[HubPlace]
) -> list[frozenset[int]]:
    """Per hub, the vehicles (by index) that may load there: their kind is welcome, and
    a vehicle restricted to some sources lists the hub among them."""
    listed = {v.id: set(v.sources) for v in scenario.vehicles}
    return [
        frozenset(
            i
            for i, spec in enumerate(vehicles)
            if spec.kind in hub.kinds and (not listed[spec.id] or hub.id in listed[spec.id])
        )
        for hub in hubs
    ]

"""Apartment towers (rusun, apartemen): one stop per tower, at the lobby.

Settlement type ``apartment``. Households with the same ``building`` become one stop:

* **Where.** The lobby: ``buildings.<name>.lobby`` if given, else the centre of the
  units' coordinates.
* **How long.** ``setup_minutes`` once per tower (parking, signing in at the desk, the
  lift) plus ``unit_minutes`` per household (its floor, the door); a tower of five with
  the defaults takes 5 + 5 × 2 = 15 minutes, instead of five separate stops.
* **When.** The building's access hours, ``access_hours`` (default ``08:00-20:00``) or
  ``buildings.<name>.access_hours``; the delivery must start within them.

An apartment household without a ``building`` is a stop of its own with the unit time
and the default access hours.

Settings::

    plugins:
      apartment:
        setup_minutes: 5
        unit_minutes: 2
        access_hours: ["08:00-20:00"]
        buildings:
          Rusun Tebet Blok A: {lobby: {lat: -6.23, lon: 106.85}, access_hours: ["09:00-17:00"]}
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics import Household, Location, StopGroup, TimeWindow, hookimpl

from . import _buildings

SETTLEMENT_TYPE = "apartment"


class Building(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lobby: Location | None = None
    access_hours: list[TimeWindow] | None = Field(None, min_length=1)
    setup_minutes: float | None = Field(None, ge=0, le=120)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    setup_minutes: float = Field(5, ge=0, le=120)
    unit_minutes: float = Field(2, ge=0, le=60)
    access_hours: list[TimeWindow] = Field(
        default_factory=lambda: [TimeWindow.model_validate("08:00-20:00")], min_length=1
    )
    buildings: dict[str, Building] = Field(default_factory=dict)


class Plugin:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    def _building(self, name: str) -> Building:
        return self.config.buildings.get(name) or Building()

    def _hours(self, name: str) -> list[TimeWindow]:
        return self._building(name).access_hours or self.config.access_hours

    @hookimpl
    def ktj_settlement_types(self) -> list[str]:
        return [SETTLEMENT_TYPE]

    @hookimpl
    def ktj_group_stops(self, households: list[Household]) -> list[StopGroup]:
        def setup_s(name: str) -> int:
            minutes = self._building(name).setup_minutes
            return round((self.config.setup_minutes if minutes is None else minutes) * 60)

        return _buildings.groups(
            households,
            SETTLEMENT_TYPE,
            prefix="apartment",
            label=lambda name: f"{name} (lobby)",
            locations={n: b.lobby for n, b in self.config.buildings.items()},
            setup_s=setup_s,
        )

    @hookimpl
    def ktj_service_time(self, household: Household) -> int | None:
        if household.settlement_type != SETTLEMENT_TYPE:
            return None
        return round(self.config.unit_minutes * 60)

    @hookimpl
    def ktj_time_windows(self, household: Household) -> list[TimeWindow] | None:
        if household.settlement_type != SETTLEMENT_TYPE:
            return None
        return list(self._hours(household.building))

"""Kawasan padat penduduk: dense kampung settlements reached through narrow alleys (gang).

Settlement type ``dense_settlement``. Rules:

* **Access.** Cars, vans and trucks cannot enter the alleys: they are vetoed. Motorbikes and
  officers on foot may come. With ``car_parks_at_mouth: true`` a car may serve the
  household after all: it parks at the alley mouth and the officer walks in and back,
  which adds ``2 × walk / walking_speed`` to the handover. The walk is the household's tag
  named by ``walk_tag`` (default ``alley_m``, metres, e.g. ``tags: {alley_m: "120"}``)
  or else ``walk_m``. ``van_parks_at_mouth`` does the same for vans.
* **Priority.** ``crowding_points`` (default +10): isolation in a crowded alley puts the
  neighbours at risk, so these households should not wait.

Settings (``plugins: {dense_settlement: {...}}``): ``car_parks_at_mouth`` (false),
``van_parks_at_mouth`` (false), ``walk_m`` (100), ``walk_tag`` ("alley_m"),
``walking_speed_kmh`` (4.0), ``crowding_points`` (10).
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics import AccessRule, Contribution, Household, VehicleKind, hookimpl

SETTLEMENT_TYPE = "dense_settlement"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    car_parks_at_mouth: bool = False
    van_parks_at_mouth: bool = False
    walk_m: float = Field(100, ge=0, le=5000, description="Alley mouth to door, one way.")
    walk_tag: str = Field("alley_m", description="Household tag overriding walk_m.")
    walking_speed_kmh: float = Field(4.0, gt=0, le=10)
    crowding_points: float = Field(10, ge=0, le=1000)


class Plugin:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @hookimpl
    def ktj_settlement_types(self) -> list[str]:
        return [SETTLEMENT_TYPE]

    def walk_m(self, household: Household) -> float:
        """One-way walk from the alley mouth: the household's tag, else the default."""
        text = household.tags.get(self.config.walk_tag)
        if text is None or not text.strip():
            return self.config.walk_m
        try:
            metres = float(text.replace(",", "."))
        except ValueError:
            raise ValueError(
                f"household {household.id}: tag {self.config.walk_tag}={text!r} is not a "
                "number of metres"
            ) from None
        if not 0 <= metres <= 5000:
            raise ValueError(
                f"household {household.id}: tag {self.config.walk_tag}={text!r} must be "
                "between 0 and 5000 metres"
            )
        return metres

    def walking_s(self, household: Household) -> int:
        """Seconds to walk from the parked vehicle to the door and back."""
        return math.ceil(2 * self.walk_m(household) / (self.config.walking_speed_kmh / 3.6))

    @hookimpl
    def ktj_vehicle_access(self, household: Household) -> list[AccessRule] | None:
        if household.settlement_type != SETTLEMENT_TYPE:
            return None
        rules = []
        parks = {
            VehicleKind.car: self.config.car_parks_at_mouth,
            VehicleKind.van: self.config.van_parks_at_mouth,
        }
        for kind, may_park in parks.items():
            if may_park:
                walk = self.walking_s(household)
                rules.append(
                    AccessRule(
                        kind,
                        True,
                        f"the {kind.value} parks at the alley mouth; the officer walks "
                        f"{self.walk_m(household):.0f} m each way",
                        extra_service_s=walk,
                    )
                )
            else:
                rules.append(
                    AccessRule(
                        kind, False, f"a {kind.value} cannot enter the alleys of a dense settlement"
                    )
                )
        rules.append(
            AccessRule(
                VehicleKind.truck, False, "a truck cannot enter the alleys of a dense settlement"
            )
        )
        return rules

    @hookimpl
    def ktj_priority(self, household: Household) -> list[Contribution] | None:
        if household.settlement_type != SETTLEMENT_TYPE or not self.config.crowding_points:
            return None
        return [
            Contribution(
                self.config.crowding_points,
                "dense settlement: crowding puts the neighbours at risk",
                rule="crowding",
            )
        ]

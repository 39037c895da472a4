"""What a day already under way adds to a scenario (``ktj-route replan``).

Two small inputs, set by the re-plan on the scenario of the rest of the day and read by
the engine like any other field: where a vehicle is when its route begins (``Vehicle.
start``: the last stop it kept, instead of its base; its shift start is when it is free
there), and which vehicle each household had on the sheets already issued
(``Scenario.issued``), so that moving a stop to another officer costs something and
sheets change only where that buys a better day.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class VehicleStart(_Frozen):
    """Where a vehicle starts its route when that is not its base (it ends at its base)."""

    lat: float
    lon: float
    label: str = Field("", description="What the place is, for the sheets (an id, never a name).")


class Issued(_Frozen):
    """The vehicle of each household on the sheets already issued, and the cost (in
    seconds of route time) of handing a household to another vehicle."""

    vehicle_of: dict[str, str] = Field(default_factory=dict)
    move_cost_s: Annotated[int, Field(ge=0, le=86_400)] = 1800

"""Priority from the RW's COVID-19 zone colour (zonasi RW).

Red zones have the most active cases, so households there are served first: red +30,
orange +20, yellow +10, green +0 (configurable; ``plugins: {zone_colour: {red: 40}}``).
A household with no zone colour gets no points here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics import Contribution, Household, hookimpl


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    red: float = Field(30, ge=0, le=1000)
    orange: float = Field(20, ge=0, le=1000)
    yellow: float = Field(10, ge=0, le=1000)
    green: float = Field(0, ge=0, le=1000)


_WORDS = {
    "red": "red zone RW: many active cases",
    "orange": "orange zone RW",
    "yellow": "yellow zone RW",
    "green": "green zone RW: few cases",
}


class Plugin:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @hookimpl
    def ktj_priority(self, household: Household) -> list[Contribution] | None:
        colour = household.zone_colour
        if not colour:
            return None
        return [Contribution(getattr(self.config, colour), _WORDS[colour], rule=colour)]

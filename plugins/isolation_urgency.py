"""Priority from where a household is in its isolation period.

The first days matter most (the household has had no time to arrange help), urgency
fades over the period and drops near its end, when the household can soon shop again.
Defaults: days 0–3 +15, days 4–7 +10, days 8–(length−3) +5, the last 3 days and after +0.
A household with no isolation start date gets no points here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics import Contribution, Household, Scenario, hookimpl


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    isolation_days: int = Field(14, ge=1, le=60)
    early_points: float = Field(15, ge=0)
    early_days: int = Field(3, ge=0)
    middle_points: float = Field(10, ge=0)
    middle_days: int = Field(7, ge=0)
    late_points: float = Field(5, ge=0)
    ending_days: int = Field(3, ge=0)


class Plugin:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @hookimpl
    def ktj_priority(self, household: Household, scenario: Scenario) -> list[Contribution] | None:
        if household.isolation_start is None:
            return None
        c = self.config
        day = (scenario.settings.planning_date - household.isolation_start).days
        if day < 0:
            return None
        if day >= c.isolation_days - c.ending_days:
            return [Contribution(0, f"day {day} of isolation: near its end", rule="ending")]
        if day <= c.early_days:
            return [Contribution(c.early_points, f"day {day} of isolation: early", rule="early")]
        if day <= c.middle_days:
            return [Contribution(c.middle_points, f"day {day} of isolation", rule="middle")]
        return [Contribution(c.late_points, f"day {day} of isolation", rule="late")]

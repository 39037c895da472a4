"""Priority for a household reported urgent during the day (``ktj-route replan``).

A re-plan's ``urgent_households`` carry the tag ``urgent: yes`` (a coordinator may also
set it in a list). They get ``points`` (default 60) on top of the rest, so when officers'
time or stock is short the household that just called comes first. A household without
the tag gets nothing from this plugin.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics import Contribution, Household, hookimpl

YES = {"yes", "ya", "true", "1"}


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: float = Field(60, ge=0, le=1000)
    tag: str = Field("urgent", min_length=1)


class Plugin:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @hookimpl
    def ktj_priority(self, household: Household) -> list[Contribution] | None:
        if household.tags.get(self.config.tag, "").strip().lower() not in YES:
            return None
        return [Contribution(self.config.points, "reported urgent today", rule="urgent")]

"""Priority for a household whose delivery is overdue: points for every day it has waited.

A campaign (``ktj-route campaign plan``) writes ``days_waiting`` into the ``tags`` of
each household due that day: whole days since its package fell due without being
delivered (nobody home, or no stock or vehicle time left for it). Each day adds
``points_per_day`` (default 20) up to ``max_points`` (default 80), so a household
skipped yesterday comes before one that fell due today, and one skipped twice before
both. A household without the tag (a one-day scenario) gets no points from this plugin;
a tag that is not a whole number of days is an error naming the household.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics._plugins.hookspecs import Contribution, hookimpl
from ktj_logistics._scenario import Household


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points_per_day: float = Field(20, ge=0, le=1000)
    max_points: float = Field(80, ge=0, le=10_000)
    tag: str = Field("days_waiting", min_length=1)


class Plugin:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @hookimpl
    def ktj_priority(self, household: Household) -> list[Contribution] | None:
        c = self.config
        raw = household.tags.get(c.tag, "").strip()
        if not raw:
            return None
        try:
            days = int(raw)
        except ValueError:
            raise ValueError(
                f"household {household.id}: tag '{c.tag}' must be a whole number of days,"
                f" not {raw!r}"
            ) from None
        if days <= 0:
            return None
        points = min(c.max_points, c.points_per_day * days)
        since = household.tags.get("due_since", "")
        due = f" (due since {since})" if since else ""
        reason = f"waited {days} day{'s' if days != 1 else ''} for its package{due}"
        return [Contribution(points, reason, rule="waiting")]

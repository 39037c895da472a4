"""The fairness part of the output contract (plan.json 1.2), apart from ``_plan`` so the
contract stays one readable file: the figure per area and the note on a household."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FairnessNote(_Out):
    """1.2: fairness, not priority, decided this household's outcome."""

    effect: Literal["served_by_fairness", "held_back_by_fairness"] = Field(
        description="served_by_fairness: served ahead of more urgent households because its"
        " area was below its floor; held_back_by_fairness: left out because its area had"
        " reached its share and the stock or vehicle time went to an area below it"
    )
    area: str = Field(description="Its kelurahan (or kelurahan and RW)")
    detail: str = ""


class AreaShare(_Out):
    """1.2: one area's due households (those that need something) and how many are served."""

    area: str
    due: int
    served: int
    share: float = Field(description="served / due (1 when nobody there is due)")


class Fairness(_Out):
    """1.2: how evenly the day's deliveries reach the areas (kelurahan or RW)."""

    by: Literal["kelurahan", "rw"]
    enforced: bool = Field(description="settings.fairness was on for this plan")
    floor: float | None = Field(
        None, description="The share every area was to reach, when enforced (within reach)"
    )
    overall_share: float = Field(description="Served / due over the whole day")
    min_share: float
    max_share: float
    gap: float = Field(description="overall_share - min_share")
    jain: float = Field(description="Jain's index of the areas' shares: 1 is perfectly even")
    areas: list[AreaShare] = Field(default_factory=list)


__all__ = ["AreaShare", "Fairness", "FairnessNote"]

"""The scenario's fairness setting (``settings.fairness``), apart from ``_scenario`` so
the input contract stays one readable file."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


FairnessArea = Literal["kelurahan", "rw"]


class FairnessSettings(_Frozen):
    """Share the shortfall across areas: when stock or fleet is short, no area (kelurahan,
    or RW within its kelurahan) is left far behind the rest, within what the fleet allows.

    An area's floor is the larger of ``min_share`` and the day's overall served share
    minus ``max_gap``, as a share of its due households (those that need something).
    Stock is reserved for areas below their floor before the rest goes by priority, and
    the solver's drop penalties rise for households of areas still below it.
    """

    enabled: bool = True
    by: FairnessArea = Field(default="kelurahan", description="The areas compared.")
    min_share: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0.0, description="Every area gets at least this share of its due households."
    )
    max_gap: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0.10,
        description="No area's share more than this below the day's overall share.",
    )


__all__ = ["FairnessArea", "FairnessSettings"]

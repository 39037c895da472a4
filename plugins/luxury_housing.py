"""Permukiman mewah: gated luxury estates, delivered at the estate's security post.

Settlement type ``luxury_housing``. Rules:

* **One drop per estate.** Households with the same ``building`` (the estate) are one stop
  at the security post (``posts.<estate>``, else the centre of the houses); the guards pass
  the packages on. ``post_minutes`` once per estate, ``unit_minutes`` per household.
* **Lower priority.** ``points`` (default −10): these households can usually buy food
  delivered, so they yield to others when stock or time runs short — unless a member is
  vulnerable (elderly, child under five, pregnant, comorbid, disabled) or the household
  has no income, in which case no points are taken.

Settings: ``points`` (−10, at most 0), ``post_minutes`` (3), ``unit_minutes`` (1),
``posts`` (estate name → ``{lat, lon}``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics import Contribution, Household, Location, StopGroup, hookimpl

from . import _buildings

SETTLEMENT_TYPE = "luxury_housing"
VULNERABILITY_FLAGS = (
    "elderly",
    "child_under_5",
    "pregnant",
    "comorbid",
    "disability",
    "no_income",
)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: float = Field(-10, ge=-1000, le=0)
    post_minutes: float = Field(3, ge=0, le=120)
    unit_minutes: float = Field(1, ge=0, le=60)
    posts: dict[str, Location] = Field(default_factory=dict)


class Plugin:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @hookimpl
    def ktj_settlement_types(self) -> list[str]:
        return [SETTLEMENT_TYPE]

    @hookimpl
    def ktj_group_stops(self, households: list[Household]) -> list[StopGroup]:
        return _buildings.groups(
            households,
            SETTLEMENT_TYPE,
            prefix="estate",
            label=lambda name: f"{name} (security post)",
            locations=self.config.posts,
            setup_s=lambda _: round(self.config.post_minutes * 60),
        )

    @hookimpl
    def ktj_service_time(self, household: Household) -> int | None:
        if household.settlement_type != SETTLEMENT_TYPE or not household.building:
            return None
        return round(self.config.unit_minutes * 60)

    @hookimpl
    def ktj_priority(self, household: Household) -> list[Contribution] | None:
        if household.settlement_type != SETTLEMENT_TYPE or not self.config.points:
            return None
        flags = [f for f in VULNERABILITY_FLAGS if getattr(household, f)]
        if flags:
            return [
                Contribution(
                    0,
                    "luxury housing, but no reduction: " + ", ".join(flags).replace("_", " "),
                    rule="vulnerable_exempt",
                )
            ]
        return [
            Contribution(
                self.config.points,
                "luxury housing: can usually buy food delivered",
                rule="luxury",
            )
        ]

"""The ``expect:`` block of a scenario: what a good plan for it must achieve.

It is validated with the rest of the scenario (unknown keys are errors); ``evaluate.py``
judges a plan against it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._kinds import VehicleKind
from .._plan import UnservedReason

if TYPE_CHECKING:
    from .._scenario import Household


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class HouseholdExpectation(_Frozen):
    """A named household is served, or unserved (optionally for a given reason).

    Written as ``served``, ``unserved``, ``unserved: stock_shortfall`` or as a mapping
    ``{status: unserved, reason: stock_shortfall}``.
    """

    status: Literal["served", "unserved"]
    reason: UnservedReason | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            status, _, reason = data.partition(":")
            out: dict[str, Any] = {"status": status.strip()}
            if reason.strip():
                out["reason"] = reason.strip()
            return out
        if isinstance(data, dict) and set(data) == {"unserved"}:
            return {"status": "unserved", "reason": data["unserved"]}
        return data

    @model_validator(mode="after")
    def _reason_only_when_unserved(self) -> HouseholdExpectation:
        if self.status == "served" and self.reason is not None:
            raise ValueError("a served household has no reason; drop the reason")
        return self


class VehicleBan(_Frozen):
    """No vehicle of these kinds delivers to the households the selectors pick.

    Selectors combine with AND; at least one is required. ``tags`` matches households
    whose tags hold every given key with the given value.
    """

    kinds: Annotated[list[VehicleKind], Field(min_length=1)]
    settlement_type: str | None = None
    kelurahan: str | None = None
    rw: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _has_selector(self) -> VehicleBan:
        if not (self.settlement_type or self.kelurahan or self.rw or self.tags):
            raise ValueError("say where the ban applies: settlement_type, kelurahan, rw or tags")
        return self

    def matches(self, h: Household) -> bool:
        if self.settlement_type and h.settlement_type != self.settlement_type:
            return False
        if self.kelurahan and h.kelurahan.upper() != self.kelurahan.upper():
            return False
        if self.rw and h.rw.lstrip("0") not in {r.lstrip("0") for r in self.rw}:
            return False
        return all(h.tags.get(k) == v for k, v in self.tags.items())

    def describe(self) -> str:
        parts = []
        if self.settlement_type:
            parts.append(f"{self.settlement_type} households")
        if self.kelurahan:
            parts.append(f"kelurahan {self.kelurahan}")
        if self.rw:
            parts.append("RW " + ", ".join(self.rw))
        if self.tags:
            parts.append(", ".join(f"{k}={v}" for k, v in self.tags.items()))
        return " in ".join(parts) if parts else "anywhere"


GroupField = Literal["kelurahan", "kecamatan", "rw"]


class FairnessFloor(_Frozen):
    """Each area (kelurahan by default) gets at least ``min_share`` of its households served.

    With ``only_when_stock_short`` (the default) the floor applies only on days when the
    sources hold fewer items than the households need, which is when triage by priority
    could leave one area with nothing.
    """

    min_share: Annotated[float, Field(ge=0, le=1)]
    by: GroupField = "kelurahan"
    only_when_stock_short: bool = True


class ReplanExpectations(_Frozen):
    """What a re-plan scenario (``replan:`` file) must achieve; judged on the re-plan."""

    nothing_moved: bool = Field(
        default=False,
        description="No stop done or loaded before T is moved or planned again, and every "
        "vehicle starts where and when it is free (the verifier's re-plan check).",
    )
    urgent_served: bool = Field(
        default=False,
        description="Every urgent household is served, unless no vehicle can reach it "
        "(unserved only for no_eligible_vehicle or time_window).",
    )
    max_sheets_changed: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="At most this many officers get a new sheet."
    )
    min_sheets_changed: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="At least this many officers get a new sheet."
    )


class Expectations(_Frozen):
    """The ``expect:`` block of a scenario. Only what is stated is checked."""

    tags: list[str] = Field(
        default_factory=list,
        description="Labels for selecting scenarios, e.g. 'slow' (ktj-route check --skip-slow).",
    )
    min_served: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="At least this many households served."
    )
    min_served_share: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None, description="At least this share (0-1) of households served."
    )
    served_if_priority_at_least: float | None = Field(
        default=None, description="Every household with at least this priority is served."
    )
    households: dict[str, HouseholdExpectation] = Field(
        default_factory=dict,
        description="Named households and their expected outcome (served / unserved: reason).",
    )
    max_route_minutes: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="No route (first departure to return) takes longer."
    )
    back_by_shift_end: bool = Field(
        default=False, description="Every vehicle is back at its base by its shift end."
    )
    no_vehicle_at: list[VehicleBan] = Field(
        default_factory=list, description="Vehicle kinds that must not deliver somewhere."
    )
    stock_respected: bool = Field(
        default=False, description="No source hands out more of an item than it holds."
    )
    max_total_km: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="Total distance driven by all vehicles, at most."
    )
    fairness_floor: FairnessFloor | None = None
    fairness_gap_max: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None,
        description="No kelurahan (or RW, as settings.fairness says) has a served share of"
        " its due households more than this below the day's overall share (0-1).",
    )
    one_stop_per_building: bool = Field(
        default=False,
        description="Households sharing a building (tower, estate) are served in one stop"
        " (fails when its units are split across visits, e.g. a tower bigger than a vehicle).",
    )
    no_capacity_drop_while_idle: bool = Field(
        default=False,
        description="No household is unserved for exceeds_vehicle_capacity while a vehicle"
        " of a kind allowed there stays idle.",
    )
    special_shortfall_keeps_standard: bool = Field(
        default=False,
        description="Every household short of a special item is served and still gets all"
        " its standard packages; plan.json lists the missing item with its reason.",
    )
    unserved_only_for: list[UnservedReason] = Field(
        default_factory=list,
        description="Every unserved household has one of these reasons (empty: not checked).",
    )
    deterministic: bool = Field(
        default=False,
        description="Two runs in deterministic mode give the identical plan.",
    )
    replan: ReplanExpectations | None = Field(
        default=None, description="Re-plan scenario files only (docs/replan.md)."
    )

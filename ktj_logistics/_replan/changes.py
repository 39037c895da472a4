"""What happened during the day, as a re-plan is told it (``ktj-route replan``).

``Changes`` is read from a YAML file (``--changes``) or from the ``changes:`` of a re-plan
scenario file (``ReplanFile``, run by ``ktj-route check``). Every field is optional;
unknown keys are errors, so a typo is never silently ignored.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from .._expect.model import Expectations
from .._scenario import Household


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class VehicleOff(_Frozen):
    """A vehicle (its officer) unavailable from the re-plan time: its undelivered stops
    are planned again, and the stock on board is lost for the day (see docs/replan.md)."""

    vehicle: Annotated[str, Field(min_length=1)]
    reason: str = Field("", description="Printed in the changes report, e.g. 'sick'.")


class SourceChange(_Frozen):
    """Stock arriving late or short at a source."""

    source: Annotated[str, Field(min_length=1)]
    available_from: time | None = Field(None, description="Loading only from this time.")
    short: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Items fewer than planned, taken from what is left, e.g. {standard: 20}.",
    )


class Changes(_Frozen):
    """The day's changes from the re-plan time on."""

    vehicles_off: list[VehicleOff] = Field(default_factory=list)
    sources: list[SourceChange] = Field(default_factory=list)
    urgent_households: list[Household] = Field(
        default_factory=list, description="New households, tagged urgent (plugin 'urgent')."
    )
    new_households: list[Household] = Field(default_factory=list)
    cancelled: list[str] = Field(
        default_factory=list, description="Households that no longer need a delivery today."
    )
    move_cost_minutes: Annotated[float, Field(ge=0, le=1440)] = Field(
        30,
        description="How many minutes of route time moving one stop to another officer "
        "must save to be worth a changed sheet.",
    )
    shift_minutes: Annotated[float, Field(ge=0, le=1440)] = Field(
        15, description="A stop whose time moves by at least this much is reported as shifted."
    )


class ReplanFile(_Frozen):
    """A re-plan scenario (``ktj-route check``): a day, its issued plan, a time, changes."""

    scenario: Annotated[str, Field(min_length=1)] = Field(
        description="The day's scenario file, relative to this file."
    )
    plan: str | None = Field(
        None,
        description="The issued plan.json, relative to this file; default: the scenario "
        "planned as it is (deterministic), as the sheets of that morning.",
    )
    at: time = Field(description="The re-plan time, HH:MM.")
    changes: Changes = Field(default_factory=Changes)
    description: str = ""


class ReplanScenario(_Frozen):
    """A re-plan scenario file: ``replan:`` and an optional ``expect:``."""

    replan: ReplanFile
    expect: Expectations | None = None

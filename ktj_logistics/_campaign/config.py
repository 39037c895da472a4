"""The campaign file (``campaign.yaml``): its name, the day template and delivery rules.

The day template is an ordinary scenario file whose ``households`` are left empty: its
settings, sources, bases, vehicles and plugins are each day's, and the households come
from the store. The stock its sources list is recorded as received on the campaign's
first day; later deliveries of stock are imported (``campaign import --stock``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._errors import InputError, Issue


class DeliveryRules(BaseModel):
    """Who is due a package on a day (see docs/campaign.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    isolation_days: Annotated[int, Field(ge=1, le=90)] = Field(
        14, description="Isolation ends this many days after it starts, unless the list says."
    )
    deliveries_on_days: list[Annotated[int, Field(ge=0, le=90)]] = Field(
        default_factory=lambda: [0, 7],
        description="Days of isolation on which a package falls due (0 = its first day).",
    )
    min_days_between: Annotated[int, Field(ge=0, le=90)] = Field(
        3, description="A later package is not due sooner than this after the one before."
    )
    max_wait_days: Annotated[int, Field(ge=0, le=90)] = Field(
        2, description="N: a household due and unserved for more days is flagged."
    )

    @field_validator("deliveries_on_days")
    @classmethod
    def _increasing(cls, v: list[int]) -> list[int]:
        if not v:
            raise ValueError("give at least one day; e.g. [0, 7]")
        if any(b <= a for a, b in zip(v, v[1:], strict=False)):
            raise ValueError("days must increase; e.g. [0, 7]")
        return v

    def isolation_end(self, start: date) -> date:
        """The first day after isolation (nothing is due from then on)."""
        return start + timedelta(days=self.isolation_days)


class CampaignConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)]
    day: str = Field(description="The day template: a scenario file, relative to this file.")
    rules: DeliveryRules = Field(default_factory=DeliveryRules)
    out_dir: str = Field("out", description="Where each day's outputs go (a folder per day).")


def read_config(path: Path) -> CampaignConfig:
    """The campaign file at ``path``; every problem in it as one ``InputError``."""
    shown = path.name
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise InputError(
            [Issue(str(path), "(file)", f"cannot read ({exc.strerror})", "check the path")]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            [
                Issue(
                    shown,
                    "(yaml)",
                    f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                    "check indentation and quoting near this line",
                    row=mark.line + 1 if mark is not None else None,
                )
            ]
        ) from None
    try:
        return CampaignConfig.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            [
                Issue(
                    shown,
                    ".".join(str(p) for p in e["loc"]) or "(file)",
                    str(e["msg"]).removeprefix("Value error, "),
                    "see docs/campaign.md for the campaign file",
                )
                for e in exc.errors(include_url=False)
            ]
        ) from None

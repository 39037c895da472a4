"""The input's smallest parts — time windows, points — and the hubs built from them.

Shared by every model of the scenario (``_scenario.py`` re-exports them).
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._area import OfficerArea
from ._kinds import HubKind, VehicleKind


class Frozen(BaseModel):
    """Frozen, and unknown fields are errors: a typo in a scenario file is never ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def seconds_of_day(t: time) -> int:
    """Seconds since midnight; ``23:59:59`` style ends are kept exact."""
    return t.hour * 3600 + t.minute * 60 + t.second


_WINDOW = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})\s*$")


class TimeWindow(Frozen):
    """A span of the planning day, e.g. ``08:00-12:00``. ``end`` must be after ``start``."""

    start: time
    end: time

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            m = _WINDOW.match(data)
            if not m:
                raise ValueError(f"'{data}' is not a time window; write it as HH:MM-HH:MM")
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            end = time(23, 59, 59) if (h2, m2) == (24, 0) else time(h2, m2)
            return {"start": time(h1, m1), "end": end}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if self.end == self.start:
            raise ValueError(
                f"window {self.start:%H:%M}-{self.end:%H:%M} is empty (it ends when it starts);"
                " give an end time after the start"
            )
        if self.end < self.start:
            raise ValueError(
                f"window {self.start:%H:%M}-{self.end:%H:%M} ends before it starts;"
                " swap the two times"
            )
        return self

    def as_seconds(self) -> tuple[int, int]:
        return seconds_of_day(self.start), seconds_of_day(self.end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


class Location(Frozen):
    """A point: WGS 84 latitude/longitude in degrees (or planar y/x, see Settings)."""

    lat: float
    lon: float


class Hub(Frozen):
    """A place where stock is staged for the day: a Polsek, a kelurahan office, an RW post.

    Trunk vehicles bring stock there from the sources early in the day; officers load
    at the hub once it has arrived. It sits at a base (``base``) or at ``location``.
    Its stock is for the households in ``area``, or, without one, for those nearer to it
    than to any other hub.
    """

    id: Annotated[str, Field(min_length=1, max_length=64)]
    name: str = ""
    kind: HubKind = HubKind.other
    base: str = Field(default="", description="A base it sits at (its location is the base's).")
    location: Location | None = None
    opening_hours: TimeWindow = TimeWindow(start=time(7, 0), end=time(21, 0))
    unloading_minutes: Annotated[float, Field(ge=0, le=240)] = 10.0
    loading_minutes: Annotated[float, Field(ge=0, le=240)] = 3.0
    area: OfficerArea | None = None
    vehicle_kinds: list[VehicleKind] = Field(
        default_factory=list, description="Vehicle kinds that may load here; empty means all."
    )

    @model_validator(mode="after")
    def _placed(self) -> Hub:
        if self.location is None and not self.base:
            raise ValueError("a hub needs a location or the id of the base it sits at")
        return self

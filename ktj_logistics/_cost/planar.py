"""Planar travel: Euclidean distance on plane coordinates (``lat`` = y, ``lon`` = x).

For benchmark instances. ``rounding`` follows the instance's convention — ``nint``
(CVRPLIB: nearest integer) or ``trunc1`` (DIMACS Solomon: truncated to one decimal,
stored ×10). Travel time equals distance, whatever the profile.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np

from .._scenario import Location
from .types import Costs, Profile


class PlanarTravel:
    name = "planar"

    def __init__(self, rounding: Literal["nint", "trunc1", "exact"] = "nint") -> None:
        self.rounding = rounding

    def _round(self, e: np.ndarray) -> np.ndarray:
        out: np.ndarray
        if self.rounding == "nint":
            out = np.floor(e + 0.5).astype(np.int64)
        elif self.rounding == "trunc1":
            out = np.floor(e * 10.0 + 1e-9).astype(np.int64)
        else:
            out = np.rint(e).astype(np.int64)
        return out

    def costs(
        self,
        origins: Sequence[Location],
        destinations: Sequence[Location] | None,
        profiles: Sequence[Profile],
    ) -> list[Costs]:
        a = np.array([[p.lon, p.lat] for p in origins], dtype=np.float64).reshape(-1, 2)
        b = (
            a
            if destinations is None
            else np.array([[p.lon, p.lat] for p in destinations], dtype=np.float64).reshape(-1, 2)
        )
        diff = a[:, None, :] - b[None, :, :]
        d = self._round(np.sqrt(np.sum(diff**2, axis=2)))
        return [Costs(d, d) for _ in profiles]

    def leg(self, a: Location, b: Location, profile: Profile) -> tuple[int, int]:
        e = math.hypot(a.lon - b.lon, a.lat - b.lat)
        d = int(self._round(np.array([e]))[0])
        return d, d

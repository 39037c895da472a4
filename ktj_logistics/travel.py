"""Stage 3 — cost: integer distance and time matrices between points.

``TravelModel`` is the seam where a road network can plug in later. The default,
``GeodesicTravel``, takes the WGS 84 geodesic distance times a detour factor (streets are
not straight lines). It is vectorised: the chord between Earth-centred coordinates on the
ellipsoid, corrected for the arc, matches geopy's geodesic to well under a metre at city
scale (tests check it) while pricing a 2,000-point matrix in milliseconds instead of
minutes. ``leg`` is computed with geopy itself so the verifier checks the solver's numbers
against an independent calculation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np
from geopy.distance import geodesic

from .model import Location

_A = 6_378_137.0  # WGS 84 semi-major axis, metres
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_R_MEAN = 6_371_008.8


class TravelModel(Protocol):
    """Prices travel between points. Distances are integers (metres for WGS 84)."""

    name: str

    def distances(self, points: Sequence[Location]) -> np.ndarray:
        """Square int64 matrix of distances between ``points``."""
        ...

    def durations(self, distances: np.ndarray, speed_kmh: float) -> np.ndarray:
        """Integer seconds to travel ``distances`` at ``speed_kmh``."""
        ...

    def leg(self, a: Location, b: Location, speed_kmh: float) -> tuple[int, int]:
        """(distance, duration) of one leg, computed independently of ``distances``."""
        ...


def _ecef(points: Sequence[Location]) -> np.ndarray:
    lat = np.radians(np.array([p.lat for p in points], dtype=np.float64))
    lon = np.radians(np.array([p.lon for p in points], dtype=np.float64))
    n = _A / np.sqrt(1 - _E2 * np.sin(lat) ** 2)
    x = n * np.cos(lat) * np.cos(lon)
    y = n * np.cos(lat) * np.sin(lon)
    z = n * (1 - _E2) * np.sin(lat)
    return np.stack([x, y, z], axis=1)


def geodesic_matrix_m(points: Sequence[Location]) -> np.ndarray:
    """Float metres between all pairs: ellipsoid chord with an arc correction."""
    xyz = _ecef(points)
    sq = np.sum(xyz**2, axis=1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (xyz @ xyz.T)
    chord = np.sqrt(np.maximum(d2, 0.0))
    # Arc from chord on a sphere of mean radius; the correction is ~3 cm at 30 km.
    arc: np.ndarray = chord * (1.0 + chord**2 / (24.0 * _R_MEAN**2))
    return arc


def seconds_at(distance_m: np.ndarray | float, speed_kmh: float) -> np.ndarray:
    return np.rint(np.asarray(distance_m, dtype=np.float64) * 3.6 / speed_kmh).astype(np.int64)


class GeodesicTravel:
    """Geodesic distance × detour factor; time = distance / average speed."""

    name = "geodesic"

    def __init__(self, detour_factor: float = 1.35) -> None:
        self.detour_factor = detour_factor

    def distances(self, points: Sequence[Location]) -> np.ndarray:
        return np.rint(geodesic_matrix_m(points) * self.detour_factor).astype(np.int64)

    def durations(self, distances: np.ndarray, speed_kmh: float) -> np.ndarray:
        return seconds_at(distances, speed_kmh)

    def leg(self, a: Location, b: Location, speed_kmh: float) -> tuple[int, int]:
        d = round(geodesic((a.lat, a.lon), (b.lat, b.lon)).meters * self.detour_factor)
        return d, round(d * 3.6 / speed_kmh)


class PlanarTravel:
    """Euclidean distance on planar coordinates (``lat`` = y, ``lon`` = x).

    For benchmark instances: ``rounding`` follows the instance's convention — ``nint``
    (CVRPLIB: nearest integer) or ``trunc1`` (DIMACS Solomon: truncated to one decimal,
    stored ×10). Travel time equals distance (one unit per time unit, times ``scale``).
    """

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

    def distances(self, points: Sequence[Location]) -> np.ndarray:
        xy = np.array([[p.lon, p.lat] for p in points], dtype=np.float64)
        diff = xy[:, None, :] - xy[None, :, :]
        return self._round(np.sqrt(np.sum(diff**2, axis=2)))

    def durations(self, distances: np.ndarray, speed_kmh: float) -> np.ndarray:
        return distances.astype(np.int64)

    def leg(self, a: Location, b: Location, speed_kmh: float) -> tuple[int, int]:
        e = math.hypot(a.lon - b.lon, a.lat - b.lat)
        d = int(self._round(np.array([e]))[0])
        return d, d


def travel_for(coordinates: str, detour_factor: float) -> TravelModel:
    """The default travel model for a scenario's coordinate system."""
    if coordinates == "planar":
        return PlanarTravel("nint")
    return GeodesicTravel(detour_factor)

"""Stage 3 — cost: what travel between two points takes, per kind of vehicle.

A ``TravelModel`` prices travel as integer matrices (metres, seconds) for each
``Profile`` — a vehicle kind at a speed — because a road network lets a motorbike take a
gang that a car may not, and keeps motorbikes off the toll roads. ``leg`` prices one
leg on its own; the verifier uses it to check the matrices independently.

Models: ``GeodesicTravel`` (WGS 84 geodesic × detour factor, the default),
``RoadTravel`` (shortest paths on a road network, ``road/``) and ``PlanarTravel``
(Euclidean, for benchmark instances).
"""

from __future__ import annotations

from pathlib import Path

from .._scenario import Settings
from .geodesic import GeodesicTravel, geodesic_matrix_m
from .planar import PlanarTravel
from .types import Costs, LegRoute, Profile, RoutedTravel, TravelModel


def travel_for(settings: Settings, base_dir: Path | None = None) -> TravelModel:
    """The travel model a scenario's settings ask for; a road network file is found
    relative to ``base_dir`` (the scenario's folder)."""
    if settings.coordinates == "planar":
        return PlanarTravel("nint")
    if settings.travel.model == "road":
        from .road import road_travel

        return road_travel(settings.travel, base_dir)
    return GeodesicTravel(settings.detour_factor)


__all__ = [
    "Costs",
    "GeodesicTravel",
    "LegRoute",
    "PlanarTravel",
    "Profile",
    "RoutedTravel",
    "TravelModel",
    "geodesic_matrix_m",
    "travel_for",
]

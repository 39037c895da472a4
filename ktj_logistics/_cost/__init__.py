"""Stage 3 — cost: what travel between two points takes, per kind of vehicle.

A ``TravelModel`` prices travel as integer matrices (metres, seconds) for each
``Profile`` — a vehicle kind at a speed — because a road network lets a motorbike take a
gang that a car may not, and keeps motorbikes off the toll roads. ``leg`` prices one
leg on its own; the verifier uses it to check the matrices independently.

Models: ``GeodesicTravel`` (WGS 84 geodesic × detour factor, the default) and
``PlanarTravel`` (Euclidean, for benchmark instances).
"""

from __future__ import annotations

from .._scenario import Settings
from .geodesic import GeodesicTravel, geodesic_matrix_m
from .planar import PlanarTravel
from .types import Costs, Profile, TravelModel


def travel_for(settings: Settings) -> TravelModel:
    """The travel model a scenario's settings ask for."""
    if settings.coordinates == "planar":
        return PlanarTravel("nint")
    return GeodesicTravel(settings.detour_factor)


__all__ = [
    "Costs",
    "GeodesicTravel",
    "PlanarTravel",
    "Profile",
    "TravelModel",
    "geodesic_matrix_m",
    "travel_for",
]

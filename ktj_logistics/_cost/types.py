"""What a travel model is asked for and what it answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from .._kinds import VehicleKind
from .._scenario import Location


@dataclass(frozen=True, order=True)
class Profile:
    """How one vehicle moves: its kind (which roads it may use) and its average speed."""

    kind: VehicleKind
    speed_kmh: float


@dataclass(frozen=True, eq=False)
class Costs:
    """Integer travel costs from origins (rows) to destinations (columns) for one profile."""

    distance: np.ndarray
    duration: np.ndarray


@runtime_checkable
class TravelModel(Protocol):
    """Prices travel between points. Implementations are deterministic and side-effect free.

    ``costs`` is called with few origins and many destinations (sources → stops), many
    and few (stops → bases) and square sets (one part of a day); an implementation
    should be efficient for all three.
    """

    name: str

    def costs(
        self,
        origins: Sequence[Location],
        destinations: Sequence[Location] | None,
        profiles: Sequence[Profile],
    ) -> list[Costs]:
        """Per profile, int64 matrices origins × destinations (``None``: the origins)."""
        ...

    def leg(self, a: Location, b: Location, profile: Profile) -> tuple[int, int]:
        """(distance, duration) of one leg, computed independently of ``costs``."""
        ...


@dataclass(frozen=True)
class LegRoute:
    """How a leg runs on the ground: its shape, the main roads, and the access legs.

    ``path`` is (lat, lon) from the start to the end point; ``roads`` names the roads
    carrying most of it, in order; ``access_from_m``/``access_to_m`` are the straight
    stretches between each end point and the road it was attached to.
    """

    path: tuple[tuple[float, float], ...]
    roads: tuple[str, ...]
    access_from_m: int
    access_to_m: int


@runtime_checkable
class RoutedTravel(Protocol):
    """A travel model that knows where its legs run (a road network does)."""

    def route(self, a: Location, b: Location, profile: Profile) -> LegRoute:
        """The shape and main roads of the leg from ``a`` to ``b``."""
        ...

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

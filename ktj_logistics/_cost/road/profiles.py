"""Which streets each kind of vehicle may use, and how fast it goes on each class of road.

One table says both: a road class missing from a kind's row is closed to that kind.
Speeds are km/h of daytime Jakarta traffic (assumptions, overridable per scenario in
``settings.travel.speeds``):

=============  =========  ====  ====  =======
class          motorbike  car   van   on_foot
=============  =========  ====  ====  =======
motorway (toll)     —      50    45      —
trunk              30      28    25     4.5
primary            25      20    18     4.5
secondary          23      18    16     4.5
tertiary           21      17    15     4.5
unclassified/road  18      15    13     4.5
residential        18      14    12     4.5
living_street      12      10     8     4.5
service            12      10     8     4.5
track/path         10       —     —     4.5
footway/pedestrian 10       —     —     4.5
steps               —       —     —     3.0
=============  =========  ====  ====  =======

``*_link`` ramps count as their road (a motorbike may not take a toll ramp). Cars and
vans also keep out of alleys (*gang*: ``service=alley`` or a name starting Gang/Gg.).
Walkers ignore one-way rules; vehicles keep to them. A street tagged with several
classes (merged by simplification) is open only if all are, at the slowest one's speed.

A kind without a row of its own (a new ``VehicleKind``) moves like a car. A vehicle's own
``speed_kmh`` scales its kind's road speeds by ``speed_kmh / its kind's default speed``.

The *access leg* — from a point to the road it is snapped to — is priced at a slow
speed: a motorbike rides an unmapped gang at 10 km/h; from a car or van the officer
walks (5 km/h); a walker walks (4.5 km/h).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..._scenario import DEFAULT_SPEED_KMH
from .network import RoadNetwork

_FOOT = 4.5
_WALKABLE = (
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "road",
    "residential",
    "living_street",
    "service",
    "track",
    "path",
    "footway",
    "pedestrian",
    "cycleway",
    "bridleway",
)
ROAD_SPEEDS_KMH: dict[str, dict[str, float]] = {
    "motorbike": {
        "trunk": 30,
        "primary": 25,
        "secondary": 23,
        "tertiary": 21,
        "unclassified": 18,
        "road": 18,
        "residential": 18,
        "living_street": 12,
        "service": 12,
        "track": 10,
        "path": 10,
        "footway": 10,
        "pedestrian": 10,
        "cycleway": 10,
    },
    "car": {
        "motorway": 50,
        "trunk": 28,
        "primary": 20,
        "secondary": 18,
        "tertiary": 17,
        "unclassified": 15,
        "road": 15,
        "residential": 14,
        "living_street": 10,
        "service": 10,
    },
    "van": {
        "motorway": 45,
        "trunk": 25,
        "primary": 18,
        "secondary": 16,
        "tertiary": 15,
        "unclassified": 13,
        "road": 13,
        "residential": 12,
        "living_street": 8,
        "service": 8,
    },
    "on_foot": {
        **dict.fromkeys(_WALKABLE, _FOOT),
        "steps": 3.0,
    },
}
"""km/h per kind and road class; a class missing from a kind's row is closed to it."""

ACCESS_SPEED_KMH: dict[str, float] = {"motorbike": 10.0, "car": 5.0, "van": 5.0, "on_foot": _FOOT}
"""Speed of the access leg between a point and its road."""

NO_ALLEYS = frozenset({"car", "van", "truck"})
"""Kinds that do not fit a gang."""

NOT_A_STOPPING_PLACE = frozenset({"motorway"})
"""Classes nobody is snapped to: no household is delivered from a toll road."""

FALLBACK_KIND = "car"


def road_class(value: str) -> str:
    """``primary_link`` → ``primary``: a ramp follows its road's rules."""
    return value.removesuffix("_link")


@dataclass(frozen=True)
class KindRules:
    """How one kind of vehicle moves on the network."""

    kind: str
    speeds_kmh: Mapping[str, float]
    access_kmh: float
    avoids_alleys: bool
    ignores_oneway: bool

    def fingerprint(self) -> str:
        """Everything that changes this kind's travel costs, as text (for cache keys)."""
        speeds = ",".join(f"{k}={v:g}" for k, v in sorted(self.speeds_kmh.items()))
        return (
            f"{self.kind};{speeds};access={self.access_kmh:g};"
            f"alleys={not self.avoids_alleys};oneway={not self.ignores_oneway}"
        )

    def street_speeds(self, net: RoadNetwork) -> np.ndarray:
        """km/h on each street, 0 where this kind may not go."""
        per_key = np.zeros(len(net.class_keys), dtype=np.float64)
        for i, classes in enumerate(net.class_keys):
            found = [self.speeds_kmh.get(road_class(c)) for c in classes]
            if found and all(v is not None and v > 0 for v in found):
                per_key[i] = min(v for v in found if v is not None)
        speed: np.ndarray = per_key[net.class_key]
        if self.avoids_alleys:
            speed = np.where(net.alley, 0.0, speed)
        return speed

    def stopping_places(self, net: RoadNetwork) -> np.ndarray:
        """Streets a point may be snapped to (toll roads are not)."""
        ok = np.array(
            [not any(road_class(c) in NOT_A_STOPPING_PLACE for c in k) for k in net.class_keys],
            dtype=bool,
        )
        out: np.ndarray = ok[net.class_key]
        return out


def kind_rules(
    kind: str,
    speeds: Mapping[str, Mapping[str, float]] | None = None,
    access: Mapping[str, float] | None = None,
) -> KindRules:
    """The rules of ``kind``: the default row with the scenario's overrides on top."""
    row = dict(ROAD_SPEEDS_KMH.get(kind, ROAD_SPEEDS_KMH[FALLBACK_KIND]))
    row.update((speeds or {}).get(kind, {}))
    walk = kind == "on_foot"
    return KindRules(
        kind=kind,
        speeds_kmh=row,
        access_kmh=float(
            (access or {}).get(kind, ACCESS_SPEED_KMH.get(kind, ACCESS_SPEED_KMH["car"]))
        ),
        avoids_alleys=kind in NO_ALLEYS,
        ignores_oneway=walk,
    )


def time_scale(kind: str, speed_kmh: float) -> float:
    """Factor on road times for a vehicle of ``kind`` whose own speed is ``speed_kmh``."""
    for k, default in DEFAULT_SPEED_KMH.items():
        if k.value == kind:
            return default / speed_kmh
    return 1.0

"""``RoadTravel``: shortest paths on a road network, per kind of vehicle.

Each point is snapped to the nearest street its vehicle kind may use (``snap.py``); its
*access leg* — the straight line from the point to that road, at the kind's slow access
speed — is added to every leg from or to it. Two points at exactly the same place are
0 apart. Matrices come from ``matrix.py`` (scipy), single legs from ``legs.py``
(networkx); both price streets the same way (``graph.py``), so they agree to the metre
and second, and the verifier's leg-by-leg check catches a matrix that does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..._scenario import Location
from ..types import Costs, LegRoute, Profile
from .cache import MatrixCache, cache_key
from .graph import KindGraph
from .legs import LegFinder
from .matrix import Points, metres, price, seconds
from .network import RoadNetwork
from .profiles import kind_rules, time_scale
from .shapes import leg_shape, main_roads
from .snap import Snap, Snapper

MODEL_VERSION = "road-1"
"""Part of every cache key: bump when prices change meaning."""

KEEP_ROUTES = 20_000
"""Leg shapes kept per kind (the map, GeoJSON and sheets draw the same legs)."""

SNAP_LIMIT_M = 500.0
"""A point farther than this from any road its vehicles may use is worth a warning."""


@dataclass(frozen=True)
class FarPoint:
    """A point farther from usable roads than the snapping limit."""

    index: int
    distance_m: int
    kinds: tuple[str, ...]


class _Kind:
    """Everything one vehicle kind needs, built on first use."""

    def __init__(self, graph: KindGraph) -> None:
        self.graph = graph
        self.snapper = Snapper(graph)
        self.snaps: dict[tuple[float, float], Snap] = {}
        self.routes: dict[tuple[float, float, float, float], LegRoute] = {}
        self._legs: LegFinder | None = None

    def snap(self, points: Sequence[Location]) -> list[Snap]:
        missing = list({(p.lat, p.lon) for p in points if (p.lat, p.lon) not in self.snaps})
        found = self.snapper.snap([Location(lat=a, lon=b) for a, b in missing])
        self.snaps.update(zip(missing, found, strict=True))
        return [self.snaps[(p.lat, p.lon)] for p in points]

    @property
    def legs(self) -> LegFinder:
        if self._legs is None:
            self._legs = LegFinder(self.graph)
        return self._legs

    def access_ms(self, access_dm: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.rint(access_dm * 360.0 / self.graph.rules.access_kmh).astype(np.int64)
        return out


class RoadTravel:
    """Travel on a road network; see the module docstring and ``docs/roads.md``."""

    name = "road"

    def __init__(
        self,
        network: RoadNetwork,
        speeds: Mapping[str, Mapping[str, float]] | None = None,
        access_kmh: Mapping[str, float] | None = None,
        snap_limit_m: float = SNAP_LIMIT_M,
        cache_dir: Path | None = None,
    ) -> None:
        self.network = network
        self.speeds = {k: dict(v) for k, v in (speeds or {}).items()}
        self.access_kmh = dict(access_kmh or {})
        self.snap_limit_m = snap_limit_m
        self.cache = MatrixCache(cache_dir)
        self._kinds: dict[str, _Kind] = {}

    def _kind(self, kind: str) -> _Kind:
        if kind not in self._kinds:
            rules = kind_rules(kind, self.speeds, self.access_kmh)
            self._kinds[kind] = _Kind(KindGraph(self.network, rules))
        return self._kinds[kind]

    def snaps(self, points: Sequence[Location], kind: str) -> list[Snap]:
        """Where each point joins the roads ``kind`` may use."""
        return self._kind(kind).snap(points)

    def far_points(self, points: Sequence[Location], kinds: Sequence[str]) -> list[FarPoint]:
        """Points farther than the snapping limit from a road of one of ``kinds``."""
        far: dict[int, FarPoint] = {}
        for kind in sorted(set(kinds)):
            for i, s in enumerate(self.snaps(points, kind)):
                d = round(s.access_dm / 10)
                if d > self.snap_limit_m:
                    old = far.get(i)
                    far[i] = FarPoint(
                        i, max(d, old.distance_m if old else 0), (*(old.kinds if old else ()), kind)
                    )
        return [far[i] for i in sorted(far)]

    def _points(
        self, k: _Kind, points: Sequence[Location], place: dict[tuple[float, float], int]
    ) -> Points:
        snaps = k.snap(points)
        dm = np.array([s.access_dm for s in snaps], dtype=np.int64)
        ids = np.array([place.setdefault((p.lat, p.lon), len(place)) for p in points], np.int64)
        return Points(snaps, k.access_ms(dm), dm, ids)

    def costs(
        self,
        origins: Sequence[Location],
        destinations: Sequence[Location] | None,
        profiles: Sequence[Profile],
    ) -> list[Costs]:
        to = origins if destinations is None else destinations
        coords_o = np.array([(p.lat, p.lon) for p in origins], dtype=np.float64).tobytes()
        coords_d = (
            b"square"
            if destinations is None
            else np.array([(p.lat, p.lon) for p in to], dtype=np.float64).tobytes()
        )
        found: dict[Profile, Costs] = {}
        for kind in sorted({p.kind.value for p in profiles}):
            k = self._kind(kind)
            keys = {
                p: cache_key(
                    MODEL_VERSION,
                    self.network.digest,
                    k.graph.rules.fingerprint(),
                    repr(time_scale(kind, p.speed_kmh)),
                    coords_o,
                    coords_d,
                )
                for p in profiles
                if p.kind.value == kind
            }
            missing = []
            for p, key in keys.items():
                kept = self.cache.get(key, (len(origins), len(to)))
                if kept is None:
                    missing.append(p)
                else:
                    found[p] = Costs(*kept)
            if not missing:
                continue
            place: dict[tuple[float, float], int] = {}
            a = self._points(k, origins, place)
            b = a if destinations is None else self._points(k, to, place)
            scales = [time_scale(kind, p.speed_kmh) for p in missing]
            distance, durations = price(k.graph, a, b, scales)
            for p, duration in zip(missing, durations, strict=True):
                found[p] = Costs(distance, duration)
                self.cache.put(keys[p], distance, duration)
        return [found[p] for p in profiles]

    def _leg(
        self, a: Location, b: Location, profile: Profile
    ) -> tuple[int, int, Snap, Snap, _Kind]:
        k = self._kind(profile.kind.value)
        sa, sb = k.snap([a, b])
        found = k.legs.leg(sa, sb)
        acc = k.access_ms(np.array([sa.access_dm, sb.access_dm], dtype=np.int64))
        total_ms = int(acc[0]) + found.ms + int(acc[1])
        total_dm = sa.access_dm + found.dm + sb.access_dm
        return total_ms, total_dm, sa, sb, k

    def leg(self, a: Location, b: Location, profile: Profile) -> tuple[int, int]:
        if (a.lat, a.lon) == (b.lat, b.lon):
            return 0, 0
        total_ms, total_dm, *_ = self._leg(a, b, profile)
        scale = time_scale(profile.kind.value, profile.speed_kmh)
        return int(metres(np.array(total_dm))), int(seconds(np.array(total_ms), scale))

    def route(self, a: Location, b: Location, profile: Profile) -> LegRoute:
        """The leg's shape on the map, its main roads and both access legs."""
        if (a.lat, a.lon) == (b.lat, b.lon):
            return LegRoute(((a.lat, a.lon),), (), 0, 0)
        k = self._kind(profile.kind.value)
        key = (a.lat, a.lon, b.lat, b.lon)
        if key not in k.routes:
            sa, sb = k.snap([a, b])
            found = k.legs.leg(sa, sb)
            ends = (
                (a.lat, a.lon),
                (sa.road_lat, sa.road_lon),
                (sb.road_lat, sb.road_lon),
                (b.lat, b.lon),
            )
            shape = leg_shape(self.network, found.hops, k.graph.length_dm, ends)
            roads = main_roads(self.network, found.hops)
            if len(k.routes) >= KEEP_ROUTES:
                k.routes.pop(next(iter(k.routes)))
            k.routes[key] = LegRoute(
                tuple(shape), roads, round(sa.access_dm / 10), round(sb.access_dm / 10)
            )
        return k.routes[key]

"""The shape of a leg on the map, and the names of the roads it mostly follows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .legs import Hop
from .network import EARTH_RADIUS_M, RoadNetwork

MAIN_ROAD_SHARE = 0.25
"""A road is named on a sheet when it carries at least this share of a leg…"""
MAIN_ROAD_M = 400.0
"""…or at least this many metres of it."""
MAX_ROADS = 3


def _cumulative(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    p = np.radians(lat)
    dl = np.radians(np.diff(lon))
    dp = np.diff(p)
    h = np.sin(dp / 2) ** 2 + np.cos(p[:-1]) * np.cos(p[1:]) * np.sin(dl / 2) ** 2
    seg = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    return np.concatenate([[0.0], np.cumsum(seg)])


def hop_shape(net: RoadNetwork, hop: Hop, length_dm: int) -> list[tuple[float, float]]:
    """(lat, lon) points of ``hop``, in the direction travelled."""
    lat, lon = net.shape_of(hop.street)
    cum = _cumulative(lat, lon)
    total = float(cum[-1])
    lo, hi = sorted((hop.o1, hop.o2))
    a, b = total * lo / length_dm, total * hi / length_dm
    inside = np.flatnonzero((cum > a) & (cum < b))
    pts = [(float(np.interp(a, cum, lat)), float(np.interp(a, cum, lon)))]
    pts += [(float(lat[i]), float(lon[i])) for i in inside]
    pts.append((float(np.interp(b, cum, lat)), float(np.interp(b, cum, lon))))
    return pts if hop.o1 <= hop.o2 else pts[::-1]


def leg_shape(
    net: RoadNetwork,
    hops: Sequence[Hop],
    length_dm: np.ndarray,
    ends: tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]],
) -> list[tuple[float, float]]:
    """From the first point, to its road, along the hops, off the road to the last point.

    ``ends``: the leg's start, its road point, the end's road point, the end.
    """
    start, road_a, road_b, end = ends
    pts = [start, road_a]
    for hop in hops:
        pts.extend(hop_shape(net, hop, int(length_dm[hop.street])))
    pts += [road_b, end]
    out: list[tuple[float, float]] = []
    for p in pts:
        q = (round(p[0], 6), round(p[1], 6))
        if not out or out[-1] != q:
            out.append(q)
    return out


def road_label(name: str) -> str:
    """``Fatmawati`` → ``Jl. Fatmawati``; names that already say Jl./Gang stay."""
    low = name.lower()
    return name if low.startswith(("jl", "jalan", "gang", "gg", "tol")) else f"Jl. {name}"


def main_roads(net: RoadNetwork, hops: Sequence[Hop]) -> tuple[str, ...]:
    """Names of the roads carrying most of a leg, in the order they are reached."""
    metres: dict[str, float] = {}
    for hop in hops:
        name = net.name[hop.street].strip()
        if name and "?" not in name:
            metres[name] = metres.get(name, 0.0) + abs(hop.o2 - hop.o1) / 10.0
    total = sum(abs(h.o2 - h.o1) for h in hops) / 10.0
    main = [
        n for n, m in metres.items() if m >= MAIN_ROAD_M or (total and m / total >= MAIN_ROAD_SHARE)
    ]
    main.sort(key=lambda n: -metres[n])
    chosen = set(main[:MAX_ROADS])
    return tuple(road_label(n) for n in metres if n in chosen)

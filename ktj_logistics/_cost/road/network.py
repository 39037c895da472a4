"""A road network as arrays: junctions, and streets between them with their geometry.

A *street* is one piece of road between two junctions with one shape; the directions it
may be driven are flags (``forward`` along the shape, ``backward`` against it), so a
two-way road that OSM tools store as two directed edges is one street here. Profiles
(``profiles.py``) decide which streets and directions each vehicle kind may use.

Read from GraphML (as written by osmnx or networkx, ``.gz`` too) with networkx here, or
from OSM XML with ``osmxml.py``; ``store.py`` picks the reader and keeps the arrays.
"""

from __future__ import annotations

import ast
import bz2
import gzip
import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import numpy as np

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True, eq=False)
class Street:
    """One street as the readers produce it (before it becomes arrays)."""

    start: int  # junction index
    end: int
    length_m: float
    classes: tuple[str, ...]  # OSM highway values, e.g. ("residential",)
    name: str
    forward: bool
    backward: bool
    alley: bool  # a gang: OSM service=alley, or a name starting Gang/Gg.
    shape: tuple[tuple[float, float], ...]  # (lat, lon) from start to end, ends included


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """Junctions and streets of one network file, with the file's content hash."""

    digest: str
    lat: np.ndarray  # per junction
    lon: np.ndarray
    start: np.ndarray  # per street: junction at the start of its shape
    end: np.ndarray
    length_m: np.ndarray
    class_key: np.ndarray  # per street: index into class_keys
    class_keys: tuple[tuple[str, ...], ...]
    name: tuple[str, ...]
    forward: np.ndarray  # bool: may be travelled along its shape
    backward: np.ndarray
    alley: np.ndarray
    shape_start: np.ndarray  # per street: first row of its shape in shape_lat/shape_lon
    shape_lat: np.ndarray
    shape_lon: np.ndarray

    @property
    def junctions(self) -> int:
        return int(self.lat.size)

    @property
    def streets(self) -> int:
        return int(self.start.size)

    def shape_of(self, street: int) -> tuple[np.ndarray, np.ndarray]:
        """(lat, lon) of a street's shape, from its start junction to its end."""
        a, b = int(self.shape_start[street]), int(self.shape_start[street + 1])
        return self.shape_lat[a:b], self.shape_lon[a:b]


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def open_text(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it ends in ``.gz`` or ``.bz2``."""
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    if path.suffix == ".bz2":
        return bz2.open(path, "rb")
    return path.open("rb")


def network_kind(path: Path) -> str:
    """``graphml`` or ``osm``, from the file name (compression suffixes ignored)."""
    name = path.name.lower().removesuffix(".gz").removesuffix(".bz2")
    if name.endswith(".graphml"):
        return "graphml"
    if name.endswith((".osm", ".xml")):
        return "osm"
    raise ValueError(
        f"{path.name}: not a road network this reader knows (.graphml or .osm, "
        "optionally .gz/.bz2); convert .osm.pbf with `osmium cat FILE.osm.pbf -o FILE.osm`"
    )


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def is_alley_name(name: str) -> bool:
    """Indonesian alleys are named ``Gang …`` or ``Gg. …``."""
    low = name.strip().lower()
    return low.startswith(("gg.", "gg ", "gang "))


def build(
    digest: str, lat: Sequence[float], lon: Sequence[float], streets: list[Street]
) -> RoadNetwork:
    """Arrays from the readers' junctions and streets."""
    keys: dict[tuple[str, ...], int] = {}
    offsets = [0]
    shape_lat: list[float] = []
    shape_lon: list[float] = []
    for s in streets:
        keys.setdefault(s.classes, len(keys))
        shape_lat.extend(p[0] for p in s.shape)
        shape_lon.extend(p[1] for p in s.shape)
        offsets.append(len(shape_lat))
    return RoadNetwork(
        digest=digest,
        lat=np.asarray(lat, dtype=np.float64),
        lon=np.asarray(lon, dtype=np.float64),
        start=np.array([s.start for s in streets], dtype=np.int64),
        end=np.array([s.end for s in streets], dtype=np.int64),
        length_m=np.array([max(s.length_m, 0.1) for s in streets], dtype=np.float64),
        class_key=np.array([keys[s.classes] for s in streets], dtype=np.int64),
        class_keys=tuple(keys),
        name=tuple(s.name for s in streets),
        forward=np.array([s.forward for s in streets], dtype=bool),
        backward=np.array([s.backward for s in streets], dtype=bool),
        alley=np.array([s.alley for s in streets], dtype=bool),
        shape_start=np.array(offsets, dtype=np.int64),
        shape_lat=np.array(shape_lat, dtype=np.float64),
        shape_lon=np.array(shape_lon, dtype=np.float64),
    )


# --- GraphML (osmnx's layout: node x/y, edge highway/name/oneway/length/geometry) -------


def _listish(value: Any) -> list[str]:
    """osmnx writes merged attributes as a Python list literal: ``"['a', 'b']"``."""
    if value is None:
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return [text]
        return [str(x) for x in parsed] if isinstance(parsed, list) else [str(parsed)]
    return [text] if text else []


def _wkt_line(text: str) -> list[tuple[float, float]]:
    """(lat, lon) points of a ``LINESTRING (lon lat, …)``."""
    inner = text[text.index("(") + 1 : text.rindex(")")]
    out = []
    for pair in inner.split(","):
        x, y = pair.split()
        out.append((float(y), float(x)))
    return out


def _graphml_edges(
    graph: Any, index: dict[Any, int], lat: list[float], lon: list[float]
) -> Iterator[tuple[int, int, dict[str, Any], list[tuple[float, float]]]]:
    for u, v, data in graph.edges(data=True):
        a, b = index[u], index[v]
        geometry = data.get("geometry")
        shape = _wkt_line(str(geometry)) if geometry else [(lat[a], lon[a]), (lat[b], lon[b])]
        yield a, b, data, shape


def read_graphml(path: Path, digest: str) -> RoadNetwork:
    """Streets of a GraphML road graph; the two directed edges of a two-way road (same
    shape, reversed) become one street travelled both ways."""
    import networkx as nx

    with open_text(path) as f:
        graph = nx.read_graphml(f)
    index: dict[Any, int] = {}
    lat: list[float] = []
    lon: list[float] = []
    for node, data in graph.nodes(data=True):
        index[node] = len(lat)
        lat.append(float(data["y"]))
        lon.append(float(data["x"]))
    streets: dict[tuple[Any, ...], dict[str, Any]] = {}
    for a, b, data, shape in _graphml_edges(graph, index, lat, lon):
        canonical = shape if (a, shape[0]) <= (b, shape[-1]) else shape[::-1]
        first, last = (a, b) if canonical is shape else (b, a)
        key = (first, last, tuple((round(p[0], 7), round(p[1], 7)) for p in canonical))
        names = _listish(data.get("name"))
        entry = streets.setdefault(
            key,
            {
                "start": first,
                "end": last,
                "length": float(data.get("length") or 0.0),
                "classes": tuple(sorted(set(_listish(data.get("highway"))))),
                "name": names[0] if names else "",
                "alley": "alley" in _listish(data.get("service"))
                or any(is_alley_name(n) for n in names),
                "shape": tuple(canonical),
                "forward": False,
                "backward": False,
            },
        )
        entry["forward" if canonical is shape else "backward"] = True
    out = [
        Street(
            start=e["start"],
            end=e["end"],
            length_m=e["length"] or _shape_length(e["shape"]),
            classes=e["classes"] or ("road",),
            name=e["name"],
            forward=e["forward"],
            backward=e["backward"],
            alley=e["alley"],
            shape=e["shape"],
        )
        for e in streets.values()
    ]
    return build(digest, lat, lon, out)


def _shape_length(shape: Sequence[tuple[float, float]]) -> float:
    return sum(haversine_m(*p, *q) for p, q in zip(shape, shape[1:], strict=False))


def shape_length(shape: Sequence[tuple[float, float]]) -> float:
    """Metres along a (lat, lon) polyline."""
    return _shape_length(shape)

"""Reading a network file once: the parsed arrays are kept in the cache folder.

Parsing takes about a second for South Jakarta (GraphML through networkx); the kept
arrays load in a few milliseconds. The key is the file's content hash, so an edited
network is read again. Written to a temporary file and renamed, like the matrices.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from .network import RoadNetwork, file_digest, network_kind, read_graphml
from .osmxml import read_osm_xml

FORMAT_VERSION = "1"
"""Bumped when the kept arrays change meaning."""

_ARRAYS = (
    "lat",
    "lon",
    "start",
    "end",
    "length_m",
    "class_key",
    "forward",
    "backward",
    "alley",
    "shape_start",
    "shape_lat",
    "shape_lon",
)


def _save(net: RoadNetwork, path: Path) -> None:
    arrays = {name: getattr(net, name) for name in _ARRAYS}
    arrays["names"] = np.array(net.name, dtype=np.str_)
    arrays["class_keys"] = np.array(["|".join(k) for k in net.class_keys], dtype=np.str_)
    fd, tmp = tempfile.mkstemp(prefix=".network-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _restore(digest: str, path: Path) -> RoadNetwork:
    with np.load(path, allow_pickle=False) as z:
        return RoadNetwork(
            digest=digest,
            lat=z["lat"],
            lon=z["lon"],
            start=z["start"],
            end=z["end"],
            length_m=z["length_m"],
            class_key=z["class_key"],
            class_keys=tuple(tuple(str(k).split("|")) for k in z["class_keys"]),
            name=tuple(str(n) for n in z["names"]),
            forward=z["forward"],
            backward=z["backward"],
            alley=z["alley"],
            shape_start=z["shape_start"],
            shape_lat=z["shape_lat"],
            shape_lon=z["shape_lon"],
        )


def read_network(path: Path, cache_dir: Path | None = None) -> RoadNetwork:
    """The network in ``path``; parsed once per content and kept in ``cache_dir``."""
    digest = file_digest(path)
    kept = cache_dir / f"network-{FORMAT_VERSION}-{digest[:32]}.npz" if cache_dir else None
    if kept is not None and kept.exists():
        try:
            return _restore(digest, kept)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache file is rebuilt below
    if network_kind(path) == "graphml":
        net = read_graphml(path, digest)
    else:
        net = read_osm_xml(path, digest)
    if kept is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            _save(net, kept)
        except OSError:
            pass  # no cache folder: read the file again next time
    return net

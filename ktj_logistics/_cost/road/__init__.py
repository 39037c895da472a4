"""Travel on a road network (OpenStreetMap), per kind of vehicle: see ``docs/roads.md``.

``road_travel(settings.travel, base_dir)`` builds the model a scenario asks for. Parsed
networks are shared within a process (keyed by file content), so the loader's checks,
the planner, the verifier and the exporters read a network once.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..._scenario import TravelSettings
from .cache import default_cache_dir
from .network import RoadNetwork, file_digest
from .profiles import ACCESS_SPEED_KMH, ROAD_SPEEDS_KMH
from .store import read_network
from .travel import SNAP_LIMIT_M, FarPoint, RoadTravel

_networks: dict[tuple[str, int, int], RoadNetwork] = {}
_lock = threading.Lock()


def load_network(path: Path, cache_dir: Path | None = None) -> RoadNetwork:
    """The network in ``path``, read once per process while the file is unchanged."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    with _lock:
        if key not in _networks:
            if len(_networks) >= 4:
                _networks.pop(next(iter(_networks)))
            _networks[key] = read_network(path, cache_dir)
        return _networks[key]


def network_path(settings: TravelSettings, base_dir: Path | None) -> Path:
    """The network file, relative to the scenario's folder (or the working folder)."""
    assert settings.network is not None
    return (base_dir or Path.cwd()) / settings.network


def road_travel(settings: TravelSettings, base_dir: Path | None) -> RoadTravel:
    """The road model of a scenario's travel settings (raises OSError, ValueError)."""
    cache_dir = default_cache_dir()
    net = load_network(network_path(settings, base_dir), cache_dir)
    return RoadTravel(
        net,
        speeds={k.value: v for k, v in settings.speeds.items()},
        access_kmh={k.value: v for k, v in settings.access_kmh.items()},
        snap_limit_m=settings.snap_limit_m,
        cache_dir=cache_dir,
    )


__all__ = [
    "ACCESS_SPEED_KMH",
    "ROAD_SPEEDS_KMH",
    "SNAP_LIMIT_M",
    "FarPoint",
    "RoadNetwork",
    "RoadTravel",
    "file_digest",
    "load_network",
    "network_path",
    "road_travel",
]

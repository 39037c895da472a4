"""Plugins installed as distributions (the ``ktj_logistics`` entry-point group), read
once for as long as what is installed stays the same.

Every ``load`` and every ``plan`` builds a plugin host, and finding the entry points
reads the metadata of every installed distribution: about 10 ms per host with the test
dependencies installed, which was most of the time of a small day's ``load``. The list
is read again when the import path changes or a folder on it is modified — installing
or removing a distribution adds or removes a folder (its ``.dist-info``) there.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType

from .hookspecs import PROJECT

BUILTIN_PACKAGE = "ktj_plugins"


@dataclass(frozen=True)
class Candidate:
    """A plugin that could be registered; ``load`` imports it (not done by finding it)."""

    name: str
    load: Callable[[], ModuleType]
    version: str
    source: str  # "built-in", "entry point (<dist>)", or a file path
    builtin: bool
    default_on: bool


Installed = tuple[tuple[str, int], ...]
"""Each import path entry with its modification time (-1 where it cannot be read)."""

_lock = threading.Lock()
_last: tuple[Installed, tuple[Candidate, ...]] | None = None


def _installed() -> Installed:
    state = []
    for entry in sys.path:
        try:
            state.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            state.append((entry, -1))
    return tuple(state)


def _read() -> tuple[Candidate, ...]:
    out: list[Candidate] = []
    for ep in entry_points(group=PROJECT):
        dist = ep.dist
        version = dist.version if dist is not None else "?"
        builtin = ep.value.split(":")[0].startswith(BUILTIN_PACKAGE + ".")
        source = "built-in" if builtin else f"entry point ({dist.name if dist else '?'})"
        out.append(Candidate(ep.name, ep.load, version, source, builtin, default_on=builtin))
    # Built-ins first, so third-party plugins (registered later, asked earlier) can
    # override them; sorted so the order does not depend on installation order.
    return tuple(sorted(out, key=lambda c: (not c.builtin, c.name)))


def entry_point_plugins() -> list[Candidate]:
    """The installed plugins, built-ins first, then by name."""
    global _last
    state = _installed()
    with _lock:
        if _last is None or _last[0] != state:
            _last = (state, _read())
        return list(_last[1])

"""A package's public names, imported on first use (PEP 562).

Importing a package runs its ``__init__``, and importing any module inside it does too:
an ``__init__`` that imports its whole API made every ``ktj-route`` command load numpy,
geopy and the engine before reading its first argument. A package whose ``__init__``
calls ``lazy_exports`` imports each name from its module the first time it is used.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, where: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``; ``where`` maps each module (a
    relative name, as in ``from .module import ...``) to its names, space-separated."""
    module_of = {name: module for module, names in where.items() for name in names.split()}
    namespace = sys.modules[package].__dict__

    def getattr_(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value  # the next use is a plain lookup
        return value

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(module_of))

    return getattr_, dir_

"""The bundled South Jakarta day's generator, loaded for the benchmarks that build days
of other sizes with it (it is a script in ``scenarios/``, not part of the package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

GENERATOR = Path(__file__).resolve().parent.parent / "scenarios" / "jakarta-selatan" / "generate.py"


def load_generator() -> ModuleType:
    """``scenarios/jakarta-selatan/generate.py`` as a module (loaded once)."""
    if "jaksel_generate" in sys.modules:
        return sys.modules["jaksel_generate"]
    spec = importlib.util.spec_from_file_location("jaksel_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module

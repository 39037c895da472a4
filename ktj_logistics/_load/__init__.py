"""Stage 1 — load: scenario files (YAML, CSV, or a plugin's format) → a validated
``Scenario``, with every input problem reported at once."""

from .loader import Loaded, load, load_scenario

__all__ = ["Loaded", "load", "load_scenario"]

"""Times of the planning day as people read them: one formatter for every output."""

from __future__ import annotations


def hhmm(seconds: int | None) -> str:
    """``HH:MM`` of seconds since midnight (``""`` for None)."""
    if seconds is None:
        return ""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def minutes(seconds: int) -> str:
    """A short span as ``12 min`` or ``12 min 30 s``."""
    return f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")

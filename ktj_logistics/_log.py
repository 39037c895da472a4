"""The package logger, and how stages report their time.

Embedding apps tune or silence ``logging.getLogger("ktj_logistics")``; the CLI shows it
with ``--verbose``. Records carry counts, ids of vehicles and sources, and timings —
never a household's name, phone, address or notes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger("ktj_logistics")


@contextmanager
def stage(name: str, timings: dict[str, float]) -> Iterator[None]:
    """Time the ``with`` block as stage ``name``, log it, and add it to ``timings``."""
    t0 = time.monotonic()
    logger.debug("%s: start", name)
    try:
        yield
    finally:
        took = time.monotonic() - t0
        timings[name] = timings.get(name, 0.0) + took
        logger.info("%s: %.2f s", name, took)

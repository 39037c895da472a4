"""No source gives out more than it holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._scenario import Scenario
from .violation import Violation

if TYPE_CHECKING:
    from .routes import Trace


def stock(scenario: Scenario, trace: Trace) -> list[Violation]:
    out: list[Violation] = []
    sources = scenario.source_by_id()
    for sid, used in trace.loaded.items():
        held = sources[sid].stock
        for item, n in used.items():
            if n > held.get(item, 0):
                out.append(
                    Violation(
                        "stock", f"{n} × {item} loaded at {sid}, which holds {held.get(item, 0)}"
                    )
                )
    return out

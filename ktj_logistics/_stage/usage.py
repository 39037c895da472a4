"""What each hub received, gave out and kept, counted from the plan's own stops."""

from __future__ import annotations

from collections import Counter

from .._plan import HubUsage, Plan, StopKind
from .._scenario import Scenario


def hub_usage(plan: Plan, scenario: Scenario) -> list[HubUsage]:
    """One ``HubUsage`` per hub of the scenario (none when it has no hubs)."""
    out = []
    for hub in scenario.hubs:
        received: Counter[str] = Counter()
        loaded: Counter[str] = Counter()
        arrivals: list[int] = []
        for r in plan.routes:
            for s in r.stops:
                if s.place_id != hub.id:
                    continue
                if s.kind == StopKind.unload:
                    received.update(s.items)
                    arrivals.append(s.departure_s)
                elif s.kind == StopKind.load:
                    loaded.update(s.items)
        out.append(
            HubUsage(
                hub_id=hub.id,
                received=dict(sorted(received.items())),
                loaded=dict(sorted(loaded.items())),
                left={i: n - loaded[i] for i, n in sorted(received.items())},
                first_arrival_s=min(arrivals, default=None),
                last_arrival_s=max(arrivals, default=None),
            )
        )
    return out

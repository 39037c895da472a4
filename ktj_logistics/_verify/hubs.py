"""Staged stock: unloaded only at hubs from what is on board, loaded there only once it
has arrived, and never more than arrived (per hub, source and item, in time order)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._cost import Profile, TravelModel
from .._plan import Stop
from .._scenario import Hub, Location, Scenario
from .._timefmt import hhmm
from .violation import Violation

if TYPE_CHECKING:
    from .routes import Trace

HUB_PLACE_M = 50
"""How far a stop at a hub may lie from the hub."""


@dataclass(frozen=True)
class HubEvent:
    """Stock arriving at (``amount`` > 0) or leaving (< 0) a hub at ``at_s``."""

    hub: str
    source: str
    item: str
    amount: int
    at_s: int
    where: str  # "<vehicle> stop <seq>", for messages


def at_hub(
    scenario: Scenario, travel: TravelModel, hub: Hub, s: Stop, profile: Profile, who: str
) -> list[Violation]:
    """A stop at ``hub``: at its place, within its opening hours."""
    out = []
    d, _ = travel.leg(scenario.hub_location(hub), Location(lat=s.lat, lon=s.lon), profile)
    if d > HUB_PLACE_M:
        out.append(Violation("hub_place", f"{who} is {d} m away from hub {hub.id}"))
    lo, hi = hub.opening_hours.as_seconds()
    begin = s.arrival_s + s.wait_s
    if not lo <= begin <= hi:
        out.append(
            Violation(
                "hub_hours",
                f"{who} at hub {hub.id} at {hhmm(begin)}, outside {hhmm(lo)}-{hhmm(hi)}",
            )
        )
    return out


def events(
    hub: str, source: str, items: dict[str, int], sign: int, at_s: int, where: str
) -> list[HubEvent]:
    return [HubEvent(hub, source, item, sign * n, at_s, where) for item, n in items.items() if n]


def hub_stock(trace: Trace) -> list[Violation]:
    """Replay every hub's arrivals and loads in time order (an arrival counts from the end
    of its unloading, a load from the start of loading; arrivals first on a tie)."""
    out: list[Violation] = []
    by_hub: dict[str, list[HubEvent]] = {}
    for e in trace.hub_events:
        by_hub.setdefault(e.hub, []).append(e)
    for hub, evs in sorted(by_hub.items()):
        evs.sort(key=lambda e: (e.at_s, e.amount < 0))
        first = next((e.at_s for e in evs if e.amount > 0), None)
        early = [e for e in evs if e.amount < 0 and (first is None or e.at_s < first)]
        for e in early[:1]:
            out.append(
                Violation(
                    "hub_early",
                    f"{e.where} loads at hub {hub} at {hhmm(e.at_s)}, before any stock "
                    f"has arrived there"
                    + (f" (first at {hhmm(first)})" if first is not None else ""),
                )
            )
        held: Counter[tuple[str, str]] = Counter()
        for e in evs:
            held[(e.source, e.item)] += e.amount
            if held[(e.source, e.item)] < 0:
                out.append(
                    Violation(
                        "hub_stock",
                        f"{e.where} loads {-e.amount} × {e.item} from {e.source} at hub {hub} "
                        f"at {hhmm(e.at_s)}, when only {held[(e.source, e.item)] - e.amount} "
                        "had arrived",
                    )
                )
                held[(e.source, e.item)] = 0
    return out

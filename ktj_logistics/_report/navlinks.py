"""Google Maps navigation links for a sequence of stops (Maps URLs, no API key).

The Maps URLs directions action takes an ``origin``, a ``destination`` and intermediate
``waypoints``; Google documents up to nine waypoints in the Maps app and desktop browsers
but only three in mobile *browsers*, which is what opens a link on a phone without the
Maps app or a QR code scanned from paper. So a link holds at most ``MAX_WAYPOINTS`` = 3:
longer runs are split into consecutive links (leg groups), each starting where the
previous one ended, so the officer opens them one after another. Coordinates have five
decimals (about a metre), which keeps the links, and the QR codes made of them, short.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

MAPS_DIR_URL = "https://www.google.com/maps/dir/"
MAX_WAYPOINTS = 3

TRAVEL_MODE = {
    "motorbike": "two-wheeler",
    "car": "driving",
    "van": "driving",
    "on_foot": "walking",
}
"""Maps URLs travel modes; two-wheeler routing is offered in Indonesia."""

Point = tuple[float, float]


def _coord(p: Point) -> str:
    return f"{p[0]:.5f},{p[1]:.5f}"


def direction_url(origin: Point, stops: Sequence[Point], vehicle_kind: str) -> str:
    """One link: from ``origin`` through ``stops`` (the last is the destination)."""
    if not stops:
        raise ValueError("a navigation link needs at least a destination")
    if len(stops) - 1 > MAX_WAYPOINTS:
        raise ValueError(f"at most {MAX_WAYPOINTS} waypoints fit in one link")
    params = {
        "api": "1",
        "origin": _coord(origin),
        "destination": _coord(stops[-1]),
    }
    if len(stops) > 1:
        params["waypoints"] = "|".join(_coord(p) for p in stops[:-1])
    params["travelmode"] = TRAVEL_MODE.get(vehicle_kind, "driving")
    params["dir_action"] = "navigate"
    return MAPS_DIR_URL + "?" + urlencode(params)


def navigation_links(
    origin: Point, stops: Sequence[Point], vehicle_kind: str, max_waypoints: int = MAX_WAYPOINTS
) -> list[str]:
    """Links covering ``stops`` in order; each holds up to ``max_waypoints + 1`` of them."""
    if max_waypoints < 0:
        raise ValueError("max_waypoints must be >= 0")
    links: list[str] = []
    per_link = max_waypoints + 1
    start = origin
    for i in range(0, len(stops), per_link):
        chunk = stops[i : i + per_link]
        links.append(direction_url(start, chunk, vehicle_kind))
        start = chunk[-1]
    return links

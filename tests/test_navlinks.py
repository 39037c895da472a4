"""Google Maps links respect the documented waypoint limit and chain into each other."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ktj_logistics._report.navlinks import MAX_WAYPOINTS, direction_url, navigation_links


def _q(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _stops(n: int) -> list[tuple[float, float]]:
    return [(-6.25 - i / 1000, 106.80 + i / 1000) for i in range(n)]


def test_a_short_run_fits_one_link_with_its_stops_in_order() -> None:
    stops = _stops(4)
    [url] = navigation_links((-6.2, 106.8), stops, "car")
    q = _q(url)
    assert q["api"] == "1" and q["dir_action"] == "navigate" and q["travelmode"] == "driving"
    assert q["origin"] == "-6.20000,106.80000"
    assert q["destination"] == "-6.25300,106.80300"
    assert q["waypoints"].split("|") == [f"{a:.5f},{b:.5f}" for a, b in stops[:3]]


def test_a_long_run_splits_into_links_of_at_most_three_waypoints_each_chained() -> None:
    stops = _stops(10)
    links = navigation_links((-6.2, 106.8), stops, "motorbike")
    assert len(links) == 3  # 4 + 4 + 2 stops
    visited: list[str] = []
    origin = "-6.20000,106.80000"
    for url in links:
        q = _q(url)
        assert q["origin"] == origin
        waypoints = q["waypoints"].split("|") if "waypoints" in q else []
        assert len(waypoints) <= MAX_WAYPOINTS
        assert q["travelmode"] == "two-wheeler"
        visited += [*waypoints, q["destination"]]
        origin = q["destination"]
    assert visited == [f"{a:.5f},{b:.5f}" for a, b in stops]


def test_one_link_never_takes_more_than_the_documented_limit() -> None:
    with pytest.raises(ValueError):
        direction_url((0.0, 0.0), _stops(MAX_WAYPOINTS + 2), "car")

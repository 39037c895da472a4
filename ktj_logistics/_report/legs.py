"""Where each leg of a route runs, for the map, the GeoJSON and the sheets.

With a road model (a ``RoutedTravel``) a leg follows the streets and names its main
roads; with the straight-line model it is the straight line between the stops.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._cost import LegRoute, Profile, RoutedTravel, TravelModel
from .._plan import Route
from .._scenario import Location, Scenario

ACCESS_SHOWN_M = 100
"""A stop's walk or ride off the mapped road is shown on its sheet from this length."""


@dataclass(frozen=True)
class RouteLegs:
    """A route's path on the map and, per stop (by ``seq``), the leg that reaches it."""

    path: tuple[tuple[float, float], ...]
    arriving: dict[int, LegRoute]


def route_legs(route: Route, scenario: Scenario, travel: TravelModel | None) -> RouteLegs:
    stops = route.stops
    straight = RouteLegs(tuple((s.lat, s.lon) for s in stops), {})
    vehicle = next((v for v in scenario.vehicles if v.id == route.vehicle_id), None)
    if not isinstance(travel, RoutedTravel) or vehicle is None or not stops:
        return straight
    profile = Profile(vehicle.kind, vehicle.effective_speed_kmh())
    path: list[tuple[float, float]] = [(stops[0].lat, stops[0].lon)]
    arriving: dict[int, LegRoute] = {}
    for prev, s in zip(stops, stops[1:], strict=False):
        leg = travel.route(
            Location(lat=prev.lat, lon=prev.lon), Location(lat=s.lat, lon=s.lon), profile
        )
        arriving[s.seq] = leg
        path.extend(p for p in leg.path if p != path[-1])
    return RouteLegs(tuple(path), arriving)

"""Travel matrices: metric properties, and agreement with geopy's geodesic."""

from __future__ import annotations

import numpy as np
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from ktj_logistics import Location, VehicleKind
from ktj_logistics._cost import GeodesicTravel, PlanarTravel, Profile, geodesic_matrix_m

CAR = Profile(VehicleKind.car, 18.0)


def _distances(travel: GeodesicTravel | PlanarTravel, points: list[Location]) -> np.ndarray:
    (costs,) = travel.costs(points, None, [CAR])
    return costs.distance


jakarta_points = st.lists(
    st.builds(
        Location,
        lat=st.floats(-6.40, -6.10, allow_nan=False),
        lon=st.floats(106.68, 106.98, allow_nan=False),
    ),
    min_size=2,
    max_size=12,
)


@given(jakarta_points)
@settings(max_examples=60, deadline=None)
def test_distance_matrix_is_symmetric_with_zero_diagonal(points: list[Location]) -> None:
    d = _distances(GeodesicTravel(1.35), points)
    assert (np.diag(d) == 0).all()
    assert (d == d.T).all()
    assert (d >= 0).all()


@given(jakarta_points)
@settings(max_examples=60, deadline=None)
def test_distance_matrix_obeys_the_triangle_inequality(points: list[Location]) -> None:
    d = _distances(GeodesicTravel(1.35), points)
    via = d[:, :, None] + d[None, :, :]  # via[i, k, j] = d[i, k] + d[k, j]
    # Rounding to whole metres can cost at most 1 m per leg.
    assert (d[:, None, :] <= via + 2).all()


@given(jakarta_points)
@settings(max_examples=40, deadline=None)
def test_vectorised_distance_matches_geopy_within_a_metre(points: list[Location]) -> None:
    m = geodesic_matrix_m(points)
    for i in range(len(points)):
        for j in range(len(points)):
            ref = geodesic((points[i].lat, points[i].lon), (points[j].lat, points[j].lon)).meters
            assert abs(m[i, j] - ref) < 1.0


def test_duration_follows_the_speed_of_each_profile() -> None:
    a = Location(lat=-6.25, lon=106.80)
    b = Location(lat=-6.25, lon=106.80 + 1000 / 110_500)  # about 1 km east
    slow, fast = Profile(VehicleKind.car, 20.0), Profile(VehicleKind.motorbike, 40.0)
    car, bike = GeodesicTravel(1.0).costs([a], [b], [slow, fast])
    assert (car.distance == bike.distance).all()
    # 1 km at 20 km/h is 3 minutes; twice as fast, half the time.
    assert abs(int(car.duration[0, 0]) - round(int(car.distance[0, 0]) * 3.6 / 20)) <= 1
    assert abs(int(car.duration[0, 0]) - 2 * int(bike.duration[0, 0])) <= 1


def test_rectangular_costs_equal_the_square_matrix_block() -> None:
    pts = [Location(lat=-6.25 + 0.01 * i, lon=106.8 - 0.007 * i) for i in range(5)]
    p = [Profile(VehicleKind.car, 18.0)]
    (square,) = GeodesicTravel(1.35).costs(pts, None, p)
    (block,) = GeodesicTravel(1.35).costs(pts[:2], pts[2:], p)
    assert (block.distance == square.distance[:2, 2:]).all()


def test_planar_rounding_conventions() -> None:
    a, b = Location(lat=0, lon=0), Location(lat=1, lon=1)  # sqrt(2) = 1.414...
    assert _distances(PlanarTravel("nint"), [a, b])[0, 1] == 1
    assert _distances(PlanarTravel("trunc1"), [a, b])[0, 1] == 14  # 1.4, stored x10
    assert PlanarTravel("trunc1").leg(a, b, Profile(VehicleKind.car, 1.0)) == (14, 14)

"""Travel matrices: metric properties, and agreement with geopy's geodesic."""

from __future__ import annotations

import numpy as np
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from ktj_logistics._scenario import Location
from ktj_logistics._cost.travel import GeodesicTravel, PlanarTravel, geodesic_matrix_m

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
    d = GeodesicTravel(1.35).distances(points)
    assert (np.diag(d) == 0).all()
    assert (d == d.T).all()
    assert (d >= 0).all()


@given(jakarta_points)
@settings(max_examples=60, deadline=None)
def test_distance_matrix_obeys_the_triangle_inequality(points: list[Location]) -> None:
    d = GeodesicTravel(1.35).distances(points)
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


def test_duration_follows_speed() -> None:
    travel = GeodesicTravel(1.0)
    d = np.array([[0, 1000], [1000, 0]])
    # 1 km at 20 km/h is 3 minutes.
    assert travel.durations(d, 20.0)[0, 1] == 180


def test_planar_rounding_conventions() -> None:
    a, b = Location(lat=0, lon=0), Location(lat=1, lon=1)  # sqrt(2) = 1.414...
    assert PlanarTravel("nint").distances([a, b])[0, 1] == 1
    assert PlanarTravel("trunc1").distances([a, b])[0, 1] == 14  # 1.4, stored x10
    assert PlanarTravel("trunc1").leg(a, b, 1.0) == (14, 14)

"""The road travel model on small hand-built networks: claims checkable by hand."""

from __future__ import annotations

import gzip
from pathlib import Path

import networkx as nx
import numpy as np

from ktj_logistics import Location, VehicleKind
from ktj_logistics._cost import Profile
from ktj_logistics._cost.road import RoadTravel, load_network
from ktj_logistics._cost.road.store import read_network

from .roadnet import Way, at, grid, write_network

CAR = Profile(VehicleKind.car, 18.0)
MOTORBIKE = Profile(VehicleKind.motorbike, 22.0)
WALKER = Profile(VehicleKind.on_foot, 4.5)
BUNDLED = (
    Path(__file__).parent.parent
    / "scenarios/jakarta-selatan/data/roads_jaksel_osm2012_simplified.graphml.gz"
)


def travel(tmp_path: Path, ways: list[Way], cache: bool = False) -> RoadTravel:
    net = read_network(write_network(tmp_path / "net.osm", ways))
    return RoadTravel(net, cache_dir=tmp_path / "cache" if cache else None)


def test_matrices_agree_with_single_legs_for_every_shape_of_request(tmp_path: Path) -> None:
    """few × many, many × few and square matrices equal the networkx leg of each cell."""
    t = travel(tmp_path, grid(5, 0.4))
    rng = np.random.default_rng(3)
    pts = [at(float(x), float(y)) for x, y in rng.uniform(-0.1, 1.7, (12, 2))]
    for profile in (CAR, MOTORBIKE, WALKER):
        (square,) = t.costs(pts, None, [profile])
        (few,) = t.costs(pts[:2], pts, [profile])
        (many,) = t.costs(pts, pts[:2], [profile])
        assert np.array_equal(few.distance, square.distance[:2])
        assert np.array_equal(many.duration, square.duration[:, :2])
        for i, a in enumerate(pts):
            for j, b in enumerate(pts):
                assert t.leg(a, b, profile) == (
                    int(square.distance[i, j]),
                    int(square.duration[i, j]),
                )


def test_a_motorbike_never_uses_a_motorway_edge(tmp_path: Path) -> None:
    """A 1 km toll road (with its ramps) and a 3 km street join A and B: the car takes the
    toll road, the motorbike the street."""
    ways = [
        Way(((0, 0), (0.05, 0)), "motorway_link"),
        Way(((0.05, 0), (0.95, 0)), "motorway", "Tol Dalam Kota", oneway=False),
        Way(((0.95, 0), (1, 0)), "motorway_link"),
        Way(((0, 0), (0, 1), (1, 1), (1, 0)), "residential", "Jalan Memutar"),
    ]
    t = travel(tmp_path, ways)
    a, b = at(0, 0), at(1, 0)
    car_m, _ = t.leg(a, b, CAR)
    bike_m, _ = t.leg(a, b, MOTORBIKE)
    assert 990 <= car_m <= 1010
    assert 2990 <= bike_m <= 3010
    (bike,) = t.costs([a, b], None, [MOTORBIKE])
    assert bike.distance[0, 1] == bike_m
    # Every point of the motorbike's path lies on the detour, none on the toll road.
    path = t.route(a, b, MOTORBIKE).path
    assert all(p[0] > at(0, 0.5).lat or p[1] in (a.lon, b.lon) for p in path[1:-1])


def test_one_way_edges_are_respected_by_vehicles_not_walkers(tmp_path: Path) -> None:
    """A→B is a 500 m one-way street; back from B to A a car drives the 1.5 km loop, a
    walker walks the 500 m."""
    ways = [
        Way(((0, 0), (0.5, 0)), "tertiary", "Satu Arah", oneway=True),
        Way(((0.5, 0), (0.5, 0.5), (0, 0.5), (0, 0)), "residential", "Keliling"),
    ]
    t = travel(tmp_path, ways)
    a, b = at(0, 0), at(0.5, 0)
    assert 495 <= t.leg(a, b, CAR)[0] <= 505
    assert 1490 <= t.leg(b, a, CAR)[0] <= 1510
    assert 495 <= t.leg(b, a, WALKER)[0] <= 505
    (car,) = t.costs([a, b], None, [CAR])
    assert car.distance[0, 1] < car.distance[1, 0]


def test_cars_keep_out_of_a_gang_that_motorbikes_ride(tmp_path: Path) -> None:
    ways = [
        Way(((0, 0), (0.3, 0)), "residential", "Gg. Melati"),
        Way(((0, 0), (0, 0.4), (0.3, 0.4), (0.3, 0)), "residential", "Jalan Raya"),
    ]
    t = travel(tmp_path, ways)
    a, b = at(0, 0), at(0.3, 0)
    assert t.leg(a, b, MOTORBIKE)[0] < 310
    assert t.leg(a, b, CAR)[0] > 1000


def test_a_point_joins_the_nearest_street_not_the_nearest_junction(tmp_path: Path) -> None:
    """30 m beside the middle of a 2 km street: the access leg is 30 m, not 1 km."""
    t = travel(tmp_path, [Way(((0, 0), (2, 0)), "primary", "Panjang")])
    (snap,) = t.snaps([at(1, 0.03)], "car")
    assert 295 <= snap.access_dm <= 305
    d, s = t.leg(at(1, 0.03), at(2, 0), CAR)
    # 30 m walked at 5 km/h, then 1 km driven at 20 km/h
    assert 1025 <= d <= 1035
    assert abs(s - (30 / 5 * 3.6 + 1000 / 20 * 3.6)) <= 2


def test_points_at_the_same_place_are_zero_apart(tmp_path: Path) -> None:
    t = travel(tmp_path, grid(3))
    p = at(0.2, 0.13)
    (c,) = t.costs([p, p, at(0.9, 0.9)], None, [CAR])
    assert c.distance[0, 1] == c.duration[1, 0] == 0
    assert t.leg(p, p, CAR) == (0, 0)


def test_a_vehicle_s_own_speed_scales_its_road_times(tmp_path: Path) -> None:
    t = travel(tmp_path, grid(3))
    a, b = at(0, 0), at(1, 1)
    normal, slow = t.costs([a], [b], [CAR, Profile(VehicleKind.car, 9.0)])
    assert normal.distance[0, 0] == slow.distance[0, 0]
    assert abs(int(slow.duration[0, 0]) - 2 * int(normal.duration[0, 0])) <= 1


def test_speeds_from_the_scenario_replace_the_defaults(tmp_path: Path) -> None:
    net = read_network(write_network(tmp_path / "n.osm", [Way(((0, 0), (1, 0)), "primary")]))
    slow = RoadTravel(net, speeds={"car": {"primary": 10.0}})
    assert abs(slow.leg(at(0, 0), at(1, 0), CAR)[1] - 360) <= 1


def test_cached_matrices_are_read_back_and_a_damaged_file_is_rebuilt(tmp_path: Path) -> None:
    t = travel(tmp_path, grid(4, 0.3), cache=True)
    rng = np.random.default_rng(5)
    pts = [at(float(x), float(y)) for x, y in rng.uniform(0, 0.9, (150, 2))]
    (first,) = t.costs(pts, None, [CAR])
    files = list((tmp_path / "cache").glob("matrix-*.npy"))
    assert len(files) == 1
    (again,) = RoadTravel(t.network, cache_dir=tmp_path / "cache").costs(pts, None, [CAR])
    assert np.array_equal(first.distance, again.distance)
    files[0].write_bytes(b"not a matrix")
    (rebuilt,) = RoadTravel(t.network, cache_dir=tmp_path / "cache").costs(pts, None, [CAR])
    assert np.array_equal(first.duration, rebuilt.duration)
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_two_way_graphml_edges_become_one_street_travelled_both_ways(tmp_path: Path) -> None:
    """osmnx stores a two-way road as two directed edges with reversed shapes."""
    g = nx.MultiDiGraph()
    for n, (x, y) in {"1": (0, 0), "2": (1, 0), "3": (1, 1)}.items():
        loc = at(x, y)
        g.add_node(n, x=str(loc.lon), y=str(loc.lat))
    pts = [at(0, 0), at(0.5, -0.1), at(1, 0)]
    shape = "LINESTRING (" + ", ".join(f"{p.lon} {p.lat}" for p in pts) + ")"
    back = "LINESTRING (" + ", ".join(f"{p.lon} {p.lat}" for p in pts[::-1]) + ")"
    two_way = {"highway": "primary", "name": "Dua Arah", "oneway": "False", "length": "1020"}
    g.add_edge("1", "2", geometry=shape, **two_way)
    g.add_edge("2", "1", geometry=back, **two_way)
    g.add_edge("2", "3", highway="['residential', 'tertiary']", oneway="True", length="1000")
    path = tmp_path / "g.graphml.gz"
    with gzip.open(path, "wb") as f:
        nx.write_graphml(g, f)
    net = load_network(path)
    assert net.streets == 2
    assert net.forward.tolist().count(True) == 2 and net.backward.tolist().count(True) == 1
    t = RoadTravel(net)
    assert t.leg(at(1, 0), at(0, 0), CAR)[0] == 1020
    assert t.leg(at(1, 1), at(1, 0), WALKER)[0] == 1000
    # The one-way dead end is outside the car's strongly connected core: a point at its
    # end joins the two-way street instead, 1 km away.
    (walk,) = t.snaps([at(1, 1)], "on_foot")
    (drive,) = t.snaps([at(1, 1)], "car")
    assert walk.access_dm == 0
    assert 9990 <= drive.access_dm <= 10010


def test_the_bundled_network_routes_between_polda_and_polres_on_named_roads() -> None:
    t = RoadTravel(load_network(BUNDLED))
    polda, polres = Location(lat=-6.222631, lon=106.812432), Location(lat=-6.253334, lon=106.798257)
    d, s = t.leg(polda, polres, CAR)
    assert 3800 < d < 7000  # 3.7 km as the crow flies
    assert 600 < s < 1800
    assert t.route(polda, polres, CAR).roads

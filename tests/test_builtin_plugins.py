"""The built-in plugins' rules, as the shape stage sees them (no solving)."""

from __future__ import annotations

import pytest

from ktj_logistics import InputError, PluginError, VehicleKind
from ktj_logistics._plugins.host import build_host
from ktj_logistics._shape import Shaped, shape
from tests.plugin_fixtures import build, household, scenario_data


def shaped(households: list[dict], plugins: dict | None = None) -> Shaped:
    sc = build(scenario_data(households, plugins=plugins))
    return shape(sc, build_host(sc.plugins))


def test_built_in_plugins_declare_their_settlement_types() -> None:
    types = build_host().settlement_types()
    assert {"regular", "dense_settlement", "apartment", "luxury_housing"} <= types


def test_dense_settlement_vetoes_cars_vans_and_trucks_and_allows_motorbikes_and_walking() -> None:
    s = shaped([household("D1", 0.001, 0.001, settlement_type="dense_settlement")])
    h = s.households["D1"]
    assert h.allowed_kinds == {VehicleKind.motorbike, VehicleKind.on_foot}
    assert {d.kind for d in h.denied if d.plugin == "dense_settlement"} == {
        VehicleKind.car,
        VehicleKind.van,
        VehicleKind.truck,
    }


def test_dense_settlement_raises_priority_for_crowding() -> None:
    s = shaped([household("D1", 0.001, 0.001, settlement_type="dense_settlement")])
    parts = [p for p in s.households["D1"].contributions if p.plugin == "dense_settlement"]
    assert [(p.rule, p.points) for p in parts] == [("crowding", 10.0)]


def test_a_car_parking_at_the_alley_mouth_adds_the_walk_there_and_back() -> None:
    s = shaped(
        [
            household("D1", 0.001, 0.001, settlement_type="dense_settlement"),
            household(
                "D2", 0.002, 0.001, settlement_type="dense_settlement", tags={"alley_m": "180"}
            ),
        ],
        plugins={"dense_settlement": {"car_parks_at_mouth": True, "walking_speed_kmh": 3.6}},
    )
    # 3.6 km/h = 1 m/s: 2 × 100 m default, 2 × 180 m from the tag. Vans stay out.
    assert s.households["D1"].extra_service_s[VehicleKind.car] == 200
    assert s.households["D2"].extra_service_s[VehicleKind.car] == 360
    assert VehicleKind.van not in s.households["D2"].allowed_kinds


def test_a_walk_tag_that_is_no_number_is_a_plugin_error_naming_the_household() -> None:
    with pytest.raises(PluginError) as e:
        shaped(
            [household("D1", 0, 0, settlement_type="dense_settlement", tags={"alley_m": "far"})],
            plugins={"dense_settlement": {"car_parks_at_mouth": True}},
        )
    assert e.value.plugin == "dense_settlement" and e.value.hook == "ktj_vehicle_access"
    assert "D1" in str(e.value)


def test_apartment_units_of_one_tower_become_one_stop_at_the_lobby() -> None:
    tower = [
        household(
            f"A{i}", 0.010 + 0.0001 * i, 0.002, settlement_type="apartment", building="Blok A"
        )
        for i in range(4)
    ]
    other = household("B1", 0.0, 0.01, settlement_type="apartment", building="Blok B")
    s = shaped([*tower, other, household("R1", 0.001, 0.0)])
    g = s.groups["apartment:Blok A"]
    assert g.household_ids == ("A0", "A1", "A2", "A3")
    assert g.location.lat == pytest.approx(-6.253334 + 0.01015)  # centre of the units
    assert g.setup_s == 300
    assert s.households["A2"].service_s == 120  # per unit
    assert s.households["R1"].group is None and s.households["R1"].service_s == 240
    assert s.households["B1"].group == "apartment:Blok B"


def test_apartment_lobby_and_access_hours_can_be_set_per_building() -> None:
    s = shaped(
        [
            household("A1", 0.01, 0.0, settlement_type="apartment", building="Blok A"),
            household("B1", 0.02, 0.0, settlement_type="apartment", building="Blok B"),
        ],
        plugins={
            "apartment": {
                "access_hours": ["07:00-21:00"],
                "buildings": {
                    "Blok A": {
                        "lobby": {"lat": -6.25, "lon": 106.8},
                        "access_hours": ["09:00-11:00", "13:00-15:00"],
                        "setup_minutes": 8,
                    }
                },
            }
        },
    )
    a = s.groups["apartment:Blok A"]
    assert (a.location.lat, a.location.lon, a.setup_s) == (-6.25, 106.8, 480)
    assert s.households["A1"].windows_s == ((9 * 3600, 11 * 3600), (13 * 3600, 15 * 3600))
    assert s.households["B1"].windows_s == ((7 * 3600, 21 * 3600),)


def test_apartment_settings_are_validated_by_its_config() -> None:
    sc = build(scenario_data([], plugins={"apartment": {"setup_minute": 3}}))
    with pytest.raises(InputError) as e:
        build_host(sc.plugins)
    assert e.value.issues[0].field == "plugins.apartment.setup_minute"


def test_luxury_housing_groups_an_estate_at_its_security_post() -> None:
    s = shaped(
        [
            household("L1", 0.02, 0.02, settlement_type="luxury_housing", building="Pondok Indah"),
            household("L2", 0.021, 0.02, settlement_type="luxury_housing", building="Pondok Indah"),
        ],
        plugins={"luxury_housing": {"posts": {"Pondok Indah": {"lat": -6.27, "lon": 106.78}}}},
    )
    g = s.groups["estate:Pondok Indah"]
    assert g.household_ids == ("L1", "L2")
    assert (g.location.lat, g.location.lon) == (-6.27, 106.78)
    assert "security post" in g.label


def test_luxury_housing_lowers_priority_unless_a_member_is_vulnerable() -> None:
    s = shaped(
        [
            household("L1", 0.02, 0.02, settlement_type="luxury_housing", building="E"),
            household(
                "L2", 0.02, 0.02, settlement_type="luxury_housing", building="E", elderly=True
            ),
        ],
        plugins={"vulnerability": False},
    )
    lux = {
        hid: [p.points for p in s.households[hid].contributions if p.plugin == "luxury_housing"]
        for hid in ("L1", "L2")
    }
    assert lux == {"L1": [-10.0], "L2": [0.0]}
    assert s.households["L1"].priority == 0  # floored


def test_zone_colour_points_follow_the_colour_and_are_configurable() -> None:
    s = shaped(
        [household(f"Z{c}", 0, 0, zone_colour=c) for c in ("red", "orange", "yellow", "green")]
        + [household("Znone", 0, 0)],
        plugins={"zone_colour": {"red": 40}},
    )
    points = {
        hid: sum(p.points for p in h.contributions if p.plugin == "zone_colour")
        for hid, h in s.households.items()
    }
    assert points == {"Zred": 40, "Zorange": 20, "Zyellow": 10, "Zgreen": 0, "Znone": 0}

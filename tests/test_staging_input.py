"""Hubs, trunk vehicles, officer areas and daily limits as a coordinator writes them:
read from YAML and CSV, with every mistake named before anything is planned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ktj_logistics import InputError, VehicleRole, load

VEHICLES = (
    "id;kind;base;capacity_packages;capacity_kg;role;area;max_km\n"
    "m1;motorbike;polres;2;40;;kelurahan:PULO|Gunung;60,5\n"
    "c1;car;polres;8;200;delivery;kecamatan:KEBAYORAN BARU (soft);\n"
    "t1;truck;polres;150;2500;trunk;;\n"
)


@pytest.fixture
def tiny(copy_scenario: Callable[[str], Path]) -> Path:
    path = copy_scenario("tiny")
    (path.parent / "vehicles.csv").write_text(VEHICLES, encoding="utf-8")
    return path


def _with(path: Path, extra: str) -> Path:
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


HUB = "hubs:\n  - {id: hub-polres, kind: polsek, base: polres}\n"


def test_roles_areas_and_daily_limits_are_read_from_the_vehicles_csv(tiny: Path) -> None:
    scenario = load(_with(tiny, HUB)).scenario
    m1, c1, t1 = scenario.vehicles
    assert m1.role == VehicleRole.delivery and m1.max_km == 60.5
    assert m1.area is not None and m1.area.kelurahan == ["PULO", "Gunung"] and m1.area.hard
    assert c1.area is not None and c1.area.kecamatan == ["KEBAYORAN BARU"] and not c1.area.hard
    assert t1.role == VehicleRole.trunk and t1.kind == "truck"
    (hub,) = scenario.hubs
    assert scenario.hub_location(hub) == scenario.bases[0].location


def _issues(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as caught:
        load(path)
    return [(i.field, i.message, i.severity) for i in caught.value.issues]


def test_a_hub_at_an_unknown_base_is_an_error(tiny: Path) -> None:
    issues = _issues(_with(tiny, "hubs:\n  - {id: h1, base: polsek-x}\n"))
    assert ("hubs[1].base", "no base has this id", "error") in issues


def test_a_hub_named_like_a_source_is_an_error(tiny: Path) -> None:
    issues = _issues(_with(tiny, "hubs:\n  - {id: polres, base: polres}\n"))
    assert any(f == "hubs[1].id" and "source" in m for f, m, _ in issues)


def test_a_hub_without_a_place_is_an_error(tiny: Path) -> None:
    issues = _issues(_with(tiny, "hubs:\n  - {id: h1}\n"))
    assert any("location or the id of the base" in m for _, m, _ in issues)


def test_a_misspelt_area_is_an_error_naming_the_form(tiny: Path) -> None:
    (tiny.parent / "vehicles.csv").write_text(
        "id;kind;base;capacity_packages;capacity_kg;area\nm1;motorbike;polres;2;40;kota:X\n",
        encoding="utf-8",
    )
    issues = _issues(tiny)
    assert ("area", "'kota:X' is not an area", "error") in [
        (f, m.split(";")[0], s) for f, m, s in issues
    ]


def test_hubs_without_trunk_vehicles_and_areas_nobody_lives_in_are_warned(tiny: Path) -> None:
    (tiny.parent / "vehicles.csv").write_text(
        "id;kind;base;capacity_packages;capacity_kg;area\n"
        "m1;motorbike;polres;2;40;kelurahan:ATLANTIS\n",
        encoding="utf-8",
    )
    warnings = load(_with(tiny, HUB)).warnings
    fields = {w.field for w in warnings}
    assert "hubs" in fields and "vehicles.m1.area" in fields

"""Decomposition: every household, vehicle and package lands in exactly one part."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ktj_logistics._parts.decompose import decompose, units_of
from ktj_logistics._plugins.hookspecs import StopGroup, hookimpl
from ktj_logistics._scenario import Location
from ktj_logistics._engine import host_for
from ktj_logistics._plugins.host import build_host
from ktj_logistics._shape import shape

from .days import day


def _parts(sc, part_size=25, method="sweep", host=None):
    shaped = shape(sc, host or host_for(sc))
    return shaped, decompose(sc, shaped, part_size, method)


def test_every_household_is_in_exactly_one_part():
    sc = day(per_area=60, vehicles_per_area=4)
    _, parts = _parts(sc)
    ids = Counter(h for p in parts for h in p.household_ids)
    assert set(ids) == {h.id for h in sc.households}
    assert set(ids.values()) == {1}


def test_parts_follow_kecamatan_boundaries_first():
    sc = day(per_area=60, vehicles_per_area=4)
    _, parts = _parts(sc)
    for p in parts:
        assert len({h.kecamatan for h in p.scenario.households}) == 1, p.key
    assert {p.area for p in parts} == {"TEBET", "SETIABUDI", "PANCORAN"}


def test_sweep_sectors_hold_about_part_size_households():
    sc = day(per_area=100, vehicles_per_area=4)
    _, parts = _parts(sc, part_size=25)
    sizes = [len(p.household_ids) for p in parts]
    assert len(parts) == 12
    assert max(sizes) - min(sizes) <= 1


def test_every_vehicle_is_in_exactly_one_part_and_every_part_has_one():
    sc = day(per_area=60, vehicles_per_area=3)
    _, parts = _parts(sc, part_size=20)
    used = Counter(v.id for p in parts for v in p.scenario.vehicles)
    assert set(used) == {v.id for v in sc.vehicles}
    assert set(used.values()) == {1}
    assert all(p.scenario.vehicles for p in parts)


def test_an_area_without_its_own_fleet_borrows_the_nearest_vehicles():
    sc = day(per_area=40, vehicles_per_area=2)
    sc = sc.model_copy(
        update={"vehicles": [v for v in sc.vehicles if not v.id.startswith("tebet")]}
    )
    _, parts = _parts(sc, part_size=200)
    tebet = next(p for p in parts if p.area == "TEBET")
    assert tebet.scenario.vehicles


def test_stock_is_shared_without_creating_packages():
    sc = day(per_area=50, vehicles_per_area=3, stock=97)
    _, parts = _parts(sc)
    total = sum(s.stock.get("standard", 0) for p in parts for s in p.scenario.sources)
    assert total == 97


def test_stock_goes_to_the_most_urgent_households_first_when_short():
    sc = day(per_area=50, vehicles_per_area=3, stock=20)
    shaped, parts = _parts(sc, part_size=200)
    first = sorted(sc.households, key=lambda h: (-shaped.households[h.id].priority, h.id))[:20]
    assert shaped.households[first[-1].id].priority > 0
    for p in parts:
        mine = {h.id for h in p.scenario.households}
        expected = sum(1 for h in first if h.id in mine)
        assert sum(s.stock.get("standard", 0) for s in p.scenario.sources) == expected


class _Towers:
    """Puts every fifth Tebet household into one building lobby stop."""

    @hookimpl
    def ktj_group_stops(self, households, scenario):
        tebet = [h for h in households if h.kecamatan == "TEBET"]
        groups = []
        for g in range(0, len(tebet) - 4, 5):
            members = tebet[g : g + 5]
            groups.append(
                StopGroup(
                    key=f"tower-{g}",
                    household_ids=tuple(h.id for h in members),
                    location=Location(lat=members[0].location.lat, lon=members[0].location.lon),
                    label=f"Tower {g}",
                )
            )
        return groups


def test_a_stop_group_is_never_cut_between_parts():
    sc = day(per_area=60, vehicles_per_area=4)
    host = build_host({}, [], extra=[("towers", _Towers())])
    shaped, parts = _parts(sc, part_size=12, host=host)
    assert shaped.groups
    part_of = {h: p.key for p in parts for h in p.household_ids}
    for g in shaped.groups.values():
        assert len({part_of[h] for h in g.household_ids}) == 1


def test_kmeans_is_available_for_comparison_and_covers_everyone():
    sc = day(per_area=100, vehicles_per_area=4)
    shaped, parts = _parts(sc, part_size=25, method="kmeans")
    assert sum(len(p.household_ids) for p in parts) == len(sc.households)
    assert len(units_of(sc, shaped)) == len(sc.households)
    assert np.all([p.scenario.vehicles for p in parts])

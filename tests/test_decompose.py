"""Decomposition: every stop and every vehicle lands in exactly one part; areas first."""

from __future__ import annotations

from collections import Counter

from ktj_logistics import Location, Scenario, StopGroup, hookimpl
from ktj_logistics._parts.decompose import PartSpec, decompose
from ktj_logistics._plugins.host import PluginHost, build_host
from ktj_logistics._problem import Day, day_of
from ktj_logistics._shape import Shaped, shape

from .days import day


def _parts(
    sc: Scenario, part_size: int = 25, method: str = "sweep", host: PluginHost | None = None
) -> tuple[Shaped, Day, list[PartSpec]]:
    shaped = shape(sc, host or build_host(sc.plugins))
    d = day_of(sc, shaped)
    everything = dict.fromkeys(range(len(d.jobs)), 0)  # one source: every stop loads there
    return shaped, d, decompose(d, everything, part_size, method)  # type: ignore[arg-type]


def _households(d: Day, p: PartSpec) -> list[str]:
    return [h for j in p.jobs for h in d.jobs[j].household_ids]


def test_every_household_is_in_exactly_one_part() -> None:
    sc = day(per_area=60, vehicles_per_area=4)
    _, d, parts = _parts(sc)
    ids = Counter(h for p in parts for h in _households(d, p))
    assert set(ids) == {h.id for h in sc.households}
    assert set(ids.values()) == {1}


def test_parts_follow_kecamatan_boundaries_first() -> None:
    sc = day(per_area=60, vehicles_per_area=4)
    _, d, parts = _parts(sc)
    kecamatan = {h.id: h.kecamatan for h in sc.households}
    for p in parts:
        assert len({kecamatan[h] for h in _households(d, p)}) == 1, p.key
    assert {p.area for p in parts} == {"TEBET", "SETIABUDI", "PANCORAN"}


def test_sweep_sectors_hold_about_part_size_households() -> None:
    sc = day(per_area=100, vehicles_per_area=4)
    _, d, parts = _parts(sc, part_size=25)
    sizes = [len(_households(d, p)) for p in parts]
    assert len(parts) == 12
    assert max(sizes) - min(sizes) <= 1


def test_every_vehicle_is_in_exactly_one_part_and_every_part_has_one() -> None:
    sc = day(per_area=60, vehicles_per_area=3)
    _, _, parts = _parts(sc, part_size=20)
    used = Counter(v for p in parts for v in p.vehicles)
    assert set(used) == set(range(len(sc.vehicles)))
    assert set(used.values()) == {1}
    assert all(p.vehicles for p in parts)


def test_an_area_without_its_own_fleet_borrows_the_nearest_vehicles() -> None:
    sc = day(per_area=40, vehicles_per_area=2)
    sc = sc.model_copy(
        update={"vehicles": [v for v in sc.vehicles if not v.id.startswith("tebet")]}
    )
    _, _, parts = _parts(sc, part_size=200)
    tebet = next(p for p in parts if p.area == "TEBET")
    assert tebet.vehicles


class _Towers:
    """Puts every fifth Tebet household into one building lobby stop."""

    @hookimpl
    def ktj_group_stops(self, households, scenario):  # type: ignore[no-untyped-def]
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


def test_a_stop_group_is_never_cut_between_parts() -> None:
    sc = day(per_area=60, vehicles_per_area=4)
    host = build_host({}, [], extra=[("towers", _Towers())])
    shaped, d, parts = _parts(sc, part_size=12, host=host)
    assert shaped.groups
    part_of = {h: p.key for p in parts for h in _households(d, p)}
    for g in shaped.groups.values():
        assert len({part_of[h] for h in g.household_ids}) == 1


def test_kmeans_is_available_for_comparison_and_covers_everyone() -> None:
    sc = day(per_area=100, vehicles_per_area=4)
    _, d, parts = _parts(sc, part_size=25, method="kmeans")
    assert sum(len(_households(d, p)) for p in parts) == len(sc.households)
    assert all(p.vehicles for p in parts)

"""Each hook's combination rule (as its docstring states), with plugins written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktj_logistics import (
    AccessRule,
    Household,
    InputError,
    StopKind,
    TimeWindow,
    VehicleKind,
    hookimpl,
    load,
)
from ktj_logistics._plugins.host import build_host
from ktj_logistics._shape import shape
from tests.plugin_fixtures import (
    build,
    car,
    household,
    motorbike,
    plan_of,
    scenario_data,
    write_scenario,
)

BOARDING_HOUSES = '''\
"""Kos-kosan (boarding houses): a settlement type with no rules of its own yet."""
from ktj_logistics import hookimpl
@hookimpl
def ktj_settlement_types():
    return ["kos_kosan"]
'''


def test_settlement_types_are_the_union_of_every_plugins_list_plus_regular(
    tmp_path: Path,
) -> None:
    (tmp_path / "kos.py").write_text(BOARDING_HOUSES, encoding="utf-8")
    types = build_host({}, [tmp_path / "kos.py"]).settlement_types()
    assert {"regular", "kos_kosan", "apartment", "dense_settlement"} <= types
    data = scenario_data([household("K1", 0, 0, settlement_type="Kos-Kosan")])
    path = write_scenario(tmp_path, data)
    with pytest.raises(InputError, match="1 problem"):
        load(path)  # without the plugin the type is unknown
    assert load(path, [tmp_path / "kos.py"]).scenario.households[0].settlement_type == "kos_kosan"


class _Curfew:
    """PSBB curfew: deliveries to RW 05 only 09:00-11:00 and 13:00-15:00."""

    @hookimpl
    def ktj_time_windows(self, household: Household) -> list[TimeWindow] | None:
        if household.rw != "05":
            return None
        return [TimeWindow.model_validate(w) for w in ("09:00-11:00", "13:00-15:00")]


def test_time_windows_are_intersected_with_the_households_own_and_each_other() -> None:
    sc = build(
        scenario_data(
            [
                household("H1", 0, 0, rw="05", time_windows=["10:00-14:00"]),
                household("H2", 0, 0, rw="05"),
                household("H3", 0, 0, rw="01"),
            ]
        )
    )
    s = shape(sc, build_host(extra=[("curfew", _Curfew())]))
    h = 3600
    assert s.households["H1"].windows_s == ((10 * h, 11 * h), (13 * h, 14 * h))
    assert s.households["H2"].windows_s == ((9 * h, 11 * h), (13 * h, 15 * h))
    assert s.households["H3"].windows_s == ()


def test_a_household_whose_windows_do_not_overlap_is_unserved_for_time_window() -> None:
    result = plan_of(
        scenario_data([household("H1", 0.002, 0, rw="05", time_windows=["16:00-17:00"])]),
        extra_plugins=[("curfew", _Curfew())],
    )
    o = result.plan.outcome("H1")
    assert o.status == "unserved" and o.reason is not None and o.reason.value == "time_window"


def test_the_plan_starts_each_handover_within_the_plugins_windows() -> None:
    result = plan_of(
        scenario_data([household("H1", 0.002, 0, rw="05"), household("H2", 0, 0.002)]),
        extra_plugins=[("curfew", _Curfew())],
    )
    o = result.plan.outcome("H1")
    assert o.arrival_s is not None and 9 * 3600 <= o.arrival_s <= 11 * 3600


class _NoMotorbikesForBigFamilies:
    """More than 3 packages do not fit on a motorbike; a car takes 2 extra minutes."""

    @hookimpl
    def ktj_vehicle_access(self, household: Household) -> list[AccessRule] | None:
        if household.packages_needed <= 3:
            return None
        return [
            AccessRule(VehicleKind.motorbike, False, "too many packages for a motorbike"),
            AccessRule(VehicleKind.car, True, "unloading takes longer", extra_service_s=120),
        ]


def test_any_veto_wins_and_extra_service_times_of_allowed_kinds_add_up() -> None:
    sc = build(
        scenario_data(
            [household("H1", 0, 0, packages_needed=4, settlement_type="dense_settlement")],
            plugins={"dense_settlement": {"car_parks_at_mouth": True, "walking_speed_kmh": 3.6}},
        )
    )
    s = shape(sc, build_host(sc.plugins, extra=[("big", _NoMotorbikesForBigFamilies())]))
    h = s.households["H1"]
    assert h.allowed_kinds == {VehicleKind.car, VehicleKind.on_foot}
    assert h.extra_service_s[VehicleKind.car] == 200 + 120


def test_a_vetoed_kind_never_serves_the_household_in_the_plan() -> None:
    result = plan_of(
        scenario_data(
            [household("H1", 0.002, 0, packages_needed=4), household("H2", 0, 0.002)],
            [motorbike(capacity=10), car()],
        ),
        extra_plugins=[("big", _NoMotorbikesForBigFamilies())],
    )
    for r in result.plan.routes:
        for st in r.stops:
            if st.kind == StopKind.delivery and "H1" in st.household_ids:
                assert r.vehicle_kind == "car"
                assert st.service_s == 240 + 120
    assert result.plan.outcome("H1").status == "served"

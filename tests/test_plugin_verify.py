"""No plugin can break a plan's guarantees: the verifier checks plugins' access rules and
groupings, whoever wrote the plan (a plan made under other rules stands in for a hand edit)."""

from __future__ import annotations

from typing import Any

import pytest

from ktj_logistics import (
    Household,
    Location,
    Plan,
    Result,
    StopGroup,
    TimeWindow,
    Violation,
    hookimpl,
    verify,
)
from tests.plugin_fixtures import build, car, household, motorbike, plan_of, scenario_data


def _violations(
    result: Result,
    plugins: dict[str, Any] | None = None,
    plan: Plan | None = None,
    extra: list[tuple[str, object]] | None = None,
) -> list[Violation]:
    """Verify ``plan`` (default: the result's) against the scenario under ``plugins``."""
    data = result.scenario.model_dump(mode="json")
    data["plugins"] = plugins if plugins is not None else data["plugins"]
    sc = build(data)
    return verify(sc, plan or result.plan, extra_plugins=extra or [])


def _dense(plugins: dict[str, Any]) -> dict[str, Any]:
    hs = [household(f"D{i}", 0.003 * i, 0.002, settlement_type="dense_settlement") for i in (1, 2)]
    return scenario_data(hs, [car()], plugins=plugins)


@pytest.fixture(scope="module")
def cars_in_alleys() -> Result:
    return plan_of(_dense({"dense_settlement": False}))


def test_a_car_routed_into_a_dense_settlement_is_caught(cars_in_alleys: Result) -> None:
    found = [v for v in _violations(cars_in_alleys, {}) if v.code == "access"]
    assert len(found) == 2
    assert "cannot enter the alleys" in found[0].message


def test_the_same_plan_passes_once_cars_may_park_at_the_alley_mouth_with_time_to_walk() -> None:
    parked = plan_of(_dense({"dense_settlement": {"car_parks_at_mouth": True}}))
    assert _violations(parked) == []
    # Too little time at the stop for a longer walk is caught too.
    longer = {"dense_settlement": {"car_parks_at_mouth": True, "walk_m": 400}}
    assert {v.code for v in _violations(parked, longer)} == {"service"}


def _tower() -> dict[str, Any]:
    hs = [
        household(f"A{i}", 0.006 + 0.0004 * i, 0.002, settlement_type="apartment", building="T")
        for i in range(4)
    ]
    return scenario_data([*hs, household("R1", -0.003, 0.0)], [car()])


@pytest.fixture(scope="module")
def grouped() -> Result:
    return plan_of(_tower())


def _edit(result: Result, change: Any) -> Plan:
    data = result.plan.model_dump(mode="json")
    change(data)
    return Plan.model_validate(data)


def _tower_stop(data: dict[str, Any]) -> dict[str, Any]:
    return next(s for r in data["routes"] for s in r["stops"] if "A0" in s["household_ids"])


def test_a_tower_served_door_to_door_instead_of_at_the_lobby_is_caught() -> None:
    """Units may be served in several visits, but each at the lobby with its setup."""
    separate = plan_of(_tower() | {"plugins": {"apartment": False}})
    codes = {v.code for v in _violations(separate, {})}
    assert codes & {"group_place", "service"}


def test_a_unit_said_served_but_not_handed_anything_is_caught(grouped: Result) -> None:
    def drop_a3(data: dict[str, Any]) -> None:
        stop = _tower_stop(data)
        stop["household_ids"].remove("A3")
        stop["items"]["standard"] -= 1
        del stop["handovers"]["A3"]

    codes = {v.code for v in _violations(grouped, plan=_edit(grouped, drop_a3))}
    assert "visits" in codes


def test_a_unit_left_out_of_its_towers_visit_is_a_valid_plan_on_its_own(grouped: Result) -> None:
    """A group is not all-or-nothing: a unit may be unserved while its neighbours are
    served (here with a hand-written reason), as long as everything adds up."""

    def drop_a3(data: dict[str, Any]) -> None:
        stop = _tower_stop(data)
        stop["household_ids"].remove("A3")
        stop["items"]["standard"] -= 1
        del stop["handovers"]["A3"]
        o = next(h for h in data["households"] if h["household_id"] == "A3")
        o.update(
            status="unserved",
            reason="fleet_capacity",
            vehicle_id=None,
            trip=None,
            stop_seq=None,
            stop_place_id=None,
            arrival_s=None,
            source_id=None,
            visits=[],
            delivered={},
        )
        # The figures the plan states follow (verify recounts them all).
        route = next(r for r in data["routes"] if stop in r["stops"])
        route["packages_delivered"] -= 1
        route["households_served"] -= 1
        for later in route["stops"]:
            if later["seq"] >= stop["seq"]:
                later["load_after_packages"] += 1  # A3's package stays on board
        totals = data["totals"]
        totals.update(served=totals["served"] - 1, unserved=totals["unserved"] + 1)
        totals["unserved_by_reason"] = {"fleet_capacity": 1}
        totals["packages_delivered"] -= 1

    assert _violations(grouped, plan=_edit(grouped, drop_a3)) == []


def test_a_group_delivered_away_from_its_lobby_is_caught(grouped: Result) -> None:
    def move(data: dict[str, Any]) -> None:
        _tower_stop(data)["lat"] += 0.003

    codes = {v.code for v in _violations(grouped, plan=_edit(grouped, move))}
    assert "group_place" in codes


def test_a_group_stop_shorter_than_setup_plus_units_is_caught(grouped: Result) -> None:
    def hurry(data: dict[str, Any]) -> None:
        stop = _tower_stop(data)
        stop["service_s"] = 4 * 120  # the units, without the lobby setup
        stop["departure_s"] = stop["arrival_s"] + stop["wait_s"] + stop["service_s"]

    codes = {v.code for v in _violations(grouped, plan=_edit(grouped, hurry))}
    assert "service" in codes


class _EveningOnlyTower:
    """Groups the tower like the apartment plugin, but with the group's own window."""

    @hookimpl(tryfirst=True)
    def ktj_group_stops(self, households: list[Household]) -> list[StopGroup]:
        members = [h for h in households if h.building == "T"]
        return [
            StopGroup(
                "evening:T",
                tuple(h.id for h in members),
                Location(lat=members[0].location.lat, lon=members[0].location.lon),
                "T",
                time_windows=(TimeWindow.model_validate("18:00-19:00"),),
            )
        ]


def test_a_group_served_outside_the_groups_own_window_is_caught(grouped: Result) -> None:
    found = _violations(grouped, {"apartment": False}, extra=[("evening", _EveningOnlyTower())])
    assert any(v.code == "time_window" and "evening:T" in v.message for v in found)


def test_a_grouped_plan_passes_under_its_own_rules(grouped: Result) -> None:
    assert _violations(grouped) == []


def test_a_motorbike_only_day_passes_with_dense_settlement_on() -> None:
    result = plan_of(
        scenario_data(
            [household("D1", 0.002, 0.0, settlement_type="dense_settlement")], [motorbike()]
        )
    )
    assert result.plan.totals.served == 1 and _violations(result) == []

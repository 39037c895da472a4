"""The verifier catches every kind of broken plan, whoever wrote it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import ktj_logistics as ktj
from ktj_logistics import AccessRule, Plan, VehicleKind, hookimpl

from .conftest import household, make_scenario


@pytest.fixture(scope="module")
def solved() -> ktj.Result:
    hs = [household(f"H{i}", 0.003 * (i + 1), 0.002 * (i % 3)) for i in range(6)]
    hs.append(household("W", 0.004, -0.004, time_windows=["09:00-10:00"]))
    return ktj.plan(make_scenario(hs, stock=20))


def _broken(result: ktj.Result, change: Callable[[dict[str, Any]], None]) -> list[str]:
    data = result.plan.model_dump(mode="json")
    change(data)
    plan = Plan.model_validate(data)
    return [v.code for v in ktj.verify(result.scenario, plan)]


def _first_load(data: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in data["routes"][0]["stops"] if s["kind"] == "load")


def _deliveries(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in data["routes"][0]["stops"] if s["kind"] == "delivery"]


def test_the_solvers_plan_passes(solved: ktj.Result) -> None:
    assert _broken(solved, lambda d: None) == []


def test_a_lost_household_is_caught(solved: ktj.Result) -> None:
    assert "missing_household" in _broken(solved, lambda d: d["households"].pop())


def test_a_household_listed_twice_is_caught(solved: ktj.Result) -> None:
    codes = _broken(solved, lambda d: d["households"].append(d["households"][0]))
    assert "duplicate_household" in codes


def test_an_unserved_household_without_reason_is_caught(solved: ktj.Result) -> None:
    def drop(d: dict[str, Any]) -> None:
        o = d["households"][0]
        o.update(status="unserved", reason=None)

    codes = _broken(solved, drop)
    assert "no_reason" in codes and "unserved_delivered" in codes


def test_overloading_a_vehicle_is_caught(solved: ktj.Result) -> None:
    def overload(d: dict[str, Any]) -> None:
        _first_load(d)["items"] = {"standard": 50}

    assert "capacity" in _broken(solved, overload)


def test_arriving_faster_than_possible_is_caught(solved: ktj.Result) -> None:
    def teleport(d: dict[str, Any]) -> None:
        stop = _deliveries(d)[-1]
        stop["arrival_s"] -= 3600
        stop["departure_s"] -= 3600

    assert "travel_time" in _broken(solved, teleport)


def test_a_wrong_leg_distance_is_caught(solved: ktj.Result) -> None:
    def shorten(d: dict[str, Any]) -> None:
        _deliveries(d)[0]["distance_from_previous_m"] //= 2

    assert "distance" in _broken(solved, shorten)


def test_missing_a_time_window_is_caught(solved: ktj.Result) -> None:
    def move(d: dict[str, Any]) -> None:
        stop = next(s for s in _deliveries(d) if s["household_ids"] == ["W"])
        stop["wait_s"] += 7200
        stop["departure_s"] += 7200

    assert "time_window" in _broken(solved, move)


def test_coming_back_after_the_shift_is_caught(solved: ktj.Result) -> None:
    def late(d: dict[str, Any]) -> None:
        d["routes"][0]["stops"][-1]["arrival_s"] = 20 * 3600

    assert "shift" in _broken(solved, late)


def test_handing_over_the_wrong_items_is_caught(solved: ktj.Result) -> None:
    def swap(d: dict[str, Any]) -> None:
        _deliveries(d)[0]["items"] = {"standard": 3}

    assert "items" in _broken(solved, swap)


def test_loading_more_than_the_stock_is_caught() -> None:
    result = ktj.plan(make_scenario([household("H1", 0.004, 0.0)], stock=1))

    def greedy(d: dict[str, Any]) -> None:
        _first_load(d)["items"] = {"standard": 5}

    assert "stock" in _broken(result, greedy)


class _NoCars:
    @hookimpl
    def ktj_vehicle_access(self) -> list[AccessRule]:
        return [AccessRule(VehicleKind.car, False, "alley too narrow")]


def test_a_route_breaking_a_plugin_access_rule_is_caught(solved: ktj.Result) -> None:
    """The solver obeyed no such rule; the verifier sees the plan against the new rules."""
    rules = [("no_cars", _NoCars())]
    codes = [v.code for v in ktj.verify(solved.scenario, solved.plan, extra_plugins=rules)]
    assert "access" in codes

"""PyVRP as a second engine (``PlanOptions(engine="ortools+pyvrp")``): raced on the days
it can represent whole, never on the others, and its plan passes the same verifier."""

from __future__ import annotations

import pytest

import ktj_logistics as ktj
from ktj_logistics import Vehicle

from .conftest import household, make_scenario, one_trip_cars

pytest.importorskip("pyvrp")


def _one_trip_day(n: int = 90, cars: int = 11, **kw: object) -> ktj.Scenario:
    hs = [
        household(f"H{i}", 0.002 * (i % 10) - 0.009, 0.002 * (i // 10) - 0.009, **kw)
        for i in range(n)
    ]
    return make_scenario(hs, one_trip_cars(cars), stock=200)


def _plan(day: ktj.Scenario) -> ktj.Result:
    options = ktj.PlanOptions(time_limit_s=3, deterministic=False, engine="ortools+pyvrp")
    return ktj.plan(day, options)  # verified, or it raises


def test_a_one_trip_day_races_pyvrp_and_keeps_a_verified_plan() -> None:
    result = _plan(_one_trip_day())
    assert result.plan.totals.served == 90
    members = {s.member for s in result.searches}
    assert "pyvrp" in members and len(members) == 2
    assert result.plan.solver.engine in {"ortools", "pyvrp"}


def test_with_too_few_cars_pyvrp_too_leaves_out_the_least_urgent() -> None:
    """Drop penalties become PyVRP prizes: the elderly are served first."""
    hs = [
        household(f"H{i}", 0.002 * (i % 10) - 0.009, 0.002 * (i // 10) - 0.009, elderly=i % 7 == 0)
        for i in range(80)
    ]
    day = make_scenario(hs, one_trip_cars(6), stock=200)
    result = _plan(day)
    pyvrp = [s for s in result.searches if s.member == "pyvrp"]
    assert pyvrp and pyvrp[0].objective >= 0
    assert result.plan.totals.served == 60
    assert all(result.plan.outcome(h.id).status == "served" for h in hs if h.elderly)


def test_days_pyvrp_cannot_represent_are_searched_by_ortools_alone() -> None:
    reload_day = make_scenario(
        [household(f"H{i}", 0.002 * (i % 10) - 0.009, 0.002 * (i // 10)) for i in range(70)],
        [
            Vehicle(id="m1", kind="motorbike", base="polres", capacity_packages=4, capacity_kg=80),
            Vehicle(id="m2", kind="motorbike", base="polres", capacity_packages=4, capacity_kg=80),
        ],
        stock=200,
    )
    two_windows = _one_trip_day(70, time_windows=["08:00-10:00", "13:00-15:00"])
    for day in (reload_day, two_windows):
        result = _plan(day)
        assert result.searches and all(s.member != "pyvrp" for s in result.searches)
        assert result.plan.totals.served > 0

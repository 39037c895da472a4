"""PyVRP as a second engine (``PlanOptions(engine="ortools+pyvrp")``): raced on the days
it can represent whole, never on the others, and its plan passes the same verifier."""

from __future__ import annotations

import pytest

import ktj_logistics as ktj
from ktj_logistics import OfficerArea, Vehicle

from .conftest import household, make_scenario, one_trip_cars

pytest.importorskip("pyvrp")


def _one_trip_day(n: int = 90, cars: int = 11, **kw: object) -> ktj.Scenario:
    hs = [
        household(f"H{i}", 0.002 * (i % 10) - 0.009, 0.002 * (i // 10) - 0.009, **kw)
        for i in range(n)
    ]
    return make_scenario(hs, one_trip_cars(cars), stock=200)


def _plan(day: ktj.Scenario) -> ktj.Result:
    """One second: the claims are which engines race and the rules the plan keeps, not
    its length (all hold with the test pinned to one core shared with a busy loop)."""
    options = ktj.PlanOptions(time_limit_s=1, deterministic=False, engine="ortools+pyvrp")
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


def test_pyvrp_keeps_each_officers_daily_distance_limit() -> None:
    """A 3 km limit leaves households out; PyVRP's routes keep it (the OR-Tools model
    prices them with its distance dimension, and the plan is verified)."""
    day = _one_trip_day()
    cars = [c.model_copy(update={"max_km": 3}) for c in day.vehicles]
    result = _plan(day.model_copy(update={"vehicles": cars}))
    pyvrp = [s for s in result.searches if s.member == "pyvrp"]
    assert pyvrp and pyvrp[0].objective >= 0
    assert 0 < result.plan.totals.served < 90
    assert all(r.distance_m <= 3000 for r in result.plan.routes)


def _two_areas(areas: list[OfficerArea]) -> ktj.Scenario:
    """Forty households in kecamatan A (north of the Polres) and forty in B (south)."""
    hs = [
        household(f"H{i}", 0.002 * (i % 5) + 0.001, 0.002 * (i // 5) - 0.008, kecamatan="A")
        for i in range(40)
    ] + [
        household(f"S{i}", -0.002 * (i % 5) - 0.001, 0.002 * (i // 5) - 0.008, kecamatan="B")
        for i in range(40)
    ]
    cars = [
        c.model_copy(update={"area": areas[k % len(areas)]})
        for k, c in enumerate(one_trip_cars(10))
    ]
    return make_scenario(hs, cars, stock=200)


def test_pyvrp_races_when_every_officers_area_covers_the_day() -> None:
    result = _plan(_two_areas([OfficerArea(kecamatan=["A", "B"])]))
    assert "pyvrp" in {s.member for s in result.searches}
    assert result.plan.totals.served == 80


@pytest.mark.parametrize(
    "areas",
    [
        [OfficerArea(kecamatan=["A"]), OfficerArea(kecamatan=["B"])],  # hard: not everyone's
        [OfficerArea(kecamatan=["A"], hard=False, penalty_minutes=5)],  # soft: no such cost
    ],
)
def test_officer_areas_pyvrp_cannot_price_leave_the_day_to_ortools(
    areas: list[OfficerArea],
) -> None:
    result = _plan(_two_areas(areas))
    assert result.searches and all(s.member != "pyvrp" for s in result.searches)
    assert result.plan.totals.served > 0

"""The solver on days small enough to know the right answer."""

from __future__ import annotations

import itertools

import pytest

import ktj_logistics as ktj
from ktj_logistics import UnservedReason, Vehicle

from .conftest import household, make_scenario, problem_of


def _tour_cost(result: ktj.Result) -> int:
    """Travel seconds of the single route, from the problem's own matrix."""
    route = result.plan.routes[0]
    return sum(s.travel_from_previous_s for s in route.stops)


def test_single_vehicle_tour_is_optimal_by_brute_force() -> None:
    """Five scattered households: the plan's tour equals the best of all 120 orders."""
    offsets = [(0.010, 0.004), (-0.006, 0.012), (0.015, -0.009), (-0.012, -0.010), (0.003, 0.020)]
    hs = [household(f"H{i}", a, b) for i, (a, b) in enumerate(offsets)]
    sc = make_scenario(hs)
    result = ktj.plan(sc)
    assert result.plan.totals.served == 5
    p = problem_of(sc)
    base = p.vehicles[0].loc
    dur = p.cost[p.vehicles[0].profile].duration
    jobs = [j.loc for j in p.jobs]
    best = min(
        sum(int(dur[a, b]) for a, b in zip((base, *order), (*order, base), strict=True))
        for order in itertools.permutations(jobs)
    )
    assert _tour_cost(result) == best


def test_when_the_fleet_is_short_the_more_urgent_household_is_served() -> None:
    """One motorbike, one trip, one package: the elderly household comes first."""
    bike = Vehicle(
        id="m1", kind="motorbike", base="polres", capacity_packages=1, capacity_kg=40, max_trips=1
    )
    hs = [household("young", 0.004, 0.0), household("elder", 0.012, 0.0, elderly=True)]
    plan = ktj.plan(make_scenario(hs, [bike])).plan
    assert plan.outcome("elder").status == "served"
    young = plan.outcome("young")
    assert young.status == "unserved" and young.reason == UnservedReason.fleet_capacity


def test_when_stock_is_short_the_least_urgent_go_without() -> None:
    hs = [
        household("a", 0.004, 0.0, comorbid=True),
        household("b", 0.005, 0.001),
        household("c", 0.006, 0.002, elderly=True, no_income=True),
    ]
    plan = ktj.plan(make_scenario(hs, stock=2)).plan
    assert {o.household_id for o in plan.served()} == {"a", "c"}
    assert plan.outcome("b").reason == UnservedReason.stock_shortfall


def test_a_motorbike_reloads_for_several_trips() -> None:
    bike = Vehicle(id="m1", kind="motorbike", base="polres", capacity_packages=2, capacity_kg=40)
    hs = [household(f"H{i}", 0.002 * (i + 1), 0.001 * i) for i in range(5)]
    plan = ktj.plan(make_scenario(hs, [bike])).plan
    assert plan.totals.served == 5
    assert plan.routes[0].trips == 3  # 2 + 2 + 1 packages
    loads = [s for s in plan.routes[0].stops if s.items and s.kind.value in ("start", "load")]
    assert sum(sum(s.items.values()) for s in loads) == 5


def test_a_window_no_vehicle_can_meet_is_reported_as_such() -> None:
    hs = [household("late", 0.004, 0.0, time_windows=["20:00-21:00"])]
    with pytest.raises(ktj.EmptyDay) as nobody:  # the only household: no plan at all
        ktj.plan(make_scenario(hs))
    assert nobody.value.plan.outcome("late").reason == UnservedReason.time_window
    hs.append(household("early", 0.004, 0.001))
    plan = ktj.plan(make_scenario(hs)).plan
    assert plan.outcome("late").reason == UnservedReason.time_window


def test_deterministic_mode_gives_the_same_plan_twice() -> None:
    hs = [household(f"H{i}", 0.003 * i, -0.002 * i) for i in range(8)]
    sc = make_scenario(hs)
    first, second = ktj.plan(sc).plan, ktj.plan(sc).plan
    # Only the measured wall time may differ.
    assert first.model_dump(exclude={"solver"}) == second.model_dump(exclude={"solver"})


def test_a_day_with_more_vehicles_than_stops_is_planned_at_once() -> None:
    """OR-Tools' iterated local search (used on one-trip days) never returns when the
    vehicles outnumber the stops; such a day must still plan within its time."""
    import time

    from .conftest import one_trip_cars

    sc = make_scenario([household("H1", 0.003, 0.001)], one_trip_cars(3), stock=5)
    t0 = time.monotonic()
    plan = ktj.plan(sc, ktj.PlanOptions(time_limit_s=1, deterministic=False)).plan
    assert plan.totals.served == 1
    assert time.monotonic() - t0 < 30

"""Re-solving groups of nearby routes (``_solve/improve.py``): never worse, nothing lost."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import ktj_logistics as ktj
from ktj_logistics import Vehicle
from ktj_logistics._engine import search_config
from ktj_logistics._plan import StopKind
from ktj_logistics._problem import Problem
from ktj_logistics._solve import improve as lns
from ktj_logistics._solve import portfolio
from ktj_logistics._solve.construct import initial_routes
from ktj_logistics._solve.ortools import solve
from ktj_logistics._solve.types import ITERATED_LOCAL_SEARCH, Routes, SearchConfig, Solution

from .conftest import household, make_scenario, one_trip_cars, problem_of

PRICE = SearchConfig(time_limit_s=0)


def _day(n: int = 90) -> ktj.Scenario:
    """``n`` households on a grid around the Polres; motorbikes that reload, and a car."""
    hs = [household(f"H{i}", 0.002 * (i % 10) - 0.009, 0.002 * (i // 10) - 0.009) for i in range(n)]
    fleet = [
        Vehicle(id=f"m{k}", kind="motorbike", base="polres", capacity_packages=4, capacity_kg=80)
        for k in range(5)
    ] + [Vehicle(id="c1", kind="car", base="polres", capacity_packages=12, capacity_kg=300)]
    return make_scenario(hs, fleet, stock=200)


def _one_trip_day(n: int = 90) -> ktj.Scenario:
    """The CVRP shape: cars loaded at the Polres, one trip each."""
    return make_scenario(_day(n).households, one_trip_cars(11), stock=200)


@pytest.fixture(scope="module")
def problem() -> Problem:
    return problem_of(_day())


@pytest.fixture(scope="module")
def one_trip() -> Problem:
    p = problem_of(_one_trip_day())
    assert p.single_trip_depot() is not None
    return p


def _served(routes: Routes) -> set[int]:
    return {v.index for r in routes for v in r if v.kind == StopKind.delivery}


def test_a_sub_problem_keeps_only_its_vehicles_and_jobs(problem: Problem) -> None:
    jobs = sorted(problem.assigned)[:7]
    sub = lns.sub_problem(problem, [4, 1], jobs)
    assert [v.id for v in sub.vehicles] == [problem.vehicles[4].id, problem.vehicles[1].id]
    assert set(sub.assigned) == set(jobs)
    assert all(sub.assigned[j] == problem.assigned[j] for j in jobs)


@pytest.mark.parametrize("day", ["problem", "one_trip"])
def test_improving_by_parts_is_never_worse_and_loses_no_household(
    day: str, request: pytest.FixtureRequest
) -> None:
    problem: Problem = request.getfixturevalue(day)
    start = initial_routes(problem)  # a hand-built start: room to improve
    before = solve(problem, PRICE, None, start)
    cfg = SearchConfig(time_limit_s=60)
    better = lns.improve(problem, start, cfg, time.monotonic() + 60, max_rounds=6)
    after = solve(problem, PRICE, None, better.routes)
    assert better.rounds == 6
    assert after.start_objective <= before.start_objective
    assert _served(better.routes) >= _served(start)
    if better.accepted:
        assert after.start_objective < before.start_objective
        assert better.gained > 0


def test_one_trip_parts_are_polished_then_rebuilt_reload_parts_kept_seeded(
    problem: Problem, one_trip: Problem
) -> None:
    """Measured choices (``ONE_TRIP_PARTS``, ``RELOAD_PARTS``), not accidents: on one-trip
    days a first pass of greedy descent over parts covering every route, then iterated
    local search; on reload days the member's own search, seeded."""
    seen: list[tuple[str, bool, frozenset[str]]] = []

    def spy(p: Problem, cfg: SearchConfig, progress: object, initial: object) -> Solution:
        seen.append((cfg.metaheuristic, cfg.use_initial, frozenset(v.id for v in p.vehicles)))
        return solve(p, cfg, None, initial)  # type: ignore[arg-type]

    cfg = SearchConfig(time_limit_s=60, metaheuristic="TABU_SEARCH")
    start = initial_routes(one_trip)
    lns.improve(one_trip, start, cfg, time.monotonic() + 60, max_rounds=12, solve_fn=spy)
    kinds = [m for m, _, _ in seen]
    polish = kinds.index(ITERATED_LOCAL_SEARCH)
    assert polish >= 1 and set(kinds[:polish]) == {"GREEDY_DESCENT"}
    assert set(kinds[polish:]) == {ITERATED_LOCAL_SEARCH}
    used = {one_trip.vehicles[v].id for v, r in enumerate(start) if r}
    assert used <= set().union(*(ids for _, _, ids in seen[:polish]))  # every route polished
    seen.clear()
    lns.improve(
        problem, initial_routes(problem), cfg, time.monotonic() + 60, max_rounds=2, solve_fn=spy
    )
    assert [(m, u) for m, u, _ in seen] == [("TABU_SEARCH", True)] * 2


def test_improving_by_parts_stops_at_the_deadline(problem: Problem) -> None:
    cfg = SearchConfig(time_limit_s=60)
    better = lns.improve(problem, initial_routes(problem), cfg, deadline=time.monotonic())
    assert better.rounds == 0


@pytest.mark.parametrize("make_day", [_day, _one_trip_day])
def test_a_day_planned_with_parts_is_verified_and_serves_everyone(
    make_day: Callable[[], ktj.Scenario],
) -> None:
    day = make_day()
    options = ktj.PlanOptions(time_limit_s=4, deterministic=False)
    assert search_config(day, options).decompose and len(day.households) > lns.MIN_JOBS
    result = ktj.plan(day, options)  # verified, or it raises
    assert result.plan.totals.served == 90
    assert result.searches and any(s.improve_rounds > 0 for s in result.searches)


@pytest.mark.parametrize(("households", "deterministic"), [(lns.MIN_JOBS, False), (90, True)])
def test_small_days_and_deterministic_mode_search_the_whole_model(
    households: int, deterministic: bool
) -> None:
    """Parts are searched by the clock; deterministic mode must not depend on it.

    Two solutions end the whole-model search long before the time limit, so a member
    that went on to improve by parts would have the time to (and fail the test)."""
    p = problem_of(_day(households))
    cfg = SearchConfig(
        time_limit_s=3, deterministic=deterministic, decompose=True, solution_limit=2
    )
    result = portfolio.member(p, cfg, None, initial_routes(p), 0)
    assert result.objective >= 0 and result.improve_rounds == 0


def test_iterated_local_search_keeps_its_seed_when_it_ends_worse(one_trip: Problem) -> None:
    """It cannot start from a seed, so the seed is priced and stands if the search loses."""
    seed = initial_routes(one_trip)
    good = SearchConfig(
        time_limit_s=0.5, first_solution="SAVINGS", metaheuristic=ITERATED_LOCAL_SEARCH
    )
    result = solve(one_trip, good, None, seed)
    assert 0 <= result.objective <= result.start_objective
    # Every household dropped is far worse than the seed: the seed must come back.
    poor = SearchConfig(
        time_limit_s=0.5,  # restoring the seed counts against the limit on a busy machine
        first_solution="ALL_UNPERFORMED",
        metaheuristic=ITERATED_LOCAL_SEARCH,
        solution_limit=1,
    )
    kept = solve(one_trip, poor, None, seed)
    assert kept.objective == kept.start_objective >= 0
    assert _served(kept.routes) == _served(seed)


def test_on_a_short_one_trip_day_the_search_by_parts_serves_the_urgent_first() -> None:
    """Iterated local search may drop any stop when it rebuilds a part; the drop
    penalties must still keep the elderly in when the fleet cannot take everyone."""
    n, cars = 80, 6  # 6 cars of 10 packages: 20 households go without
    hs = [
        household(f"H{i}", 0.002 * (i % 10) - 0.009, 0.002 * (i // 10) - 0.009, elderly=i % 7 == 0)
        for i in range(n)
    ]
    day = make_scenario(hs, one_trip_cars(cars), stock=200)
    plan = ktj.plan(day, ktj.PlanOptions(time_limit_s=4, deterministic=False)).plan
    assert plan.totals.served == 10 * cars
    elderly = [h.id for h in hs if h.elderly]
    assert all(plan.outcome(h).status == "served" for h in elderly)

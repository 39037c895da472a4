"""Re-solving groups of nearby routes (``lns.py``): never worse, nothing lost, reproducible."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import ktj_logistics as ktj
from ktj_logistics import lns, search
from ktj_logistics._solve.construct import initial_routes
from ktj_logistics._scenario import Vehicle
from ktj_logistics._engine import search_config
from ktj_logistics._problem import Problem
from ktj_logistics._solve.model import (
    ITERATED_LOCAL_SEARCH,
    SearchConfig,
    SolveResult,
    single_trip_depot,
    solve,
)

from .conftest import household, make_scenario, one_trip_cars

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
    return ktj.run(_day(), config=SearchConfig(time_limit_s=0.5)).problem


@pytest.fixture(scope="module")
def one_trip() -> Problem:
    p = ktj.run(_one_trip_day(), config=SearchConfig(time_limit_s=0.5)).problem
    assert single_trip_depot(p) is not None
    return p


def _served(routes: lns.Routes) -> set[int]:
    return {v.index for r in routes for v in r if v.kind == "job"}


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


def test_one_trip_parts_are_rebuilt_by_iterated_local_search_reload_parts_kept_seeded(
    problem: Problem, one_trip: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measured choices (``lns.ONE_TRIP_PARTS``, ``lns.RELOAD_PARTS``), not accidents."""
    seen: list[tuple[str, bool]] = []

    def spy(p: Problem, cfg: SearchConfig, progress: object, initial: object) -> SolveResult:
        seen.append((cfg.metaheuristic, cfg.use_initial))
        return solve(p, cfg, None, initial)  # type: ignore[arg-type]

    monkeypatch.setattr(lns, "solve", spy)
    cfg = SearchConfig(time_limit_s=60, metaheuristic="TABU_SEARCH")
    lns.improve(one_trip, initial_routes(one_trip), cfg, time.monotonic() + 60, max_rounds=2)
    lns.improve(problem, initial_routes(problem), cfg, time.monotonic() + 60, max_rounds=2)
    assert seen == [(ITERATED_LOCAL_SEARCH, True)] * 2 + [("TABU_SEARCH", True)] * 2


def test_improving_by_parts_stops_at_the_deadline(problem: Problem) -> None:
    cfg = SearchConfig(time_limit_s=60)
    better = lns.improve(problem, initial_routes(problem), cfg, deadline=time.monotonic())
    assert better.rounds == 0


@pytest.mark.parametrize("make_day", [_day, _one_trip_day])
def test_a_day_planned_with_parts_is_verified_and_serves_everyone(
    make_day: Callable[[], ktj.Scenario], monkeypatch: pytest.MonkeyPatch
) -> None:
    day = make_day()
    assert search_config(day).decompose and len(day.households) > lns.MIN_JOBS
    rounds: list[int] = []
    real = search.improve

    def counted(*args: object, **kwargs: object) -> lns.Improvement:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        rounds.append(out.rounds)
        return out

    monkeypatch.setattr(search, "improve", counted)
    monkeypatch.setattr(search, "_workers", lambda: 1)  # patched code must run in-process
    plan = ktj.plan(day, time_limit_s=6, deterministic=False)  # verified, or it raises
    assert plan.totals.served == 90
    assert rounds and all(r > 0 for r in rounds)


@pytest.mark.parametrize(("households", "deterministic"), [(lns.MIN_JOBS, False), (90, True)])
def test_small_days_and_deterministic_mode_search_the_whole_model(
    households: int, deterministic: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts are searched by the clock; deterministic mode must not depend on it."""
    called: list[int] = []
    monkeypatch.setattr(search, "improve", lambda *a, **k: called.append(1))
    p = ktj.run(_day(households), config=SearchConfig(time_limit_s=0.5)).problem
    cfg = SearchConfig(
        time_limit_s=1, deterministic=deterministic, decompose=True, solution_limit=20
    )
    result = search.member(p, cfg, None, initial_routes(p), 0)
    assert result.objective >= 0 and not called


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
        time_limit_s=0.01,
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
    plan = ktj.plan(day, time_limit_s=4, deterministic=False)
    assert plan.totals.served == 10 * cars
    elderly = [h.id for h in hs if h.elderly]
    assert all(plan.outcome(h).status == "served" for h in elderly)

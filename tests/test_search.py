"""The portfolio search: both cores, a fallback start, and reproducible plans."""

from __future__ import annotations

import ktj_logistics as ktj
from ktj_logistics import Vehicle
from ktj_logistics._engine import search_config
from ktj_logistics._solve import portfolio
from ktj_logistics._solve.construct import initial_routes
from ktj_logistics._solve.ortools import solve
from ktj_logistics._solve.types import ITERATED_LOCAL_SEARCH, SearchConfig, Solution, jobs_of

from .conftest import household, make_scenario, one_trip_cars, problem_of


def _day() -> ktj.Scenario:
    return make_scenario([household(f"H{i}", 0.003 * i, -0.002 * (i % 4)) for i in range(9)])


def test_the_plan_command_races_differently_started_searches() -> None:
    runs = portfolio.members(search_config(_day(), ktj.PlanOptions()), problem_of(_day()))
    assert len({r.first_solution for r in runs}) == len(runs) >= 2
    assert not any(r.portfolio for r in runs)


def test_deterministic_members_never_use_the_clock_cooled_iterated_local_search() -> None:
    problem = problem_of(make_scenario(_day().households, one_trip_cars(2)))
    free = portfolio.members(SearchConfig(time_limit_s=1, portfolio=True), problem)
    fixed = portfolio.members(
        SearchConfig(time_limit_s=1, portfolio=True, deterministic=True), problem
    )
    assert {r.metaheuristic for r in free} == {ITERATED_LOCAL_SEARCH}
    assert ITERATED_LOCAL_SEARCH not in {r.metaheuristic for r in fixed}


def test_an_explicit_single_search_runs_alone() -> None:
    cfg = SearchConfig(time_limit_s=1, first_solution="PATH_CHEAPEST_ARC")
    assert portfolio.members(cfg, problem_of(_day())) == [cfg]


def test_when_no_portfolio_start_finds_a_plan_another_start_is_tried() -> None:
    problem = problem_of(_day())
    starts = {start for start, _, _ in portfolio.portfolio_starts(problem)}
    tried: list[str] = []

    def stuck_starts(p: object, cfg: SearchConfig, progress: object, initial: object) -> Solution:
        tried.append(cfg.first_solution)
        if cfg.first_solution in starts:
            return Solution((), "fail_timeout", -1, cfg.time_limit_s)
        return solve(p, cfg, progress, initial)  # type: ignore[arg-type]

    cfg = SearchConfig(time_limit_s=1, portfolio=True, workers=1, deterministic=True)
    found = portfolio.candidates(problem, cfg, None, initial_routes(problem), stuck_starts)
    assert found and found[0].objective >= 0
    assert sum(len(jobs_of(r)) for r in found[0].routes) == 9
    assert tried[len(starts)] == portfolio.FALLBACK_STARTS[0]


def test_the_portfolio_in_deterministic_mode_gives_the_same_plan_twice() -> None:
    """Two members race in two processes; the winner must not depend on who finished first."""
    bikes = [
        Vehicle(id=f"m{k}", kind="motorbike", base="polres", capacity_packages=4, capacity_kg=80)
        for k in range(2)
    ]
    hs = [household(f"H{i}", 0.004 * (i % 5), -0.003 * (i // 5)) for i in range(12)]
    sc = make_scenario(hs, bikes)  # deterministic: true
    options = ktj.PlanOptions(workers=2, search_solutions=60)
    assert search_config(sc, options).portfolio
    first, second = ktj.plan(sc, options).plan, ktj.plan(sc, options).plan
    assert first.totals.served == 12
    assert first.model_dump(exclude={"solver"}) == second.model_dump(exclude={"solver"})

"""The portfolio search: both cores, a fallback start, and reproducible plans."""

from __future__ import annotations

import pytest

import ktj_logistics as ktj
from ktj_logistics import search
from ktj_logistics._scenario import Vehicle
from ktj_logistics._engine import search_config
from ktj_logistics._solve.model import ITERATED_LOCAL_SEARCH, SearchConfig, SolveResult

from .conftest import household, make_scenario, one_trip_cars


def _day() -> ktj.Scenario:
    return make_scenario([household(f"H{i}", 0.003 * i, -0.002 * (i % 4)) for i in range(9)])


def test_the_plan_command_races_differently_started_searches() -> None:
    problem = ktj.run(_day()).problem
    runs = search.members(search_config(_day()), problem)
    assert len({r.first_solution for r in runs}) == len(runs) >= 2
    assert not any(r.portfolio for r in runs)


def test_deterministic_members_never_use_the_clock_cooled_iterated_local_search() -> None:
    problem = ktj.run(make_scenario(_day().households, one_trip_cars(2))).problem
    free = search.members(SearchConfig(time_limit_s=1, portfolio=True), problem)
    fixed = search.members(
        SearchConfig(time_limit_s=1, portfolio=True, deterministic=True), problem
    )
    assert {r.metaheuristic for r in free} == {ITERATED_LOCAL_SEARCH}
    assert ITERATED_LOCAL_SEARCH not in {r.metaheuristic for r in fixed}


def test_an_explicit_single_search_runs_alone() -> None:
    cfg = SearchConfig(time_limit_s=1, first_solution="PATH_CHEAPEST_ARC")
    assert search.members(cfg, ktj.run(_day()).problem) == [cfg]


def test_when_no_portfolio_start_finds_a_plan_another_start_is_tried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = search.solve
    tried: list[str] = []

    portfolio = {start for start, _, _ in search.portfolio_starts(ktj.run(_day()).problem)}

    def stuck_starts(
        problem: object, cfg: SearchConfig, progress: object = None, initial: object = None
    ) -> SolveResult:
        tried.append(cfg.first_solution)
        if cfg.first_solution in portfolio:
            return SolveResult((), "fail_timeout", -1, cfg.time_limit_s)
        return real(problem, cfg, progress, initial)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "solve", stuck_starts)
    monkeypatch.setattr(search, "_workers", lambda: 1)  # patched code must run in-process
    plan = ktj.plan(_day())
    assert plan.totals.served == 9
    assert tried[len(portfolio)] == search.FALLBACK_STARTS[0]


def test_the_portfolio_in_deterministic_mode_gives_the_same_plan_twice() -> None:
    """Two members race in two processes; the winner must not depend on who finished first."""
    bikes = [
        Vehicle(id=f"m{k}", kind="motorbike", base="polres", capacity_packages=4, capacity_kg=80)
        for k in range(2)
    ]
    hs = [household(f"H{i}", 0.004 * (i % 5), -0.003 * (i // 5)) for i in range(12)]
    sc = make_scenario(hs, bikes)  # deterministic: true
    assert search_config(sc).portfolio
    first, second = ktj.plan(sc), ktj.plan(sc)
    assert first.totals.served == 12
    assert first.model_dump(exclude={"solver"}) == second.model_dump(exclude={"solver"})

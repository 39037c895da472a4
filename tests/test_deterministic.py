"""Deterministic mode: the same input gives the same plan, run after run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ktj_logistics import PlanOptions, load, plan
from ktj_logistics._engine import search_config
from ktj_logistics._expect.evaluate import plan_fingerprint


def test_two_deterministic_runs_give_identical_plan_json(
    copy_scenario: Callable[[str], Path],
) -> None:
    # fleet-shortage makes the solver trade households against time: many plans are close.
    path = copy_scenario("fleet-shortage")
    sc = load(path).scenario
    assert sc.settings.deterministic
    # A short deterministic search: the claim is sameness, not quality.
    options = PlanOptions(base_dir=path.parent, search_solutions=60)
    first, second = (plan(sc, options).plan for _ in range(2))
    assert first.totals.served > 0 and first.totals.unserved > 0
    a = json.dumps(plan_fingerprint(first), sort_keys=True)
    b = json.dumps(plan_fingerprint(second), sort_keys=True)
    assert a == b


def test_search_solutions_is_the_solvers_solution_limit(
    copy_scenario: Callable[[str], Path],
) -> None:
    path = copy_scenario("fleet-shortage")
    sc = load(path).scenario
    assert sc.settings.search_solutions == 300
    cfg = search_config(sc, PlanOptions())
    assert cfg.deterministic and cfg.solution_limit == 300

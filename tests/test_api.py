"""The public Python API: small, typed, and exactly what ``__all__`` says."""

from __future__ import annotations

from pathlib import Path

import ktj_logistics as ktj


def test_two_lines_plan_a_day(tiny_path: Path) -> None:
    plan = ktj.plan(ktj.load_scenario(tiny_path))
    assert isinstance(plan, ktj.Plan)
    assert plan.totals.served + plan.totals.unserved == 4


def test_every_household_is_in_the_plan_once(tiny_path: Path) -> None:
    scenario = ktj.load_scenario(tiny_path)
    plan = ktj.plan(scenario)
    assert sorted(o.household_id for o in plan.households) == sorted(
        h.id for h in scenario.households
    )


def test_all_is_sorted_and_complete() -> None:
    assert ktj.__all__ == sorted(ktj.__all__)
    for name in ktj.__all__:
        assert hasattr(ktj, name)


def test_a_plan_round_trips_through_json(tiny_path: Path) -> None:
    plan = ktj.plan(ktj.load_scenario(tiny_path))
    assert ktj.Plan.model_validate_json(plan.model_dump_json()) == plan

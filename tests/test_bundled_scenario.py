"""The bundled South Jakarta day plans, verifies, and obeys its settlement rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ktj_logistics as ktj
from ktj_logistics import load

BUNDLED = Path(__file__).parents[1] / "scenarios" / "jakarta-selatan" / "scenario.yaml"
SHORT = 2.0
"""Seconds for the whole day: enough for a verified plan, not for the best one. The
served share comes from the stock and the fleet: 410 of 444 at 0.5 s, 408-413 at 1.5-6 s
(one worker); cars reach 74 alley households without the dense_settlement plugin at
0.5 s already."""


def _cars_in_alleys(scenario: ktj.Scenario, plan: ktj.Plan) -> list[str]:
    dense = {h.id for h in scenario.households if h.settlement_type == "dense_settlement"}
    return [
        hid
        for r in plan.routes
        if r.vehicle_kind in ("car", "van")
        for s in r.stops
        for hid in s.household_ids
        if hid in dense
    ]


@pytest.fixture(scope="module")
def bundled() -> ktj.Scenario:
    return load(BUNDLED).scenario


def test_the_bundled_day_plans_verifies_and_loses_no_one(bundled: ktj.Scenario) -> None:
    plan = ktj.plan(bundled, ktj.PlanOptions(time_limit_s=SHORT)).plan  # verified, or it raises
    assert plan.totals.households == len(bundled.households) >= 400
    assert plan.totals.served >= 0.9 * plan.totals.households
    assert max(r.trips for r in plan.routes if r.vehicle_kind == "motorbike") >= 3
    assert not _cars_in_alleys(bundled, plan)


def test_without_the_dense_settlement_plugin_cars_enter_the_alleys(tmp_path: Path) -> None:
    case = tmp_path / "day"
    shutil.copytree(BUNDLED.parent, case)  # with data/: the road network is there
    text = (case / "scenario.yaml").read_text(encoding="utf-8")
    (case / "scenario.yaml").write_text(text + "plugins:\n  dense_settlement: false\n", "utf-8")
    scenario = load(case / "scenario.yaml").scenario
    plan = ktj.plan(scenario, ktj.PlanOptions(time_limit_s=SHORT)).plan
    assert _cars_in_alleys(scenario, plan)


LARGE_DAY = Path(__file__).parents[1] / "scenarios" / "large-day" / "scenario.yaml"


def test_the_bundled_large_day_is_planned_by_parts_through_the_library_and_check(
    ktj_route: object,
) -> None:
    """One door: ``ktj_logistics.plan`` and ``ktj-route check`` both split the 2,000
    households, because the entry point decides, not the caller."""
    scenario = load(LARGE_DAY).scenario
    result = ktj.plan(scenario, ktj.PlanOptions(base_dir=LARGE_DAY.parent))
    assert result.method == "parts" and len(result.parts) >= 10
    assert result.plan.solver.method == "parts"
    assert sum(p.households for p in result.parts) <= len(scenario.households)
    ran = ktj_route("check", LARGE_DAY)  # type: ignore[operator]
    assert ran.exit_code == 0, ran.text
    assert "by parts" in ran.text and "1 passed" in ran.text

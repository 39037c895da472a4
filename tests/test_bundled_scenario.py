"""The bundled South Jakarta day plans, verifies, and obeys its settlement rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ktj_logistics as ktj
from ktj_logistics._load.loader import load

BUNDLED = Path(__file__).parents[1] / "scenarios" / "jakarta-selatan" / "scenario.yaml"
SHORT = 6.0  # seconds of search: enough for a verified plan, not for the best one


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
    plan = ktj.plan(bundled, time_limit_s=SHORT)  # verified, or it raises
    assert plan.totals.households == len(bundled.households) >= 400
    assert plan.totals.served >= 0.9 * plan.totals.households
    assert max(r.trips for r in plan.routes if r.vehicle_kind == "motorbike") >= 3
    assert not _cars_in_alleys(bundled, plan)


def test_without_the_dense_settlement_plugin_cars_enter_the_alleys(tmp_path: Path) -> None:
    case = tmp_path / "day"
    shutil.copytree(BUNDLED.parent, case, ignore=shutil.ignore_patterns("data"))
    text = (case / "scenario.yaml").read_text(encoding="utf-8")
    (case / "scenario.yaml").write_text(text + "plugins:\n  dense_settlement: false\n", "utf-8")
    scenario = load(case / "scenario.yaml").scenario
    plan = ktj.plan(scenario, time_limit_s=SHORT)
    assert _cars_in_alleys(scenario, plan)

"""A day with no plan ends with a clear message and exit code 3; a partly possible day plans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ktj_logistics import NoPlanError, PlanOptions, load_scenario, plan
from ktj_logistics._solve.types import Solution

from .conftest import TINY_SCENARIO


def tiny_copy(tmp_path: Path, vehicles: str | None = None, households: str | None = None) -> Path:
    case = tmp_path / "case"
    shutil.copytree(TINY_SCENARIO.parent, case)
    for name, edit in (("vehicles.csv", vehicles), ("households.csv", households)):
        if edit is not None:
            f = case / name
            old, new = edit.split(" => ")
            text = f.read_text(encoding="utf-8-sig")
            assert old in text
            f.write_text(text.replace(old, new), encoding="utf-8-sig")
    return case / "scenario.yaml"


def test_shifts_too_short_to_reach_anyone_end_with_exit_3_and_the_reasons(
    ktj_route, tmp_path: Path
) -> None:
    scenario = tiny_copy(tmp_path, vehicles="08:00-16:00 => 08:00-08:01")
    out = tmp_path / "out"
    ran = ktj_route("plan", scenario, "--out", out)
    assert ran.exception is None and "Traceback" not in ran.text
    assert ran.exit_code == 3, ran.text
    assert "no household can be served today: 4 × time_window" in ran.text
    assert "Check vehicle shifts, time windows, stock and capacities" in ran.text
    assert not out.exists()


def _finds_nothing(problem: object, config: object, *args: object) -> Solution:
    """What OR-Tools reports when its limits end before any plan."""
    return Solution((), "fail_timeout", -1, 0.5)


def test_when_no_search_finds_a_plan_in_time_the_library_raises_no_plan_error() -> None:
    options = PlanOptions(time_limit_s=0.5, deterministic=False, solve_fn=_finds_nothing)
    with pytest.raises(NoPlanError, match=r"the solver found no plan within 0\.5 s"):
        plan(load_scenario(TINY_SCENARIO), options)


def test_a_tiny_time_limit_still_gives_the_constructed_plan(ktj_route, tmp_path: Path) -> None:
    """The constructed first plan is there before the search starts: never 'no plan'."""
    out = tmp_path / "out"
    ran = ktj_route(
        "plan", TINY_SCENARIO, "--out", out, "--time-limit", "0.001", "--no-deterministic"
    )
    assert ran.exit_code == 0, ran.text
    assert (out / "plan.json").exists()


@pytest.mark.parametrize("limit", ["0", "-1", "nan"])
def test_a_time_limit_that_is_not_positive_is_bad_input(ktj_route, limit: str) -> None:
    ran = ktj_route("plan", TINY_SCENARIO, "--time-limit", limit)
    assert ran.exit_code == 2
    assert "--time-limit" in ran.text


def test_a_partly_possible_day_gives_a_plan_with_each_unserved_household_and_its_reason(
    ktj_route, tmp_path: Path
) -> None:
    scenario = tiny_copy(tmp_path, households="09:00-12:00 => 05:00-06:00")
    out = tmp_path / "out"
    ran = ktj_route("plan", scenario, "--out", out, "--lang", "en")
    assert ran.exit_code == 0, ran.text
    assert "served 3, unserved 1" in ran.text
    plan = json.loads((out / "plan.json").read_text())
    outcomes = {o["household_id"]: o for o in plan["households"]}
    assert set(outcomes) == {"H1", "H2", "H3", "H4"}
    assert outcomes["H3"]["status"] == "unserved"
    assert outcomes["H3"]["reason"] == "time_window"
    assert all(outcomes[h]["status"] == "served" for h in ("H1", "H2", "H4"))

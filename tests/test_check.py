"""`ktj-route check`: breaking a rule on purpose fails the right expectation, in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ktj_logistics import PlanOptions
from ktj_logistics._cli.app import app
from ktj_logistics._expect.run import check_file, find_scenarios
from ktj_logistics._solve.ortools import solve

from .conftest import short_search

runner = CliRunner()


def _check(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *args], env={"COLUMNS": "200"})
    return result.exit_code, " ".join(result.output.split())  # lines may wrap


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_the_stock_shortage_scenario_passes_as_shipped(
    copy_scenario: Callable[[str], Path],
) -> None:
    outcome = check_file(copy_scenario("stock-shortage"))
    assert outcome.status == "passed", outcome.explanation()
    assert {f.expectation for f in outcome.findings} >= {
        "served_if_priority_at_least",
        "fairness_floor",
        "deterministic",
    }


def test_the_flooded_area_scenario_passes_as_shipped(
    copy_scenario: Callable[[str], Path],
) -> None:
    outcome = check_file(copy_scenario("flooded-area"))
    assert outcome.status == "passed", outcome.explanation()
    assert {f.expectation for f in outcome.findings} >= {"no_vehicle_at[0]", "deterministic"}


def test_check_file_plans_and_replans_with_the_options_it_is_given(
    copy_scenario: Callable[[str], Path],
) -> None:
    """A test of a behaviour may ask for a shorter search; the ``deterministic``
    expectation's re-plan searches with it too, and the scenario's folder still holds
    its local plugins."""
    limits: list[int] = []

    def counted(*args: Any) -> Any:
        limits.append(args[1].solution_limit)
        return solve(*args)

    path = copy_scenario("flooded-area")  # flood_closure.py sits beside it
    options = PlanOptions(search_solutions=7, workers=1, solve_fn=counted)
    outcome = check_file(path, options=options)
    assert outcome.status == "passed", outcome.explanation()
    assert {f.expectation for f in outcome.findings} >= {"no_vehicle_at[0]", "deterministic"}
    assert len(limits) >= 4 and set(limits) == {7}  # two searches per plan, two plans


def test_shrinking_stock_fails_the_priority_expectation_and_exits_1(
    copy_scenario: Callable[[str], Path],
) -> None:
    path = copy_scenario("stock-shortage")
    _replace(path, "stock: {standard: 24}", "stock: {standard: 8}")
    short_search(path)
    code, output = _check(str(path))
    assert code == 1
    assert re.search(
        r"served_if_priority_at_least: \d+ of 16 households with priority 30 or", output
    )
    assert "min_served: " in output and "expected at least 16" in output
    # Rules that still hold are not reported as failures.
    assert "stock_respected:" not in output


def test_disabling_the_flood_plugin_sends_cars_into_the_flood_and_the_ban_says_so(
    copy_scenario: Callable[[str], Path],
) -> None:
    path = copy_scenario("flooded-area")
    _replace(path, "flood_closure: {kelurahan", "flood_closure: false\n  _was: {kelurahan")
    _replace(path, '  _was: {kelurahan: PEJATEN TIMUR, rw: ["05", "06"]}\n', "")
    short_search(path)
    code, output = _check(str(path))
    assert code == 1
    assert re.search(
        r"no_vehicle_at\[0\]: car c\d delivers to \d+ of the kelurahan PEJATEN TIMUR in RW 05, 06",
        output,
    )
    assert "where no car or van may go" in output


def test_a_scenario_without_expectations_passes_when_it_plans_and_verifies(
    copy_scenario: Callable[[str], Path],
) -> None:
    code, output = _check(str(copy_scenario("tiny")))
    assert code == 0
    assert "1 passed, 0 failed" in output


def test_junit_xml_parses_and_lists_every_scenario_with_its_verdict(
    copy_scenario: Callable[[str], Path], tmp_path: Path
) -> None:
    copy_scenario("tiny")
    failing = copy_scenario("stock-shortage")
    _replace(failing, "min_served: 16", "min_served: 30")
    short_search(failing)
    broken = tmp_path / "broken" / "scenario.yaml"
    broken.parent.mkdir()
    broken.write_text("settings: {planning_date: 2021-07-12}\nsources: [\n")
    junit = tmp_path / "out" / "results.xml"
    code, _ = _check(str(tmp_path), "--junit", str(junit))
    assert code == 1
    root = ET.parse(junit).getroot()
    cases = {Path(c.get("name", "")).parent.name: c for c in root.iter("testcase")}
    assert set(cases) == {"tiny", "stock-shortage", "broken"}
    assert root.get("tests") == "3" and root.get("failures") == "1" and root.get("errors") == "1"
    failure = cases["stock-shortage"].find("failure")
    assert failure is not None
    assert "16 of 32 households served; expected at least 30" in (failure.text or "")
    assert cases["broken"].find("error") is not None
    assert cases["tiny"].find("failure") is None and cases["tiny"].find("error") is None


def test_skip_slow_leaves_out_scenarios_tagged_slow(
    copy_scenario: Callable[[str], Path],
) -> None:
    path = copy_scenario("tiny")
    path.write_text(path.read_text() + "expect:\n  tags: [slow]\n")
    code, output = _check(str(path), "--skip-slow")
    assert code == 0
    assert "0 passed, 0 failed, 1 skipped" in output


def test_folders_are_searched_for_scenario_files_only(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "scenario.yaml").write_text("settings: {}\n")
    (tmp_path / "b.yaml").write_text("name: b\nsettings:\n  planning_date: 2021-07-01\n")
    (tmp_path / "notes.yaml").write_text("title: not a scenario\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "scenario.yaml").write_text("settings: {}\n")
    found = find_scenarios([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/scenario.yaml", "b.yaml"]


def test_a_path_that_does_not_exist_is_bad_input() -> None:
    code, output = _check("no/such/folder")
    assert code == 2
    assert "no such file or folder" in output


def _installed(plugin: str) -> bool:
    return any(ep.name == plugin for ep in entry_points(group="ktj_logistics"))


@pytest.mark.skipif(
    not _installed("dense_settlement"),
    reason="the dense_settlement plugin (branch 'plugins') is not installed in this environment",
)
def test_disabling_dense_settlement_sends_a_car_into_the_alleys_and_fails(
    copy_scenario: Callable[[str], Path],
) -> None:
    path = copy_scenario("dense-kampung")
    assert check_file(path).status == "passed"
    # The alley rule is gone but the settlement type is still known (a plugin regression).
    (path.parent / "types_only.py").write_text(
        "from ktj_logistics._plugins.hookspecs import hookimpl\n\n\n"
        "@hookimpl\n"
        "def ktj_settlement_types():\n"
        "    return ['dense_settlement']\n"
    )
    path.write_text(
        path.read_text() + "plugin_paths: [types_only.py]\nplugins:\n  dense_settlement: false\n"
    )
    short_search(path)
    code, output = _check(str(path))
    assert code == 1
    assert re.search(r"no_vehicle_at\[0\]: car c1 delivers to \d+ of the dense_settlement", output)

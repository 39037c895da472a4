"""Re-planning during the day: through the public API, the CLI and ``ktj-route check``.

The small re-plan day (scenarios/replan/day) is planned once as the morning's issued
sheets; each test re-plans it at a time T with one change and checks what stayed, what
moved and what the changes report says.
"""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ktj_logistics as ktj
from ktj_logistics._cli.app import app
from ktj_logistics._expect.run import check_file
from ktj_logistics._replan import SourceChange, VehicleOff
from ktj_logistics._replan.state import underway
from ktj_logistics._verify import check_replan

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "scenarios" / "replan"
DAY = CASES / "day" / "scenario.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def day() -> tuple[ktj.Scenario, ktj.Plan]:
    scenario = ktj.load_scenario(DAY)
    return scenario, ktj.plan(scenario, ktj.PlanOptions(base_dir=DAY.parent)).plan


def _delivered(plan: ktj.Plan) -> dict[str, str]:
    return {
        h: r.vehicle_id
        for r in plan.routes
        for s in r.stops
        if s.kind == ktj.StopKind.delivery
        for h in s.household_ids
    }


def test_officer_sick_keeps_what_was_done_and_loaded(day: tuple[ktj.Scenario, ktj.Plan]) -> None:
    scenario, issued = day
    at = time(10, 0)
    sick = "m-tebet-1"
    changes = ktj.Changes(vehicles_off=[VehicleOff(vehicle=sick, reason="sick")])
    done = ktj.replan(scenario, issued, at, changes, ktj.PlanOptions(base_dir=DAY.parent))
    new = _delivered(done.plan)
    assert sick not in {r.vehicle_id for r in done.plan.routes}
    at_s = 10 * 3600
    for r in issued.routes:
        for s in r.stops:
            if s.kind != ktj.StopKind.delivery:
                continue
            if s.arrival_s < at_s:  # done: never planned again
                assert not set(s.household_ids) & set(new)
            elif r.vehicle_id == sick:  # the sick officer's rest goes to others
                assert all(h in new and new[h] != sick for h in s.household_ids)
    assert check_replan(issued, at_s, done.plan, {sick}, scenario) == []
    report = done.report
    officer = {o.vehicle_id: o for o in report.officers}
    assert officer[sick].new_sheet and officer[sick].off_duty == "sick"
    assert report.new_sheets == sum(o.new_sheet for o in report.officers)
    assert report.new_sheets < len(report.officers)  # sticky: not every sheet changes
    # every vehicle starts where it is: its base, or after the trip it had loaded
    for r in done.plan.routes:
        first = r.stops[0]
        assert first.departure_s >= at_s
        if first.place_id.startswith("start:"):
            assert first.label.startswith(("after ", "at "))
    assert "officer" not in done.text().lower() or "BHABIN" in done.text()


def test_verifier_catches_a_plan_that_moves_done_stops(
    day: tuple[ktj.Scenario, ktj.Plan],
) -> None:
    scenario, issued = day
    # The issued plan itself, taken as the "rest of the day" at 11:00, delivers again
    # to every household reached before 11:00 and starts its vehicles at their bases.
    found = check_replan(issued, 11 * 3600, issued, {"m-tebet-1"}, scenario)
    codes = {v.code for v in found}
    assert {"moved_done", "start_moved", "off_duty_used"} <= codes


def test_truck_late_moves_polda_loads_after_its_arrival(
    day: tuple[ktj.Scenario, ktj.Plan],
) -> None:
    scenario, issued = day
    changes = ktj.Changes(sources=[SourceChange(source="polda-mj", available_from=time(12, 0))])
    done = ktj.replan(scenario, issued, time(9, 30), changes, ktj.PlanOptions(base_dir=DAY.parent))
    loads = [
        s
        for r in done.plan.routes
        for s in r.stops
        if s.kind == ktj.StopKind.load and s.source_id == "polda-mj"
    ]
    assert loads and all(s.arrival_s + s.wait_s >= 12 * 3600 for s in loads)
    assert done.plan.totals.unserved == 0


def test_cancelled_and_unknown_ids(day: tuple[ktj.Scenario, ktj.Plan]) -> None:
    scenario, issued = day
    at_s = 10 * 3600
    rest = [
        h
        for st in underway(issued, at_s, set()).vehicles.values()
        for s in st.rest
        for h in s.household_ids
    ]
    gone = rest[-1]
    done = ktj.replan(
        scenario,
        issued,
        time(10, 0),
        ktj.Changes(cancelled=[gone]),
        ktj.PlanOptions(base_dir=DAY.parent),
    )
    assert gone not in {o.household_id for o in done.plan.households}
    with pytest.raises(ktj.InputError) as err:
        ktj.replan(scenario, issued, time(10, 0), ktj.Changes(cancelled=["NOPE"]))
    assert err.value.issues[0].field == "cancelled"


def test_cli_replan_writes_plan_and_changes(
    day: tuple[ktj.Scenario, ktj.Plan], tmp_path: Path
) -> None:
    _, issued = day
    plan_json = tmp_path / "issued.json"
    plan_json.write_text(issued.model_dump_json(), encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        ["replan", str(DAY), "--plan", str(plan_json), "--at", "10:00", "--off", "m-tebet-1"]
        + ["--out", str(out), "-q"],
    )
    assert res.exit_code == 0, res.output
    assert "get a new sheet" in res.output
    changes = json.loads((out / "latest" / "changes.json").read_text(encoding="utf-8"))
    assert changes["at"] == "10:00"
    off = [o for o in changes["officers"] if o["vehicle_id"] == "m-tebet-1"]
    assert off and off[0]["new_sheet"] and off[0]["off_duty"] == "unavailable"
    manifest = json.loads((out / "latest" / "manifest.json").read_text(encoding="utf-8"))
    assert "changes.txt" in json.dumps(manifest)
    assert (out / "latest" / "sheets").is_dir()
    bad = runner.invoke(
        app,
        ["replan", str(DAY), "--plan", str(plan_json), "--at", "10:00", "--off", "nobody"]
        + ["--out", str(tmp_path / "bad"), "-q"],
    )
    assert bad.exit_code == 2
    assert "nobody" in bad.output


def test_cli_replan_scenario_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["replan", str(CASES / "urgent-households.yaml"), "--out", str(out), "-q"]
    )
    assert res.exit_code == 0, res.output
    assert "Urgent households served: 5" in res.output


def test_check_judges_a_replan_case() -> None:
    outcome = check_file(CASES / "officer-sick.yaml")
    assert outcome.status == "passed", outcome.explanation()
    names = {f.expectation for f in outcome.findings}
    assert {"replan.nothing_moved", "replan.max_sheets_changed"} <= names

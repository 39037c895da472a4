"""`ktj-route` end to end: files written, exit codes, messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ktj_logistics._cli.app import app

runner = CliRunner()


def test_plan_writes_the_plan_and_exits_zero(tiny_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(tiny_path), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"plan.json", "routes.csv", "summary.txt", "map.html"}
    plan = json.loads((out / "plan.json").read_text())
    assert plan["schema_version"] == "1.1"
    assert plan["totals"]["households"] == 4
    assert "served 4" in result.output


def test_verify_accepts_the_written_plan(tiny_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["plan", str(tiny_path), "--out", str(out), "-q"])
    result = runner.invoke(app, ["verify", str(tiny_path), str(out / "plan.json")])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_verify_rejects_a_hand_edited_plan_with_exit_1(tiny_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["plan", str(tiny_path), "--out", str(out), "-q"])
    plan = json.loads((out / "plan.json").read_text())
    plan["households"] = plan["households"][1:]
    (out / "plan.json").write_text(json.dumps(plan))
    result = runner.invoke(app, ["verify", str(tiny_path), str(out / "plan.json")])
    assert result.exit_code == 1
    assert "missing_household" in result.output


def test_bad_input_exits_2_naming_file_row_and_fix(tiny_path: Path, tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(tiny_path.parent, case)
    csv = case / "households.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8-sig").replace("H2;Pak Budi;-6,2555", "H2;Pak Budi;abc")
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(case / "scenario.yaml"), "--out", str(out)])
    assert result.exit_code == 2
    assert "households.csv" in result.output and "row 3" in result.output
    assert "lat" in result.output and "Fix:" in result.output
    assert not out.exists()


def test_schema_prints_the_plan_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Plan" and "households" in schema["properties"]


def test_plugins_lists_the_built_in_plugins() -> None:
    result = runner.invoke(app, ["plugins"])
    assert result.exit_code == 0
    assert "vulnerability" in result.output and "built-in" in result.output


def test_validate_reports_without_solving(tiny_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tiny_path)])
    assert result.exit_code == 0 and "4 households" in result.output

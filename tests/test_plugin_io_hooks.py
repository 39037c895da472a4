"""Loaders and exporters from plugins: another file format in, another format out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ktj_logistics import InputError, PluginError, load
from ktj_logistics._cli.app import app
from tests.plugin_fixtures import household, scenario_data

runner = CliRunner()

JSON_LOADER = '''\
"""Reads household lists exported as JSON (a list of objects) by the RT's web form."""
import json

from ktj_logistics import Loader, hookimpl
def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


@hookimpl
def ktj_register_loaders():
    return [Loader("json-list", (".json",), read, "JSON list of objects")]
'''


def _scenario_with_json_households(tmp_path: Path, rows: list[dict]) -> Path:
    (tmp_path / "json_lists.py").write_text(JSON_LOADER, encoding="utf-8")
    (tmp_path / "households.json").write_text(json.dumps(rows), encoding="utf-8")
    data = scenario_data([])
    data["households"] = "households.json"
    data["plugin_paths"] = ["json_lists.py"]
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_plugin_loader_reads_households_from_a_file_suffix_it_claims(tmp_path: Path) -> None:
    rows = [
        {"id": "J1", "lat": -6.25, "lon": 106.8, "lansia": "ya", "paket": "2"},
        {"id": "J2", "lat": -6.251, "lon": 106.801, "settlement_type": "dense_settlement"},
    ]
    sc = load(_scenario_with_json_households(tmp_path, rows)).scenario
    assert [h.id for h in sc.households] == ["J1", "J2"]
    # The records pass through the CSV rules: Indonesian column aliases, ya/tidak.
    assert sc.households[0].elderly and sc.households[0].packages_needed == 2
    assert sc.households[1].settlement_type == "dense_settlement"


def test_loaded_records_are_checked_with_file_and_row_like_a_csv(tmp_path: Path) -> None:
    rows = [{"id": "J1", "lat": -6.25, "lon": 106.8}, {"id": "J2", "lat": "selatan", "lon": 106.8}]
    with pytest.raises(InputError) as e:
        load(_scenario_with_json_households(tmp_path, rows))
    issue = e.value.issues[0]
    assert (issue.file, issue.row, issue.field) == ("households.json", 3, "lat")


def test_a_loader_that_fails_is_a_plugin_error_naming_it(tmp_path: Path) -> None:
    path = _scenario_with_json_households(tmp_path, [])
    (tmp_path / "households.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PluginError) as e:
        load(path)
    assert e.value.plugin == "json_lists"
    assert e.value.hook.startswith("ktj_register_loaders (loader 'json-list'")


def test_csv_files_are_read_by_the_built_in_reader_even_with_a_loader_installed(
    tmp_path: Path,
) -> None:
    path = _scenario_with_json_households(tmp_path, [])
    (tmp_path / "households.csv").write_text("id;lat;lon\nC1;-6,25;106,8\n", encoding="utf-8")
    data = yaml.safe_load(path.read_text())
    data["households"] = "households.csv"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert [h.id for h in load(path).scenario.households] == ["C1"]


COUNT_EXPORTER = '''\
"""Writes counts.json: served and unserved per kelurahan, for the Polres daily report."""
import json
from collections import Counter

from ktj_logistics import Exporter, hookimpl
def write(plan, scenario, out_dir, options):
    kel = {h.id: h.kelurahan or "?" for h in scenario.households}
    counts = Counter((kel[o.household_id], o.status) for o in plan.households)
    path = out_dir / "counts.json"
    path.write_text(json.dumps({f"{k}/{s}": n for (k, s), n in sorted(counts.items())}))
    return [path]


@hookimpl
def ktj_register_exporters():
    return [Exporter("counts", "served/unserved per kelurahan", write, default=False)]
'''


def test_a_plugin_exporter_is_offered_by_plan_format(tmp_path: Path) -> None:
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "counts.py").write_text(COUNT_EXPORTER, encoding="utf-8")
    data = scenario_data(
        [household("H1", 0.002, 0, kelurahan="PULO"), household("H2", 0, 0.002, kelurahan="PULO")]
    )
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    args = ["plan", str(path), "--out", str(out), "-q", "--plugins-dir", str(tmp_path / "plugins")]
    result = runner.invoke(app, [*args, "-f", "counts", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "counts.json").read_text()) == {"PULO/served": 2}
    run = (out / "latest").resolve()  # the run's own folder: only what was asked for
    assert sorted(p.name for p in run.iterdir()) == ["counts.json", "manifest.json", "plan.json"]

"""Safety: no code runs from input, plugins run only when asked, exports cannot run
formulas, and nothing personal is logged."""

from __future__ import annotations

import csv
import importlib
import json
import logging
import shutil
import sys
import time
from pathlib import Path

import pytest

from ktj_logistics import PlanOptions, load, load_scenario, plan
from ktj_logistics._plugins.host import build_host
from ktj_logistics._report.privacy import spreadsheet_safe

from .conftest import TESTS, TINY_SCENARIO

SEARCH = PlanOptions(time_limit_s=1.0, deterministic=True, search_solutions=20, workers=1)


@pytest.fixture
def third_party_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed distribution with a ``ktj_logistics`` entry point that leaves a mark
    when imported."""
    marker = tmp_path / "imported"
    (tmp_path / "ktj_thirdparty_probe.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).write_text('yes')\n"
        "from ktj_logistics._plugins.hookspecs import hookimpl\n\n"
        "@hookimpl\n"
        "def ktj_settlement_types():\n"
        "    return ['kampung_probe']\n"
    )
    dist = tmp_path / "ktj_thirdparty_probe-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ktj-thirdparty-probe\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text("[ktj_logistics]\nprobe = ktj_thirdparty_probe\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield marker
    sys.modules.pop("ktj_thirdparty_probe", None)


def test_a_third_party_plugin_is_not_imported_unless_the_scenario_names_it(
    third_party_plugin: Path,
) -> None:
    host = build_host({})
    assert "probe" in {i.name for i in build_host({}, list_all=True).infos}
    third_party_plugin.unlink(missing_ok=True)  # listing imports to describe; a run must not
    sys.modules.pop("ktj_thirdparty_probe", None)
    host = build_host({})
    assert "probe" not in host.enabled
    assert not third_party_plugin.exists()
    assert "ktj_thirdparty_probe" not in sys.modules


def test_a_third_party_plugin_named_in_the_scenario_is_loaded_and_counts_in_validation(
    third_party_plugin: Path,
) -> None:
    host = build_host({"probe": True})
    assert "probe" in host.enabled
    assert third_party_plugin.read_text() == "yes"


def test_a_plugin_installed_while_the_process_runs_is_found_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed plugins are read once, and again when a folder on the import path
    changes (installing adds a ``.dist-info`` folder): a long-running service sees a
    plugin installed after it started, not imported until a scenario names it."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    assert "late" not in {i.name for i in build_host({}).infos}
    time.sleep(0.05)  # installing takes longer than a tick of the file system's clock
    (site / "ktj_late_probe.py").write_text(
        "from ktj_logistics._plugins.hookspecs import hookimpl\n\n"
        "@hookimpl\n"
        "def ktj_settlement_types():\n"
        "    return ['kampung_late']\n"
    )
    dist = site / "ktj_late_probe-2.5.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ktj-late-probe\nVersion: 2.5\n")
    (dist / "entry_points.txt").write_text("[ktj_logistics]\nlate = ktj_late_probe\n")
    importlib.invalidate_caches()
    try:
        late = {i.name: i for i in build_host({}).infos}["late"]
        assert (late.version, late.enabled) == ("2.5", False)
        assert "ktj_late_probe" not in sys.modules
        assert "late" in build_host({"late": True}).enabled
    finally:
        sys.modules.pop("ktj_late_probe", None)


def test_validate_counts_settlement_types_from_a_plugins_dir(ktj_route, tmp_path: Path) -> None:
    case = TESTS / "bad_inputs" / "unknown_settlement_type"
    scenario = tmp_path / "case"
    shutil.copytree(case, scenario)
    text = (scenario / "scenario.yaml").read_text().replace("plugin_paths: [rusun_types.py]\n", "")
    (scenario / "scenario.yaml").write_text(text)
    plugin_dir = tmp_path / "plugins"
    plugin_dir.mkdir()
    shutil.move(scenario / "rusun_types.py", plugin_dir / "rusun_types.py")
    without = ktj_route("validate", scenario / "scenario.yaml")
    assert "row 2: settlement_type = 'rusun': unknown settlement type" in without.text
    with_dir = ktj_route("validate", scenario / "scenario.yaml", "--plugins-dir", plugin_dir)
    assert "row 2" not in with_dir.text
    assert (
        "valid types: apartment, dense_settlement, luxury_housing, regular, rusun" in with_dir.text
    )


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x","klik")', '\'=HYPERLINK("http://x","klik")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-6.2601", "-6.2601"),
        ("Ibu Sari", "Ibu Sari"),
    ],
)
def test_spreadsheet_formulas_are_neutralised_and_numbers_kept(text: str, safe: str) -> None:
    assert spreadsheet_safe(text) == safe


def hostile_tiny(tmp_path: Path) -> Path:
    case = tmp_path / "case"
    shutil.copytree(TINY_SCENARIO.parent, case)
    f = case / "households.csv"
    text = f.read_text(encoding="utf-8-sig")
    text = text.replace("id;name;", "id;phone;address;name;")
    text = text.replace("H1;Ibu Sari;", 'H1;081234567890;Jl. Melati 7;"=HYPERLINK(""http://x"")";')
    text = text.replace("H2;Pak Budi;", "H2;+62 811 2233;@SUM(A1);Pak Budi Santoso;")
    text = text.replace("H3;Ibu Rina;", "H3;0812 9988 7766;-1+1;Ibu Rina Wati;")
    text = text.replace("H4;Pak Joko;", "H4;08777;Gang Mawar 3;Pak Joko Susilo;")
    f.write_text(text, encoding="utf-8-sig")
    return case / "scenario.yaml"


def test_routes_csv_cells_cannot_run_formulas(ktj_route, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ran = ktj_route("plan", hostile_tiny(tmp_path), "--out", out, "-q")
    assert ran.exit_code == 0, ran.text
    with (out / "routes.csv").open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert any("HYPERLINK" in c for c in cells), "the hostile name is exported"
    for c in cells:
        if c and c[0] in "=+-@":
            float(c)  # only plain numbers may start with one of these


def test_a_run_logs_no_name_phone_or_address(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = hostile_tiny(tmp_path)
    scenario = load(path).scenario
    plan(scenario, SEARCH.model_copy(update={"base_dir": path.parent}))
    load_scenario(path)
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    # The run did log: stage timings and counts, so the check below is not vacuous.
    stages = {r.getMessage().split(":")[0] for r in caplog.records if r.name == "ktj_logistics"}
    assert {"shape", "allocate", "solve", "verify"} <= stages
    for h in scenario.households:
        for personal in (h.name, h.phone, h.address):
            assert personal and personal not in logged


# Issue 18: input that never ends, blocks, loops or hides characters ends in exit 2 at once.

LOAD_AND_MEASURE = """
import sys, time
from ktj_logistics import InputError, load
t0 = time.monotonic()
try:
    load(sys.argv[1])
    print("loaded")
except InputError as exc:
    print(exc.issues[0].message)
took = time.monotonic() - t0
# The peak of this process's own memory (ru_maxrss would include the parent's, from fork).
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(f"{took:.3f} {peak}")
"""


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("yaml_alias_bomb", "the document expands to more than 200,000 values"),
        ("households_device", "cannot read the file (not a regular file but a device"),
    ],
)
def test_an_alias_bomb_or_dev_zero_is_refused_within_a_second_and_200_mb(
    case: str, said: str
) -> None:
    import subprocess

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            LOAD_AND_MEASURE,
            str(TESTS / "bad_inputs" / case / "scenario.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    message, figures = done.stdout.strip().splitlines()
    seconds, peak_kb = figures.split()
    assert said in message
    assert float(seconds) < 1.0
    assert int(peak_kb) < 200 * 1024


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(ktj_route, tmp_path: Path) -> None:
    import os
    import time

    case = tmp_path / "case"
    shutil.copytree(TINY_SCENARIO.parent, case)
    (case / "households.csv").unlink()
    os.mkfifo(case / "households.csv")
    t0 = time.monotonic()
    ran = ktj_route("validate", case / "scenario.yaml")
    assert ran.exit_code == 2
    assert "households: cannot read the file (not a regular file but a device, pipe" in ran.text
    assert time.monotonic() - t0 < 5


def test_a_header_only_household_file_is_a_warning_and_an_empty_plan(
    ktj_route, tmp_path: Path
) -> None:
    case = TESTS / "warn_inputs" / "header_only_households" / "scenario.yaml"
    ran = ktj_route("plan", case, "--out", tmp_path / "out", "-q")
    assert ran.exit_code == 0, ran.text
    assert (
        "Warning: households.csv: (file): the file has a header but no rows: no households "
        "today. Fix: add one row per household if this was not meant"
    ) in ran.text
    assert json.loads((tmp_path / "out" / "plan.json").read_text())["totals"]["households"] == 0


def test_markup_in_a_column_header_and_a_vehicle_id_is_printed_as_text(
    ktj_route, tmp_path: Path
) -> None:
    case = tmp_path / "case"
    shutil.copytree(TINY_SCENARIO.parent, case)
    csv_path = case / "households.csv"
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    csv_path.write_text(
        "\n".join([lines[0] + ";[/red]", *(line + ";x" for line in lines[1:])]) + "\n"
    )
    vehicles = case / "vehicles.csv"
    vehicles.write_text(vehicles.read_text(encoding="utf-8-sig").replace("\nm1;", "\nm[/red]1;"))
    ran = ktj_route(
        "plan",
        case / "scenario.yaml",
        "--out",
        tmp_path / "out",
        "--no-deterministic",
        "--time-limit",
        "1",
    )
    assert ran.exception is None, ran.exception
    assert ran.exit_code == 0, ran.text
    assert "row 1: [/red]: unknown column, ignored" in ran.text


def test_time_limit_with_a_deterministic_plan_is_refused_with_why(ktj_route) -> None:
    ran = ktj_route("plan", TINY_SCENARIO, "--time-limit", "3")  # the scenario is deterministic
    assert ran.exit_code == 2
    assert "--time-limit: a deterministic plan stops after a fixed amount of search" in ran.text
    assert "Fix: drop --time-limit, or add --no-deterministic" in ran.text


def test_a_plugin_outside_the_scenario_folder_is_not_run_even_by_validate(ktj_route) -> None:
    case = TESTS / "bad_inputs" / "plugin_outside_folder" / "scenario.yaml"
    ran = ktj_route("validate", case)
    assert ran.exit_code == 2
    assert "a plugin outside the scenario folder was run" not in ran.text
    assert "a plugin file outside the scenario's folder is not run" in ran.text

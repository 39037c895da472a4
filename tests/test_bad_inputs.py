"""Every broken input a volunteer's spreadsheet can produce ends in a message that teaches.

Each folder under ``tests/bad_inputs/`` is a small scenario with one kind of mistake and
an ``expected.txt``: lines the message must contain (file, row, field, value and fix).
Folders under ``tests/warn_inputs/`` hold mistakes that are warned about while planning
goes on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ktj_logistics import InputError, load

from .conftest import TESTS, TINY_SCENARIO, flat

BAD = sorted(p for p in (TESTS / "bad_inputs").iterdir() if p.is_dir())
WARN = sorted(p for p in (TESTS / "warn_inputs").iterdir() if p.is_dir())


def expected_lines(case: Path) -> list[str]:
    return [flat(line) for line in (case / "expected.txt").read_text().splitlines() if line]


def test_every_case_of_the_issue_has_a_broken_input_folder() -> None:
    names = {p.name for p in BAD} | {p.name for p in WARN}
    for needed in [
        "malformed_csv_unclosed_quote",
        "malformed_yaml",
        "comma_csv_with_decimal_commas",
        "semicolon_csv_bad_number",
        "cp1252_text_bad_row",
        "bom_bad_row",
        "missing_required_column",
        "unknown_column",
        "duplicate_ids",
        "lat_lon_swapped",
        "outside_service_area",
        "non_numeric_quantity",
        "negative_quantity",
        "exceeds_vehicle_capacity",
        "inverted_shift",
        "empty_shift",
        "inverted_window",
        "no_stock_anywhere",
        "source_without_stock",
        "unknown_settlement_type",
        "unknown_reference",
        "yaml_python_object",
        # issue 18: unbounded or hanging input, hidden characters, markup, foreign plugins
        "yaml_alias_bomb",
        "households_device",
        "symlink_loop",
        "id_zero_width_space",
        "id_nul",
        "markup_in_id",
        "plugin_outside_folder",
        "header_only_households",
    ]:
        assert needed in names


@pytest.mark.parametrize("command", ["validate", "plan"])
@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_a_broken_input_exits_2_with_file_row_field_and_fix_and_writes_nothing(
    case: Path, command: str, ktj_route, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = [command, case / "scenario.yaml"] + (["--out", out] if command == "plan" else [])
    ran = ktj_route(*args)
    assert ran.exception is None, ran.exception
    assert "Traceback" not in ran.text
    assert ran.exit_code == 2, ran.text
    for line in expected_lines(case):
        assert line in ran.text
    assert "Fix:" in ran.text
    assert not out.exists()
    assert not list(tmp_path.glob(".out.*")), "no half-written temporary folder is left"


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_the_library_rejects_each_broken_input_with_an_input_error_naming_the_file(
    case: Path,
) -> None:
    with pytest.raises(InputError) as caught:
        load(case / "scenario.yaml")
    assert caught.value.issues
    assert all(i.file and i.field and i.fix for i in caught.value.issues)


def test_a_failed_plan_leaves_an_existing_out_folder_untouched(ktj_route, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.json").write_text("yesterday's plan")
    ran = ktj_route("plan", TESTS / "bad_inputs" / "duplicate_ids" / "scenario.yaml", "-o", out)
    assert ran.exit_code == 2
    assert [p.name for p in out.iterdir()] == ["plan.json"]
    assert (out / "plan.json").read_text() == "yesterday's plan"


def test_all_problems_of_one_run_are_reported_together_grouped_by_file(ktj_route) -> None:
    ran = ktj_route("validate", TESTS / "bad_inputs" / "many_problems_grouped" / "scenario.yaml")
    text = ran.text
    assert "5 problems" in text
    # one heading per file, each file's problems under it
    assert text.index("scenario.yaml") < text.index("vehicles.csv") < text.index("households.csv")
    assert text.count("vehicles.csv") == 1 and text.count("households.csv") == 1


@pytest.mark.parametrize("case", WARN, ids=[p.name for p in WARN])
def test_a_warned_input_still_plans_and_says_what_to_fix(
    case: Path, ktj_route, tmp_path: Path
) -> None:
    ran = ktj_route("validate", case / "scenario.yaml")
    assert ran.exit_code == 0, ran.text
    assert "Warning:" in ran.text and "Fix:" in ran.text
    planned = ktj_route("plan", case / "scenario.yaml", "--out", tmp_path / "out", "-q")
    assert planned.exit_code == 0, planned.text
    assert (tmp_path / "out" / "plan.json").exists()


def test_unknown_column_warning_names_the_closest_known_column(ktj_route) -> None:
    ran = ktj_route("validate", TESTS / "warn_inputs" / "unknown_column" / "scenario.yaml")
    assert "households.csv: row 1: packages_neded: unknown column, ignored" in ran.text
    assert "did you mean 'packages_needed'?" in ran.text


def test_a_household_bigger_than_any_vehicle_is_warned_and_reported_never_dropped(
    ktj_route, tmp_path: Path
) -> None:
    """A household needing more than a vehicle carries is split into visits; only an
    item no vehicle can hold even alone (a 180 kg tank, cars carry 150 kg) is warned."""
    case = TESTS / "warn_inputs" / "exceeds_vehicle_capacity"
    ran = ktj_route("plan", case / "scenario.yaml", "--out", tmp_path / "out", "--lang", "en")
    assert "households.csv: row 4: items = 'water_tank': one water_tank is larger" in ran.text
    assert "than any vehicle carries (8 packages / 150 kg)" in ran.text
    assert "unserved exceeds_vehicle_capacity: 1" in ran.text
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    h3 = next(o for o in plan["households"] if o["household_id"] == "H3")
    assert h3["status"] == "unserved" and h3["reason"] == "exceeds_vehicle_capacity"
    assert (
        "(c1) carries 8 (150 kg)" in h3["reason_detail"]
        and "no vehicle of the fleet" in h3["reason_detail"]
    )


def test_semicolons_decimal_commas_and_a_bom_are_read_as_numbers() -> None:
    sc = load(TINY_SCENARIO).scenario  # the tiny scenario is ';'-separated with a BOM
    h1 = sc.household("H1")
    assert (h1.location.lat, h1.location.lon) == (-6.2601, 106.8012)


def test_windows_1252_text_is_decoded_and_a_bom_before_it_does_not_hide_the_id_column(
    tmp_path: Path,
) -> None:
    case = tmp_path / "case"
    shutil.copytree(TINY_SCENARIO.parent, case)
    text = (
        "id;name;lat;lon;packages_needed\n"
        "H1;Ibu Siti Nur’aini;-6,2601;106,8012;1\n"
        "H2;Pak Budi “Bonang”;-6,2555;106,7950;1\n"
    )
    for raw in (text.encode("cp1252"), b"\xef\xbb\xbf" + text.encode("cp1252")):
        (case / "households.csv").write_bytes(raw)
        sc = load(case / "scenario.yaml").scenario
        assert [h.name for h in sc.households] == ["Ibu Siti Nur’aini", "Pak Budi “Bonang”"]

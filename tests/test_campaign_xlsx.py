"""Household lists kept in Excel are read directly, with the CSV reader's checks.

Workbooks are written with openpyxl (real .xlsx files, typed cells: numbers, dates,
booleans); the scenario loader reads them with python-calamine.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ktj_logistics import InputError, load
from ktj_logistics._load.sheets import cell_text

HEADER = ["id", "nama", "lintang", "bujur", "kelurahan", "lansia", "mulai_isolasi", "jumlah_paket"]

SCENARIO = """\
name: xlsx
settings:
  planning_date: 2021-07-01
  time_limit_s: 1
  deterministic: true
  service_area: {min_lat: -6.40, max_lat: -6.15, min_lon: 106.70, max_lon: 106.90}
sources:
  - {id: polres, location: {lat: -6.253334, lon: 106.798257}, stock: {standard: 10}}
bases:
  - {id: polres, location: {lat: -6.253334, lon: 106.798257}}
vehicles:
  - {id: c1, kind: car, base: polres, capacity_packages: 8, capacity_kg: 200}
households: households.xlsx
"""


def workbook(path: Path, rows: list[list[Any]], first_row: int = 1, col: int = 1) -> Path:
    """A workbook whose first sheet holds ``rows`` from cell (``first_row``, ``col``)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Daftar isoman"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(row=first_row + r, column=col + c, value=value)
    wb.save(path)
    return path


def scenario(tmp_path: Path, rows: list[list[Any]], **kw: int) -> Path:
    workbook(tmp_path / "households.xlsx", rows, **kw)
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO, "utf-8")
    return path


def test_a_scenario_reads_households_from_an_xlsx_with_typed_cells(tmp_path: Path) -> None:
    """Numbers, dates and booleans typed in Excel become the same values as in a CSV."""
    rows: list[list[Any]] = [
        HEADER,
        ["H1", "Ibu Sari", -6.2501, 106.8012, "PULO", True, date(2021, 6, 28), 2],
        [17, "Bapak Eko", "-6,2550", 106.8050, "PULO", "tidak", datetime(2021, 6, 30), 1],
    ]
    loaded = load(scenario(tmp_path, rows))
    h1, h2 = loaded.scenario.households
    assert (h1.id, h1.location.lat, h1.elderly, h1.packages_needed) == ("H1", -6.2501, True, 2)
    assert h1.isolation_start == date(2021, 6, 28)
    assert h2.id == "17"  # a whole number typed as a number is an id, not "17.0"
    assert h2.location.lat == -6.255  # text typed with a decimal comma
    assert h2.isolation_start == date(2021, 6, 30) and not h2.elderly


def test_errors_name_the_sheet_row_as_excel_shows_it(tmp_path: Path) -> None:
    """Header on row 3 (a title above it), a blank row between records: row numbers are
    the sheet's, so a volunteer finds the cell at once."""
    rows: list[list[Any]] = [
        HEADER,
        ["H1", "Ibu Sari", -6.2501, 106.8012, "PULO", "ya", "2021-06-28", 1],
        [],
        ["H2", "Bapak Eko", "utara", 106.8050, "PULO", "ya", "2021-06-28", 1],
        ["H3", "Ibu Wati", -6.2550, 106.8050, "PULO", "mungkin", "2021-06-28", 1],
    ]
    with pytest.raises(InputError) as err:
        load(scenario(tmp_path, rows, first_row=3, col=2))
    found = {(i.file, i.row, i.field, i.value) for i in err.value.issues}
    assert ("households.xlsx", 6, "lintang", "utara") in found
    assert ("households.xlsx", 7, "lansia", "mungkin") in found


def test_a_one_cell_title_above_the_header_is_skipped(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Daftar warga isolasi mandiri, Kel. Pulo"],
        [],
        HEADER,
        ["H1", "Ibu Sari", -6.2501, 106.8012, "PULO", "ya", "2021-06-28", "dua"],
    ]
    with pytest.raises(InputError) as err:
        load(scenario(tmp_path, rows))
    (issue,) = err.value.issues
    assert (issue.row, issue.field, issue.value) == (4, "jumlah_paket", "dua")


def test_a_missing_required_column_is_reported_on_the_header_row(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["id", "nama", "lintang"], ["H1", "Ibu Sari", -6.25]]
    with pytest.raises(InputError) as err:
        load(scenario(tmp_path, rows, first_row=2))
    (issue,) = err.value.issues
    assert (issue.row, issue.field) == (2, "lon")
    assert "required column" in issue.message


def test_a_file_that_is_not_a_workbook_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "households.xlsx").write_text("id;lat;lon\nH1;-6.25;106.8\n", "utf-8")
    (tmp_path / "scenario.yaml").write_text(SCENARIO, "utf-8")
    with pytest.raises(InputError) as err:
        load(tmp_path / "scenario.yaml")
    (issue,) = err.value.issues
    assert issue.file == "households.xlsx" and "not a readable Excel workbook" in issue.message


def test_an_empty_workbook_says_so(tmp_path: Path) -> None:
    path = scenario(tmp_path, [])
    with pytest.raises(InputError) as err:
        load(path)
    assert "is empty" in err.value.issues[0].message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12.0, "12"),
        (-6.2500001, "-6.2500001"),
        (True, "true"),
        (date(2021, 7, 1), "2021-07-01"),
        (datetime(2021, 7, 1, 9, 30), "2021-07-01 09:30"),
        (datetime(2021, 7, 1), "2021-07-01"),
        ("  teks ", "  teks "),
    ],
)
def test_cells_become_the_text_a_csv_export_would_hold(value: object, text: str) -> None:
    assert cell_text(value) == text  # type: ignore[arg-type]

"""Excel workbooks (``.xlsx``) read directly, as coordinators keep their lists.

The first visible worksheet is read with python-calamine. Its cells become the text a
CSV export of the same sheet would hold (whole numbers without ``.0``, dates as
``YYYY-MM-DD``, times as ``HH:MM``), so the rows then go through exactly the checks a
CSV does, and row numbers in messages are the sheet's own: the header's row as Excel
shows it, blank rows above or between records counted too.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from .._errors import Issue

XLSX_SUFFIXES = (".xlsx", ".xlsm")
"""Read by the built-in workbook reader (before any plugin loader is asked)."""

Cell = int | float | str | bool | time | date | datetime | timedelta


def cell_text(value: Cell) -> str:
    """A cell as the text a volunteer sees in Excel (in an unambiguous format)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):  # a duration-formatted cell such as 08:00
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return value


def read_sheet_rows(path: Path, display: str, issues: list[Issue]) -> tuple[list[list[str]], int]:
    """The first visible worksheet from its header row on, and the header's row number.

    Returns ``([], 0)`` (with an issue) when the file cannot be read or holds no data.
    """
    try:
        book = CalamineWorkbook.from_path(path)
    except OSError as exc:
        issues.append(
            Issue(
                display, "(file)", f"cannot read the file ({exc.strerror or exc})", "check the path"
            )
        )
        return [], 0
    except (CalamineError, ValueError) as exc:
        issues.append(
            Issue(
                display,
                "(file)",
                f"not a readable Excel workbook ({type(exc).__name__})",
                "open it in Excel and save it again as .xlsx (Excel Workbook)",
            )
        )
        return [], 0
    visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    if not visible:
        issues.append(
            Issue(display, "(file)", "the workbook has no visible sheet", "unhide the sheet")
        )
        return [], 0
    cells = book.get_sheet_by_name(visible[0]).to_python(skip_empty_area=False)
    rows = [[cell_text(c).strip() for c in row] for row in cells]
    # The header is the first row of two or more cells: a title above it (one cell,
    # often merged across the table) is not the header.
    header_index = next((i for i, r in enumerate(rows) if sum(1 for c in r if c) >= 2), None)
    if header_index is None:
        header_index = next((i for i, r in enumerate(rows) if any(r)), None)
    if header_index is None:
        issues.append(
            Issue(
                display,
                "(file)",
                f"the sheet '{visible[0]}' is empty",
                "put the list on the first sheet, with a header row",
            )
        )
        return [], 0
    return rows[header_index:], header_index + 1

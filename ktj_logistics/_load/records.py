"""CSV rows (or an Excel sheet's, or a plugin loader's rows) → records for the scenario models.

Volunteers' spreadsheets arrive as CSV exported by Excel in many locales, so the reader
accepts ``;`` or ``,`` delimiters, decimal commas, a UTF-8 BOM or Windows-1252 text,
and the Indonesian column names coordinators use (``nama``, ``lintang``, ``lansia``…).
Workbooks (``.xlsx``) are read directly (``sheets.py``) and go through the same checks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import Issue, PluginError
from .._plugins.hookspecs import Loader
from .._scenario import Household, SupplySource, Vehicle
from .header import check_header
from .origins import Origins
from .sheets import XLSX_SUFFIXES, read_sheet_rows
from .text import check_regular, read_text

# Column aliases seen in coordinators' sheets (Indonesian and English); keys are normalised.
_ALIASES: dict[str, str] = {
    "latitude": "lat",
    "lintang": "lat",
    "longitude": "lon",
    "lng": "lon",
    "long": "lon",
    "bujur": "lon",
    "nama": "name",
    "alamat": "address",
    "telepon": "phone",
    "telp": "phone",
    "hp": "phone",
    "no_hp": "phone",
    "jumlah_anggota": "members",
    "anggota": "members",
    "jumlah_paket": "packages_needed",
    "paket": "packages_needed",
    "jenis_permukiman": "settlement_type",
    "catatan": "notes",
    "lansia": "elderly",
    "balita": "child_under_5",
    "hamil": "pregnant",
    "komorbid": "comorbid",
    "disabilitas": "disability",
    "tidak_berpenghasilan": "no_income",
    "mulai_isolasi": "isolation_start",
    "jendela_waktu": "time_windows",
    "time_window": "time_windows",
    "gedung": "building",
    "zona": "zone_colour",
    "zone_color": "zone_colour",
}

_TRUE = {"1", "true", "yes", "y", "ya", "x", "v", "benar", "iya"}
_FALSE = {"0", "false", "no", "n", "tidak", "t", "salah", "-"}

_BOOL_FIELDS = {
    "elderly",
    "child_under_5",
    "pregnant",
    "comorbid",
    "disability",
    "no_income",
}
_NUMERIC_FIELDS = {
    "lat",
    "lon",
    "members",
    "packages_needed",
    "capacity_packages",
    "capacity_kg",
    "speed_kmh",
    "max_trips",
    "max_km",
    "loading_minutes",
}


def _known_columns(model: type[Any]) -> set[str]:
    cols = set(model.model_fields) - {"location"}
    return cols | {"lat", "lon"}


KNOWN_COLUMNS: dict[str, set[str]] = {
    "households": _known_columns(Household),
    "vehicles": _known_columns(Vehicle) | {"shift_start", "shift_end"},
    "sources": _known_columns(SupplySource) | {"opening_start", "opening_end"},
    "bases": {"id", "name", "kind", "lat", "lon", "area"},
}
REQUIRED_COLUMNS: dict[str, list[str]] = {
    "households": ["id", "lat", "lon"],
    "vehicles": ["id", "kind", "base", "capacity_packages", "capacity_kg"],
    "sources": ["id", "lat", "lon", "stock"],
    "bases": ["id", "lat", "lon"],
}


def _norm_col(name: str) -> str:
    return name.strip().strip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _number(text: str, decimal_comma: bool) -> str:
    t = text.strip().replace(" ", "")
    if decimal_comma and "," in t:
        # "1.234,5" (thousands dot) -> "1234.5"; "-6,25" -> "-6.25"
        t = t.replace(".", "").replace(",", ".")
    try:
        float(t)
    except ValueError:
        return text.strip()  # report the cell as the volunteer typed it
    return t


def _cell(field_name: str, value: str, decimal_comma: bool) -> Any:
    v = value.strip()
    if field_name in _BOOL_FIELDS:
        low = v.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        return v  # let validation report it with a fix
    if field_name in _NUMERIC_FIELDS:
        return _number(v, decimal_comma)
    if field_name in {"time_windows"}:
        return [w for w in (p.strip() for p in v.replace(";", "|").split("|")) if w]
    if field_name in {"items", "stock"}:
        out: dict[str, Any] = {}
        for part in v.replace(";", "|").replace(",", "|").split("|"):
            if not part.strip():
                continue
            k, _, n = part.partition(":")
            out[k.strip()] = n.strip() if n else "1"
        return out
    if field_name in {"sources", "vehicle_kinds"}:
        return [p.strip() for p in v.replace(";", "|").replace(",", "|").split("|") if p.strip()]
    return v


def _row_to_record(coll: str, row: dict[str, str], decimal_comma: bool) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or not str(value).strip():
            continue  # blank cell: the model's default applies (or "missing" is reported)
        rec[key] = _cell(key, str(value), decimal_comma)
    loc = {k: rec.pop(k) for k in ("lat", "lon") if k in rec}
    if loc:
        rec["location"] = loc
    if coll == "vehicles" and ("shift_start" in rec or "shift_end" in rec):
        rec["shift"] = {"start": rec.pop("shift_start", None), "end": rec.pop("shift_end", None)}
    if coll == "sources" and ("opening_start" in rec or "opening_end" in rec):
        rec["opening_hours"] = {
            "start": rec.pop("opening_start", None),
            "end": rec.pop("opening_end", None),
        }
    return rec


@dataclass(frozen=True)
class Table:
    """The rows of one sheet or CSV file, as text, from its header row on."""

    rows: list[list[str]]
    first_row: int = 1  # the header's row number in the file
    decimal_comma: bool = False
    delim: str = ","


def _unreadable(exc: Exception, display: str, what: str, issues: list[Issue]) -> None:
    fix = "check the path"
    if isinstance(exc, ValueError):
        fix = "name a CSV file saved from the spreadsheet (see README: Scenario format)"
    why = getattr(exc, "strerror", None) or exc
    issues.append(Issue(display, what, f"cannot read the file ({why})", fix))


def _read_csv_table(path: Path, display: str, issues: list[Issue], what: str) -> Table | None:
    try:
        text = read_text(path)
    except (OSError, ValueError) as exc:
        _unreadable(exc, display, what, issues)
        return None
    if not text.strip():
        issues.append(
            Issue(display, "(file)", "the file is empty", "export the sheet again with a header")
        )
        return None
    delim = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        # The reader stops at the bad quote; the row where the quoted cell began is
        # where a volunteer has to look.
        issues.append(
            Issue(
                display,
                "(row)",
                f"the CSV is malformed ({exc}) in or after this row",
                'check for an unclosed or stray quote (") in this row; '
                "export the sheet again as CSV",
                row=len(rows) + 1,
            )
        )
        return None
    return Table(rows, 1, delim == ";", delim)


def read_table(path: Path, display: str, issues: list[Issue], what: str = "(file)") -> Table | None:
    """A CSV file, or the first visible sheet of an ``.xlsx`` workbook, as rows of text.

    Number cells of a workbook arrive as numbers; a text cell typed ``-6,25`` in an
    Indonesian locale is read with a decimal comma, as in a ``;``-separated export.
    Appends issues (and returns None) instead of raising.
    """
    if path.suffix.lower() in XLSX_SUFFIXES:
        try:
            check_regular(path)  # the workbook reader opens the file itself
        except (OSError, ValueError) as exc:
            _unreadable(exc, display, what, issues)
            return None
        rows, header_row = read_sheet_rows(path, display, issues)
        return Table(rows, header_row, decimal_comma=True) if rows else None
    return _read_csv_table(path, display, issues, what)


def read_csv_records(
    path: Path, coll: str, display: str, origins: Origins, issues: list[Issue]
) -> list[dict[str, Any]]:
    """Read one CSV file or ``.xlsx`` workbook of a collection; appends issues instead
    of raising."""
    table = read_table(path, display, issues, coll)
    if table is None:
        return []
    records = records_from_rows(
        table.rows,
        coll,
        display,
        origins,
        issues,
        table.decimal_comma,
        table.delim,
        table.first_row,
    )
    if not records and not any(i.file == display and i.severity == "error" for i in issues):
        issues.append(
            Issue(
                display,
                "(file)",
                f"the file has a header but no rows: no {coll} today",
                f"add one row per {coll[:-1]} if this was not meant",
                severity="warning",
            )
        )
    return records


def records_from_rows(
    rows: list[list[str]],
    coll: str,
    display: str,
    origins: Origins,
    issues: list[Issue],
    decimal_comma: bool,
    delim: str = ",",
    first_row: int = 1,
) -> list[dict[str, Any]]:
    """A header row and data rows (as from a CSV, a workbook or a plugin's loader) → model
    records. ``first_row`` is the header's row number in the file (1 but in a sheet whose
    header sits lower); every following row counts from it, blank ones included."""
    header_raw = rows[0]
    header = [_ALIASES.get(_norm_col(h), _norm_col(h)) for h in header_raw]
    col_names = check_header(
        header_raw,
        header,
        (KNOWN_COLUMNS[coll], REQUIRED_COLUMNS[coll]),
        display,
        issues,
        first_row,
    )
    if col_names is None:
        return []
    known = KNOWN_COLUMNS[coll]
    origins.columns[coll] = col_names
    records: list[dict[str, Any]] = []
    start_index = len([k for k in origins.records if k[0] == coll])
    for line_no, cells in enumerate(rows[1:], start=first_row + 1):
        if not any(c.strip() for c in cells):
            continue  # blank line at the end of an export
        if len(cells) != len(header):
            fix = f"check for a stray '{delim}' or a missing cell in this row"
            if delim == "," and len(cells) > len(header):
                fix = (
                    "numbers with decimal commas (e.g. -6,25) split cells in a comma-separated "
                    "file: export with ';' as separator, or quote those numbers"
                )
            issues.append(
                Issue(
                    display,
                    "(row)",
                    f"row has {len(cells)} cells but the header has {len(header)}",
                    fix,
                    row=line_no,
                )
            )
            continue
        row = {col: cell for col, cell in zip(header, cells, strict=True) if col in known}
        origins.records[(coll, start_index + len(records))] = (display, line_no)
        records.append(_row_to_record(coll, row, decimal_comma))
    return records


def read_plugin_records(
    path: Path,
    loader: Loader,
    plugin: str,
    coll: str,
    display: str,
    origins: Origins,
    issues: list[Issue],
) -> list[dict[str, Any]]:
    """Read a file with a plugin's ``Loader``; its records go through the CSV checks.

    The loader returns one mapping (column name -> cell text) per row; row numbers in
    messages count as in a sheet (header row 1, first record row 2).
    """
    hook = f"ktj_register_loaders (loader '{loader.name}' reading {display})"
    try:
        answer = loader.read(path)
    except OSError as exc:
        issues.append(
            Issue(display, coll, f"cannot read the file ({exc.strerror})", "check the path")
        )
        return []
    except Exception as exc:  # noqa: BLE001 - reported with the plugin's name
        raise PluginError(plugin, hook, f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(answer, list) or not all(isinstance(r, dict) for r in answer):
        raise PluginError(plugin, hook, "returned no list of mappings (column -> text)")
    if not answer:
        issues.append(Issue(display, "(file)", "the file has no records", "check the file"))
        return []
    columns: list[str] = []
    for rec in answer:
        columns += [str(k) for k in rec if str(k) not in columns]
    rows = [columns] + [
        ["" if rec.get(c) is None else str(rec.get(c)) for c in columns] for rec in answer
    ]
    return records_from_rows(rows, coll, display, origins, issues, loader.decimal_comma)

"""Reading a day's household list (CSV or ``.xlsx``) with the scenario loader's checks.

Columns are the scenario's household columns (``docs``: README, Scenario format) plus
two the campaign understands: ``status`` (``isolasi``/``sembuh``/``dirawat``/
``meninggal`` or their English names) and ``isolation_end`` (``selesai_isolasi``). Every
problem is reported with its file, sheet row, column and a fix, all at once; a list
with an error imports nothing. Repeated ids are not errors here: the merge reports
them row by row (``merge.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .._errors import InputError, Issue
from .._load import Loaded
from .._load.checks import check_scenario
from .._load.origins import Origins, issues_from_validation
from .._load.records import read_table, records_from_rows
from .._plugins.host import build_host
from .._scenario import Household

STATES: dict[str, str] = {
    **dict.fromkeys(
        ["", "isolating", "isolasi", "isolasi_mandiri", "isoman", "aktif"], "isolating"
    ),
    **dict.fromkeys(["recovered", "sembuh", "selesai", "selesai_isolasi"], "recovered"),
    **dict.fromkeys(
        ["hospital", "moved_to_hospital", "dirawat", "rs", "rumah_sakit", "rawat_inap"],
        "hospital",
    ),
    **dict.fromkeys(["deceased", "meninggal", "meninggal_dunia"], "deceased"),
}
"""What a list's ``status`` cell may say, normalised, and the record state it means."""

_CAMPAIGN_COLUMNS = {
    "status": "status",
    "status_isolasi": "status",
    "keterangan": "status",
    "isolation_end": "isolation_end",
    "selesai_isolasi": "isolation_end",
    "akhir_isolasi": "isolation_end",
}


@dataclass(frozen=True)
class ListRow:
    """One household row of a list, validated."""

    row: int
    household: Household
    state: str  # "isolating", "recovered", "hospital" or "deceased"
    isolation_end: date | None


@dataclass(frozen=True)
class HouseholdList:
    file: Path
    display: str
    rows: list[ListRow]
    warnings: list[Issue]


class _Households(BaseModel):
    households: list[Household]


def _norm(text: str) -> str:
    return text.strip().strip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def _split_campaign_columns(
    rows: list[list[str]],
) -> tuple[list[list[str]], list[dict[str, str]]]:
    """The rows without the campaign's own columns, and those columns' cells per row."""
    header = [_CAMPAIGN_COLUMNS.get(_norm(h)) for h in rows[0]]
    keep = [i for i, name in enumerate(header) if name is None]
    extra = [
        {name: cells[i].strip() for i, name in enumerate(header) if name and i < len(cells)}
        for cells in rows
    ]
    return [[cells[i] for i in keep if i < len(cells)] for cells in rows], extra


def _campaign_cells(cells: dict[str, str], display: str, row: int, issues: list[Issue]) -> Any:
    state = STATES.get(_norm(cells.get("status", "")))
    if state is None:
        issues.append(
            Issue(
                display,
                "status",
                "unknown status",
                "write isolasi, sembuh, dirawat or meninggal (or leave it empty)",
                row=row,
                value=cells.get("status"),
            )
        )
    end: date | None = None
    if cells.get("isolation_end"):
        try:
            end = date.fromisoformat(cells["isolation_end"][:10])
        except ValueError:
            issues.append(
                Issue(
                    display,
                    "isolation_end",
                    "not a date",
                    "write the date as YYYY-MM-DD",
                    row=row,
                    value=cells["isolation_end"],
                )
            )
    return state, end


def read_household_list(path: Path, template: Loaded) -> HouseholdList:
    """Read and check one list; ``InputError`` with every problem if any row is wrong."""
    display = path.name
    issues: list[Issue] = []
    table = read_table(path, display, issues, "households")
    if table is None:
        raise InputError(issues)
    rows, extra = _split_campaign_columns(table.rows)
    origins = Origins(scenario_file=display)
    records = records_from_rows(
        rows,
        "households",
        display,
        origins,
        issues,
        table.decimal_comma,
        table.delim,
        table.first_row,
    )
    line_of = [origins.records[("households", i)][1] or 0 for i in range(len(records))]
    states = [
        _campaign_cells(extra[line - table.first_row], display, line, issues) for line in line_of
    ]
    households: list[Household] = []
    try:
        households = _Households.model_validate({"households": records}).households
    except ValidationError as exc:
        issues.extend(issues_from_validation(exc, origins))
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    issues += _cross_checks(households, origins, template, display)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    listed = [
        ListRow(line, h, state, end)
        for line, h, (state, end) in zip(line_of, households, states, strict=True)
    ]
    return HouseholdList(path, display, listed, [i for i in issues if i.severity != "error"])


def _cross_checks(
    households: list[Household], origins: Origins, template: Loaded, display: str
) -> list[Issue]:
    """Coordinates, service area and settlement types, as the scenario loader checks
    them. A repeated id is no error in a list: the merge reports it row by row."""
    scenario = template.scenario.model_copy(update={"households": households})
    # The plugins of a plan of this day (as ``_engine.host_of`` builds them), without
    # importing the engine: an import of a list never plans.
    base = template.path.parent
    host = build_host(scenario.plugins, [base / p for p in scenario.plugin_paths])
    types = host.settlement_types()
    for switched_off in host.switched_off_settlement_types().values():
        types |= switched_off
    found = check_scenario(scenario, origins, settlement_types=types)
    return [i for i in found if i.file == display and not i.message.startswith("duplicate id")]

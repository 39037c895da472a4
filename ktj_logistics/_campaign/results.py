"""Recording officers' results: one row per visited household (CSV or ``.xlsx``).

Columns: ``household_id`` (or ``id``), ``status`` (or ``hasil``) and ``time`` (``waktu``,
``HH:MM`` or ``YYYY-MM-DD HH:MM``); ``vehicle_id`` may be given and is compared with the
plan. Every household must be in the day's issued plan; a repeated household is
reported and its last row used; a result may be corrected by recording the sheet again
(the change is reported). What each status does is in ``EFFECTS``; the whole sheet is
one transaction, and a sheet with an error records nothing.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .._errors import InputError, Issue
from .._load.records import read_table
from .context import Campaign
from .store import Store

RESULTS = (
    "delivered",
    "nobody_home",
    "not_visited",
    "wrong_address",
    "refused",
    "moved_to_hospital",
    "recovered",
    "deceased",
)
EFFECTS = {
    "delivered": "the package is done; its stock is used",
    "nobody_home": "still due: planned again, with one more day of waiting",
    "not_visited": "still due: planned again, with one more day of waiting",
    "wrong_address": "still due; correct the address in the next list",
    "refused": "the package is closed without delivery; the next one falls due as usual",
    "moved_to_hospital": "the household is closed (hospital): nothing more is due",
    "recovered": "the household is closed (recovered): nothing more is due",
    "deceased": "the household is closed: nothing more is due",
}
CLOSES_HOUSEHOLD = {
    "moved_to_hospital": "hospital",
    "recovered": "recovered",
    "deceased": "deceased",
}
_ALIASES = {
    **{r: r for r in RESULTS},
    **dict.fromkeys(["terkirim", "diterima", "selesai", "diantar", "ok"], "delivered"),
    **dict.fromkeys(
        ["tidak_ada_orang", "rumah_kosong", "tidak_di_rumah", "not_home"], "nobody_home"
    ),
    **dict.fromkeys(["tidak_dikunjungi", "tidak_sempat", "belum"], "not_visited"),
    **dict.fromkeys(["alamat_salah", "alamat_tidak_ditemukan"], "wrong_address"),
    **dict.fromkeys(["ditolak", "menolak"], "refused"),
    **dict.fromkeys(
        ["dirawat", "rs", "rumah_sakit", "hospital", "dibawa_ke_rs"], "moved_to_hospital"
    ),
    **dict.fromkeys(["sembuh"], "recovered"),
    **dict.fromkeys(["meninggal", "meninggal_dunia"], "deceased"),
}
_COLUMNS = {
    "household_id": "household_id",
    "id": "household_id",
    "household": "household_id",
    "status": "status",
    "hasil": "status",
    "result": "status",
    "time": "time",
    "waktu": "time",
    "jam": "time",
    "vehicle_id": "vehicle_id",
    "vehicle": "vehicle_id",
    "kendaraan": "vehicle_id",
}


@dataclass(frozen=True)
class ResultRow:
    row: int
    household_id: str
    result: str
    time: str  # HH:MM, or "" when not given
    vehicle_id: str


@dataclass(frozen=True)
class ResultChange:
    row: int
    household_id: str
    change: str  # recorded, changed, unchanged, duplicate
    result: str
    detail: str = ""


@dataclass(frozen=True)
class RecordReport:
    import_id: int
    plan_id: str
    day: date
    changes: tuple[ResultChange, ...]
    warnings: tuple[Issue, ...]

    def counts(self) -> dict[str, int]:
        return dict(Counter(c.result for c in self.changes if c.change != "duplicate"))


def _norm(text: str) -> str:
    return text.strip().strip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def _time(text: str, day: date, display: str, row: int, issues: list[Issue]) -> str:
    t = text.strip().replace("T", " ")
    if not t:
        return ""
    when, _, clock = t.rpartition(" ")
    if when and when[:10] != day.isoformat():
        issues.append(
            Issue(display, "time", f"the time is not on {day}", "check the date", row, text)
        )
    hh, sep, mm = clock.replace(".", ":").partition(":")
    if not (sep and hh.isdigit() and mm[:2].isdigit() and int(hh) < 24 and int(mm[:2]) < 60):
        issues.append(Issue(display, "time", "not a time of day", "write HH:MM", row, text))
        return ""
    return f"{int(hh):02d}:{mm[:2]}"


def read_results(path: Path, day: date) -> tuple[list[ResultRow], list[Issue]]:
    """The sheet's rows; ``InputError`` with every problem found."""
    display = path.name
    issues: list[Issue] = []
    table = read_table(path, display, issues, "results")
    if table is None:
        raise InputError(issues)
    header = [_COLUMNS.get(_norm(h)) for h in table.rows[0]]
    for col, raw in zip(header, table.rows[0], strict=True):
        if col is None and raw.strip():
            issues.append(
                Issue(display, raw, "unknown column, ignored", "remove it", 1, None, "warning")
            )
    missing = [c for c in ("household_id", "status") if c not in header]
    if missing:
        fix = "the columns are household_id, status, time (and vehicle_id)"
        issues.append(
            Issue(display, ", ".join(missing), "required column(s) missing", fix, table.first_row)
        )
        raise InputError(issues)
    out: list[ResultRow] = []
    for n, cells in enumerate(table.rows[1:], start=table.first_row + 1):
        cell = {col: cells[i].strip() for i, col in enumerate(header) if col and i < len(cells)}
        if not any(cell.values()):
            continue
        hid, status = cell.get("household_id", ""), cell.get("status", "")
        if not hid:
            issues.append(Issue(display, "household_id", "missing", "fill in the id", n))
        result = _ALIASES.get(_norm(status))
        if result is None:
            issues.append(
                Issue(
                    display,
                    "status",
                    "unknown status",
                    f"use one of: {', '.join(RESULTS)}",
                    n,
                    status,
                )
            )
        when = _time(cell.get("time", ""), day, display, n, issues)
        if hid and result:
            out.append(ResultRow(n, hid, result, when, cell.get("vehicle_id", "")))
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return out, issues


def _changes(
    rows: list[ResultRow],
    last: dict[str, ResultRow],
    planned: dict[str, sqlite3.Row],
    display: str,
    warnings: list[Issue],
) -> list[ResultChange]:
    """What each row changes against what is recorded; odd rows add warnings."""
    changes: list[ResultChange] = []
    for r in rows:
        d = planned[r.household_id]
        if last[r.household_id] is not r:
            kept = last[r.household_id].row
            changes.append(
                ResultChange(r.row, r.household_id, "duplicate", r.result, f"row {kept} is used")
            )
            continue
        if d["result"] is None:
            changes.append(ResultChange(r.row, r.household_id, "recorded", r.result))
        elif d["result"] != r.result:
            changes.append(
                ResultChange(r.row, r.household_id, "changed", r.result, f"was {d['result']}")
            )
        elif r.time != d["result_time"]:
            was = f"time was {d['result_time'] or 'not given'}"
            changes.append(ResultChange(r.row, r.household_id, "changed", r.result, was))
        else:
            changes.append(ResultChange(r.row, r.household_id, "unchanged", r.result))
        if d["planned"] != "served" and r.result == "delivered":
            message = "delivered although on no route sheet; its stock is not counted"
            warnings.append(
                Issue(display, "status", message, "check it", r.row, r.household_id, "warning")
            )
        if r.vehicle_id and d["vehicle_id"] and r.vehicle_id != d["vehicle_id"]:
            message = f"the plan has it on {d['vehicle_id']}"
            warnings.append(
                Issue(
                    display,
                    "vehicle_id",
                    message,
                    "check the sheet",
                    r.row,
                    r.vehicle_id,
                    "warning",
                )
            )
    return changes


def record_results(c: Campaign, path: Path, day: date) -> RecordReport:
    """Record a results sheet against the day's issued plan, in one transaction (read
    and written under the write lock)."""
    rows, warnings = read_results(path, day)
    with c.store.transaction() as conn:
        plan = conn.execute(
            "SELECT id FROM plans WHERE day = ? AND state = 'issued'", (day.isoformat(),)
        ).fetchone()
        if plan is None:
            issue = Issue(path.name, "(file)", f"no plan was issued for {day}", "plan it first")
            raise InputError([issue])
        plan_id = str(plan["id"])
        planned = {
            r["household_id"]: r
            for r in conn.execute("SELECT * FROM deliveries WHERE plan_id = ?", (plan_id,))
        }
        unknown = [r for r in rows if r.household_id not in planned]
        if unknown:
            what = f"not in plan {plan_id} of {day}"
            raise InputError(
                [
                    Issue(path.name, "household_id", what, "check the id", r.row, r.household_id)
                    for r in unknown
                ]
                + warnings
            )
        last = {r.household_id: r for r in rows}
        changes = _changes(rows, last, planned, path.name, warnings)
        summary = dict(Counter(ch.change for ch in changes))
        import_id = Store.insert_import(conn, "results", day.isoformat(), path, summary)
        new = {ch.household_id for ch in changes if ch.change in ("recorded", "changed")}
        _apply(conn, import_id, day, plan_id, [last[h] for h in last if h in new], planned)
        conn.executemany(
            "INSERT INTO import_changes (import_id, row, household_id, change, fields, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (import_id, ch.row, ch.household_id, ch.change, ch.result, ch.detail)
                for ch in changes
            ],
        )
    return RecordReport(import_id, plan_id, day, tuple(changes), tuple(warnings))


def _apply(
    conn: sqlite3.Connection,
    import_id: int,
    day: date,
    plan_id: str,
    rows: list[ResultRow],
    planned: dict[str, sqlite3.Row],
) -> None:
    # A household that goes to hospital during the day was still due that day: its record
    # is closed from the next day on.
    closed_on = (day + timedelta(days=1)).isoformat()
    for r in rows:
        before = planned[r.household_id]["result"]
        conn.execute(
            "UPDATE deliveries SET result = ?, result_time = ?, result_import = ?"
            " WHERE plan_id = ? AND household_id = ?",
            (r.result, r.time, import_id, plan_id, r.household_id),
        )
        if before in CLOSES_HOUSEHOLD and before != r.result:
            # A correction: the household was closed by this day's earlier result.
            conn.execute(
                "UPDATE households SET state = 'isolating', closed_on = NULL"
                " WHERE id = ? AND state = ? AND closed_on = ?",
                (r.household_id, CLOSES_HOUSEHOLD[before], closed_on),
            )
        if r.result in CLOSES_HOUSEHOLD:
            conn.execute(
                "UPDATE households SET state = ?, closed_on = ?"
                " WHERE id = ? AND state = 'isolating'",
                (CLOSES_HOUSEHOLD[r.result], closed_on, r.household_id),
            )

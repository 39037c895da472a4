"""Merging a day's household list into the store, one reported change per row.

Households are matched by id. A row adds a household, updates it (naming the fields
that changed, never their values: they are personal data), closes it (``status`` says
recovered, hospital or deceased), reopens a closed one, or changes nothing. A repeated
id is reported on each earlier row; the last row of an id is the one used. With
``complete=True`` the list is the whole roster of the kelurahan it covers: an isolating
household of those kelurahan missing from it is closed as ``not_in_list`` (reopened if
it comes back). A household an officer's result closed (taken to hospital…) is not
reopened by a list that still shows it isolating (lists lag behind the officers) unless
the list gives a later isolation start: that row is reported ``kept_closed``. Nothing
is deleted: every version of a record that differs from the one before, repeated rows
included, is kept in ``household_versions``; the whole import is one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from .._errors import Issue
from .config import DeliveryRules
from .roster import HouseholdList, ListRow
from .store import Store

CHANGES = (
    "added",
    "updated",
    "closed",
    "reopened",
    "kept_closed",
    "dropped",
    "duplicate",
    "unchanged",
)


@dataclass(frozen=True)
class RowChange:
    row: int | None  # None: a household closed because the list no longer has it
    household_id: str
    change: str  # one of CHANGES
    fields: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class ImportReport:
    import_id: int
    file: str
    day: date
    rows: int
    changes: tuple[RowChange, ...]
    warnings: tuple[Issue, ...]

    def counts(self) -> dict[str, int]:
        found = Counter(c.change for c in self.changes)
        return {name: found[name] for name in CHANGES}


@dataclass(frozen=True)
class _Stored:
    record: dict[str, Any]
    kelurahan: str
    state: str
    closed_on: str | None
    isolation_start: str
    isolation_end: str


def _record(row: ListRow) -> dict[str, Any]:
    return row.household.model_dump(mode="json")


def _stored(store: Store) -> dict[str, _Stored]:
    return {
        r["id"]: _Stored(
            json.loads(r["record"]),
            r["kelurahan"],
            r["state"],
            r["closed_on"],
            r["isolation_start"],
            r["isolation_end"],
        )
        for r in store.rows("SELECT * FROM households")
    }


def _closed_by_officers(store: Store) -> set[str]:
    """Households whose record an officer's result closed (hospital, recovered…)."""
    return {
        r[0]
        for r in store.rows(
            "SELECT d.household_id FROM deliveries d JOIN plans p ON p.id = d.plan_id"
            " JOIN households h ON h.id = d.household_id"
            " WHERE p.state = 'issued' AND h.state != 'isolating'"
            " AND d.result IN ('moved_to_hospital', 'recovered', 'deceased')"
            " AND date(d.day, '+1 day') = h.closed_on"
        )
    }


def _differs(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)))


class _Merge:
    """The changes of one list against the store, and the rows to write for them."""

    def __init__(self, store: Store, rules: DeliveryRules, day: date) -> None:
        self.store = store
        self.stored, self.closed_by_officer = _stored(store), _closed_by_officers(store)
        self.rules, self.day = rules, day
        self.changes: list[RowChange] = []
        self.upserts: dict[str, tuple[Any, ...]] = {}
        self.versions: list[tuple[str, int | None, str, str]] = []

    def known_version(self, hid: str, record: str) -> bool:
        """Whether this exact record of ``hid`` is kept already (a list imported again)."""
        found = self.store.one(
            "SELECT 1 FROM household_versions WHERE household_id = ? AND record = ?",
            (hid, record),
        )
        return found is not None

    def _version(self, row: ListRow) -> None:
        extra = {"status": row.state, "isolation_end": str(row.isolation_end or "")}
        self.versions.append(
            (row.household.id, row.row, json.dumps(_record(row)), json.dumps(extra))
        )

    def _write(self, hid: str, record: dict[str, Any], start: str, end: str, state: str) -> None:
        closed = None if state == "isolating" else self.day.isoformat()
        old = self.stored.get(hid)
        if old is not None and old.state == state and state != "isolating":
            closed = old.closed_on  # still closed since then
        kel = str(record.get("kelurahan", ""))
        self.upserts[hid] = (hid, json.dumps(record), kel, start, end, state, closed)

    def _start(self, row: ListRow, old: _Stored | None) -> date:
        """The isolation start: the list's; else the stored one while that isolation
        lasts; else (new, or back after it ended) the list's day."""
        if row.household.isolation_start is not None:
            return row.household.isolation_start
        if old is not None and old.isolation_end > self.day.isoformat():
            return date.fromisoformat(old.isolation_start)
        return self.day

    def row(self, row: ListRow) -> None:
        h = row.household
        record = _record(row)
        old = self.stored.get(h.id)
        start = self._start(row, old)
        end = (row.isolation_end or self.rules.isolation_end(start)).isoformat()
        if old is None:
            detail = "" if row.state == "isolating" else f"listed as {row.state}"
            self.changes.append(RowChange(row.row, h.id, "added", (), detail))
            self._version(row)
            self._write(h.id, record, start.isoformat(), end, row.state)
            return
        state, change, detail = row.state, "", ""
        if old.state == "isolating" and row.state != "isolating":
            change, detail = "closed", row.state
        elif old.state != "isolating" and row.state == "isolating":
            if h.id in self.closed_by_officer and start.isoformat() <= old.isolation_start:
                # A list lags behind the officers: it does not undo their result.
                state, change = old.state, "kept_closed"
                start, end = date.fromisoformat(old.isolation_start), old.isolation_end
                detail = (
                    f"closed by an officer's result ({old.state}) from {old.closed_on}; give a"
                    " later isolation start if it is a new isolation"
                )
            else:
                change, detail = "reopened", f"was {old.state} since {old.closed_on}"
        fields = _differs(old.record, record)
        if end != old.isolation_end:
            fields = tuple(sorted({*fields, "isolation_end"}))
        if old.state != state:
            fields = tuple(sorted({*fields, "status"}))
        change = change or ("updated" if fields else "unchanged")
        self.changes.append(RowChange(row.row, h.id, change, fields, detail))
        if change == "unchanged" or (change == "kept_closed" and not fields):
            return
        self._version(row)
        self._write(h.id, record, start.isoformat(), end, state)

    def duplicate(self, row: ListRow, kept: ListRow) -> None:
        fields = _differs(_record(row), _record(kept))
        if (row.state, row.isolation_end) != (kept.state, kept.isolation_end):
            fields = tuple(sorted({*fields, "status"}))
        same = "identical" if not fields else "differs; the later row is used"
        detail = f"same id as row {kept.row} ({same})"
        self.changes.append(RowChange(row.row, row.household.id, "duplicate", fields, detail))
        if fields and not self.known_version(row.household.id, json.dumps(_record(row))):
            self._version(row)

    def dropped(self, listed: set[str], kelurahan: set[str]) -> None:
        today = self.day.isoformat()
        for hid, old in sorted(self.stored.items()):
            if hid in listed or old.state != "isolating" or old.isolation_end <= today:
                continue
            if old.kelurahan.upper() not in kelurahan:
                continue
            detail = "not in this list of its kelurahan"
            self.changes.append(RowChange(None, hid, "dropped", (), detail))
            self._write(hid, old.record, old.isolation_start, old.isolation_end, "not_in_list")


def _similar(rows: list[ListRow], stored: dict[str, _Stored]) -> list[Issue]:
    """Rows with another household's name and phone: perhaps one person under two ids."""
    seen: dict[tuple[str, str], str] = {}
    for hid, old in stored.items():
        key = (str(old.record.get("name", "")).lower(), str(old.record.get("phone", "")))
        if all(key):
            seen.setdefault(key, hid)
    out: list[Issue] = []
    for r in rows:
        key = (r.household.name.lower(), r.household.phone)
        other = seen.setdefault(key, r.household.id) if all(key) else r.household.id
        if other != r.household.id:
            out.append(
                Issue(
                    "",
                    "id",
                    f"same name and phone as household {other}",
                    "if it is the same household, keep one id and mark the other sembuh",
                    row=r.row,
                    value=r.household.id,
                    severity="warning",
                )
            )
    return out


def merge_list(
    store: Store, listed: HouseholdList, rules: DeliveryRules, day: date, complete: bool
) -> ImportReport:
    """Merge ``listed`` into the store as of ``day``, in one transaction (read and
    written under the write lock, so two imports never merge against a stale store)."""
    with store.transaction() as c:
        merge = _Merge(store, rules, day)
        last: dict[str, ListRow] = {r.household.id: r for r in listed.rows}
        for r in listed.rows:
            kept = last[r.household.id]
            if kept is r:
                merge.row(r)
            else:
                merge.duplicate(r, kept)
        if complete:
            kelurahan = {r.household.kelurahan.upper() for r in listed.rows}
            merge.dropped(set(last), kelurahan)
        merge.changes.sort(key=lambda ch: (ch.row is None, ch.row or 0, ch.household_id))
        report_counts = Counter(ch.change for ch in merge.changes)
        summary = {"rows": len(listed.rows), **{k: report_counts[k] for k in CHANGES}}
        import_id = Store.insert_import(c, "households", day.isoformat(), listed.file, summary)
        _write(c, import_id, merge)
    warnings = [
        Issue(listed.display, w.field, w.message, w.fix, w.row, w.value, w.severity)
        for w in _similar(list(last.values()), merge.stored)
    ]
    return ImportReport(
        import_id,
        listed.display,
        day,
        len(listed.rows),
        tuple(merge.changes),
        tuple(listed.warnings + warnings),
    )


def _write(c: sqlite3.Connection, import_id: int, merge: _Merge) -> None:
    c.executemany(
        "INSERT INTO households (id, record, kelurahan, isolation_start, isolation_end, state,"
        " closed_on, first_import, last_import) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET record = excluded.record,"
        " kelurahan = excluded.kelurahan, isolation_start = excluded.isolation_start,"
        " isolation_end = excluded.isolation_end, state = excluded.state,"
        " closed_on = excluded.closed_on, last_import = excluded.last_import",
        [(*u, import_id, import_id) for u in merge.upserts.values()],
    )
    c.executemany(
        "INSERT INTO household_versions (household_id, import_id, row, record, extra)"
        " VALUES (?, ?, ?, ?, ?)",
        [(hid, import_id, row, rec, extra) for hid, row, rec, extra in merge.versions],
    )
    c.executemany(
        "INSERT INTO import_changes (import_id, row, household_id, change, fields, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (import_id, ch.row, ch.household_id, ch.change, ",".join(ch.fields), ch.detail)
            for ch in merge.changes
        ],
    )

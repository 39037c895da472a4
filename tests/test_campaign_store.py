"""The campaign store: a real SQLite file, versioned schema, lists merged row by row."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from ktj_logistics import InputError
from ktj_logistics._campaign import (
    Campaign,
    DeliveryRules,
    Store,
    StoreError,
    init_campaign,
    merge_list,
    open_campaign,
    read_household_list,
)
from ktj_logistics._campaign.audit import audit_store
from ktj_logistics._campaign.merge import ImportReport
from ktj_logistics._campaign.rules import Record, position
from ktj_logistics._campaign.schema import LATEST

from .campaign_days import START, household, make_campaign, write_list


def started(tmp_path: Path, **kw: object) -> Campaign:
    return init_campaign(make_campaign(tmp_path, **kw), tmp_path / "c.db", START)  # type: ignore[arg-type]


def imported(c: Campaign, path: Path, day: date = START, complete: bool = False) -> ImportReport:
    listed = read_household_list(path, c.template())
    return merge_list(c.store, listed, c.config.rules, day, complete)


def changes(report: ImportReport) -> list[tuple[int | None, str, str, tuple[str, ...]]]:
    return [(ch.row, ch.household_id, ch.change, ch.fields) for ch in report.changes]


# --- the file ---------------------------------------------------------------------------


def test_init_makes_a_wal_store_at_the_latest_schema_with_the_first_stock(tmp_path: Path) -> None:
    c = started(tmp_path, stock=25)
    assert c.store.version() == LATEST
    mode = c.store.one("PRAGMA journal_mode")
    assert mode is not None and mode[0] == "wal"
    receipts = c.store.rows("SELECT day, source_id, item, quantity FROM stock_receipts")
    assert [tuple(r) for r in receipts] == [("2021-07-01", "polres", "standard", 25)]
    assert audit_store(c.store) == []


def test_init_refuses_an_existing_campaign(tmp_path: Path) -> None:
    started(tmp_path).close()
    with pytest.raises(StoreError, match="already exists"):
        init_campaign(tmp_path / "campaign.yaml", tmp_path / "c.db", START)


def test_a_file_that_is_no_campaign_store_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a ktj-route campaign store"):
        Store.open(other)


def test_a_store_from_a_newer_ktj_route_is_refused_not_guessed_at(tmp_path: Path) -> None:
    started(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "c.db")
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'future', 'x')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer ktj-route"):
        open_campaign(tmp_path / "c.db")


def test_opening_again_applies_no_migration_twice(tmp_path: Path) -> None:
    started(tmp_path).close()
    for _ in range(2):
        c = open_campaign(tmp_path / "c.db")
        rows = c.store.rows("SELECT version FROM schema_migrations")
        assert [r[0] for r in rows] == list(range(1, LATEST + 1))
        c.close()


# --- merging lists ------------------------------------------------------------------------


def test_a_first_list_adds_every_household(tmp_path: Path) -> None:
    c = started(tmp_path)
    report = imported(c, write_list(tmp_path / "l1.csv", [household(n) for n in range(1, 4)]))
    assert changes(report) == [
        (2, "H1", "added", ()),
        (3, "H2", "added", ()),
        (4, "H3", "added", ()),
    ]
    assert report.counts()["added"] == 3
    assert audit_store(c.store) == []


def test_the_same_list_again_changes_nothing(tmp_path: Path) -> None:
    c = started(tmp_path)
    path = write_list(tmp_path / "l1.csv", [household(n) for n in range(1, 4)])
    imported(c, path)
    again = imported(c, path, START + timedelta(days=1))
    assert {ch.change for ch in again.changes} == {"unchanged"}


def test_changed_addresses_duplicates_and_recoveries_are_reported_row_by_row(
    tmp_path: Path,
) -> None:
    """The issue's case: each change has its row, nothing is lost."""
    c = started(tmp_path)
    imported(c, write_list(tmp_path / "l1.csv", [household(n) for n in range(1, 5)]))
    day2 = [
        household(1, address="Jl. Baru No. 9", lat=-6.2501),  # moved
        household(2, status="sembuh"),  # recovered
        household(3),
        household(3, phone="0800-9999-0003"),  # a repeated id, differing: the later row wins
        household(4),
        household(4),  # repeated, identical
        household(5),  # new
    ]
    report = imported(c, write_list(tmp_path / "l2.csv", day2, ("status",)), START + timedelta(1))
    assert changes(report) == [
        (2, "H1", "updated", ("address", "location")),
        (3, "H2", "closed", ("status",)),
        (4, "H3", "duplicate", ("phone",)),
        (5, "H3", "updated", ("phone",)),
        (6, "H4", "duplicate", ()),
        (7, "H4", "unchanged", ()),
        (8, "H5", "added", ()),
    ]
    assert report.changes[1].detail == "recovered"
    assert "row 5" in report.changes[2].detail
    # Nothing lost: every differing version is kept (the repeated row 4 is day 1's record).
    versions = c.store.rows("SELECT record FROM household_versions WHERE household_id = 'H3'")
    phones = sorted(json.loads(v["record"])["phone"] for v in versions)
    assert phones == ["0800-1000-0003", "0800-9999-0003"]
    h2 = c.store.one("SELECT state, closed_on FROM households WHERE id = 'H2'")
    assert h2 is not None and tuple(h2) == ("recovered", "2021-07-02")
    assert audit_store(c.store) == []


def test_a_complete_list_closes_households_it_lacks_only_in_its_kelurahan(tmp_path: Path) -> None:
    c = started(tmp_path)
    imported(c, write_list(tmp_path / "l1.csv", [household(n) for n in range(1, 5)]))
    # H1, H3 are in PULO, H2, H4 in MELAWAI; the new list covers PULO only and lacks H3.
    report = imported(
        c, write_list(tmp_path / "l2.csv", [household(1)]), START + timedelta(1), complete=True
    )
    assert [(ch.row, ch.household_id, ch.change) for ch in report.changes] == [
        (2, "H1", "unchanged"),
        (None, "H3", "dropped"),
    ]
    states = dict(tuple(r) for r in c.store.rows("SELECT id, state FROM households"))
    assert states == {"H1": "isolating", "H2": "isolating", "H3": "not_in_list", "H4": "isolating"}
    back = imported(c, write_list(tmp_path / "l3.csv", [household(3)]), START + timedelta(2))
    assert [(ch.household_id, ch.change) for ch in back.changes] == [("H3", "reopened")]


def test_a_list_that_lags_behind_the_officers_does_not_reopen_a_household(
    tmp_path: Path,
) -> None:
    """Taken to hospital on day 1 (an officer's result); day 2's list still shows it
    isolating: it stays closed, and says why. A later isolation start reopens it."""
    from ktj_logistics._campaign import DayOptions, plan_day, record_results

    from .campaign_days import write_results

    c = started(tmp_path)
    imported(c, write_list(tmp_path / "l1.csv", [household(1), household(2)]))
    plan_day(c, START, DayOptions(formats=["json"]))
    record_results(c, write_results(tmp_path / "r.csv", [("H1", "dirawat", "10:00")]), START)
    day2 = imported(
        c, write_list(tmp_path / "l2.csv", [household(1), household(2)]), START + timedelta(1)
    )
    assert [(ch.household_id, ch.change) for ch in day2.changes] == [
        ("H1", "kept_closed"),
        ("H2", "unchanged"),
    ]
    assert "officer's result (hospital)" in day2.changes[0].detail
    later = household(1, isolation_start="2021-07-20")
    day20 = imported(c, write_list(tmp_path / "l3.csv", [later]), START + timedelta(19))
    assert [(ch.household_id, ch.change) for ch in day20.changes] == [("H1", "reopened")]
    assert audit_store(c.store) == []


def test_the_same_name_and_phone_under_two_ids_is_a_warning(tmp_path: Path) -> None:
    c = started(tmp_path)
    imported(c, write_list(tmp_path / "l1.csv", [household(1)]))
    twin = household(7, name="Warga 1", phone="0800-1000-0001")
    report = imported(c, write_list(tmp_path / "l2.csv", [household(1), twin]))
    (warning,) = [w for w in report.warnings if "same name and phone" in w.message]
    assert (warning.row, warning.value) == (3, "H7") and "H1" in warning.message


def test_a_list_with_errors_imports_nothing_and_names_every_row(tmp_path: Path) -> None:
    c = started(tmp_path)
    rows = [
        household(1),
        household(2, lat="banyak"),
        household(3, status="entah"),
        household(4, lat=6.25, lon=106.79),  # outside the service area
    ]
    with pytest.raises(InputError) as err:
        imported(c, write_list(tmp_path / "bad.csv", rows, ("status",)))
    found = {(i.row, i.field) for i in err.value.issues}
    assert {(3, "lat"), (4, "status")} <= found
    assert c.store.rows("SELECT * FROM households") == []
    assert [r["kind"] for r in c.store.rows("SELECT kind FROM imports")] == ["stock"]


def test_an_xlsx_list_is_merged_like_a_csv(tmp_path: Path) -> None:
    import openpyxl

    c = started(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Daftar warga isoman"])  # a title row above the header
    ws.append(["id", "lat", "lon", "kelurahan", "status"])
    ws.append(["H1", -6.2525, 106.7990, "PULO", "isolasi"])
    ws.append(["H2", -6.2530, 106.7995, "PULO", "dirawat"])
    wb.save(tmp_path / "list.xlsx")
    report = imported(c, tmp_path / "list.xlsx")
    assert changes(report) == [(3, "H1", "added", ()), (4, "H2", "added", ())]
    assert report.changes[1].detail == "listed as hospital"


# --- delivery rules -----------------------------------------------------------------------


def rec(start: date = START, closed_on: date | None = None, listed: date = START) -> Record:
    state = "isolating" if closed_on is None else "recovered"
    return Record("H1", "PULO", start, start + timedelta(days=14), state, closed_on, listed)


RULES = DeliveryRules()  # packages on days 0 and 7, 3 days apart at least


@pytest.mark.parametrize(
    ("offset", "closed", "standing", "slot", "waiting"),
    [
        (-1, {}, "not_started", None, None),
        (0, {}, "due", 0, 0),
        (2, {}, "due", 0, 2),  # not delivered for two days
        (3, {0: 0}, "between", None, None),  # delivered on day 0, next due on day 7
        (7, {0: 0}, "due", 1, 0),
        (9, {0: 6}, "due", 1, 0),  # delivered late on day 6: due 3 days later, on day 9
        (8, {0: 6}, "between", None, None),
        (10, {0: 0, 1: 7}, "complete", None, None),
        (14, {}, "ended", None, None),  # nothing after isolation ends
    ],
)
def test_delivery_rules(
    offset: int, closed: dict[int, int], standing: str, slot: int | None, waiting: int | None
) -> None:
    slots = {k: START + timedelta(days=d) for k, d in closed.items()}
    p = position(rec(), slots, RULES, START + timedelta(days=offset))
    assert p.standing == standing
    assert (p.due.slot if p.due else None, p.due.days_waiting if p.due else None) == (
        slot,
        waiting,
    )


def test_a_household_listed_late_waits_from_the_day_it_was_listed() -> None:
    p = position(rec(listed=START + timedelta(days=4)), {}, RULES, START + timedelta(days=5))
    assert p.due is not None and (p.due.slot, p.due.days_waiting) == (0, 1)


def test_a_closed_household_is_never_due() -> None:
    p = position(rec(closed_on=START + timedelta(days=2)), {}, RULES, START + timedelta(days=2))
    assert p.standing == "closed"


def test_rules_reject_days_out_of_order() -> None:
    with pytest.raises(ValueError, match="increase"):
        DeliveryRules(deliveries_on_days=[7, 0])

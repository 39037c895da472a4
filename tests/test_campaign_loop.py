"""The daily loop: plan from the store, record results, stock, aging, status, commands."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ktj_logistics import InputError, Plan, PluginError, explain
from ktj_logistics._campaign import (
    Campaign,
    DayInProgress,
    DayOptions,
    DayPlan,
    campaign_status,
    init_campaign,
    merge_list,
    open_campaign,
    plan_day,
    read_household_list,
    record_results,
    record_stock,
    write_status,
)
from ktj_logistics._campaign.audit import accounting, audit_store
from ktj_logistics._cli.app import app

from .campaign_days import START, household, make_campaign, write_list, write_results

DAY2 = START + timedelta(days=1)


def campaign(tmp_path: Path, n: int = 6, stock: int = 40) -> Campaign:
    c = init_campaign(make_campaign(tmp_path, stock=stock), tmp_path / "c.db", START)
    rows = [household(k) for k in range(1, n + 1)]
    listed = read_household_list(write_list(tmp_path / "l1.csv", rows), c.template())
    merge_list(c.store, listed, c.config.rules, START, complete=False)
    return c


def planned(c: Campaign, day: date, **kw: object) -> DayPlan:
    done = plan_day(c, day, DayOptions(formats=["json"], **kw))  # type: ignore[arg-type]
    assert done.plan is not None
    return done


def served_ids(done: DayPlan) -> list[str]:
    assert done.plan is not None
    return sorted(o.household_id for o in done.plan.served())


def test_a_day_is_planned_from_the_store_and_stored_with_every_due_household(
    tmp_path: Path,
) -> None:
    c = campaign(tmp_path)
    done = planned(c, START)
    assert done.plan_id == "20210701-1" and done.due == 6
    assert served_ids(done) == [f"H{k}" for k in range(1, 7)]
    rows = c.store.rows("SELECT household_id, planned, slot, days_waiting FROM deliveries")
    assert sorted(tuple(r) for r in rows) == [(f"H{k}", "served", 0, 0) for k in range(1, 7)]
    on_disk = Plan.model_validate_json((tmp_path / "out" / "2021-07-01" / "plan.json").read_bytes())
    assert on_disk == done.plan
    assert accounting(c, START) == {"due": 6}
    assert audit_store(c.store) == []


def test_planning_a_planned_day_again_writes_the_same_plan(tmp_path: Path) -> None:
    """Officers' sheets never change under them by a re-run (e.g. after a crash)."""
    c = campaign(tmp_path)
    first = planned(c, START)
    (tmp_path / "out" / "2021-07-01" / "plan.json").unlink()
    again = planned(c, START)
    assert again.reused and again.plan_id == first.plan_id and again.plan == first.plan
    assert (tmp_path / "out" / "2021-07-01" / "plan.json").exists()
    fresh = planned(c, START, again=True)
    assert fresh.plan_id == "20210701-2" and not fresh.reused
    states = [tuple(r) for r in c.store.rows("SELECT id, state FROM plans ORDER BY id")]
    assert states == [("20210701-1", "superseded"), ("20210701-2", "issued")]


def test_results_decide_who_is_due_the_next_day(tmp_path: Path) -> None:
    c = campaign(tmp_path)
    planned(c, START)
    sheet = write_results(
        tmp_path / "r1.csv",
        [
            ("H1", "terkirim", "09:12"),
            ("H2", "tidak_ada_orang", "09:30"),
            ("H3", "dirawat", "2021-07-01 10:02"),
            ("H4", "delivered", ""),
            ("H5", "refused", "10:30"),
            ("H6", "not_visited", ""),
        ],
    )
    report = record_results(c, sheet, START)
    assert report.counts() == {
        "delivered": 2,
        "nobody_home": 1,
        "moved_to_hospital": 1,
        "refused": 1,
        "not_visited": 1,
    }
    assert accounting(c, START)["due"] == 6  # the day's due households stay accounted for
    day2 = planned(c, DAY2)
    assert served_ids(day2) == ["H2", "H6"]  # nobody home and not visited: due again
    waits = dict(
        tuple(r)
        for r in c.store.rows(
            "SELECT household_id, days_waiting FROM deliveries WHERE day = ?", (DAY2.isoformat(),)
        )
    )
    assert waits == {"H2": 1, "H6": 1}
    assert accounting(c, DAY2) == {"between": 3, "closed": 1, "due": 2}


def test_a_waiting_household_shows_its_aging_points_in_explain(tmp_path: Path) -> None:
    c = campaign(tmp_path)
    planned(c, START)
    record_results(c, write_results(tmp_path / "r.csv", [("H2", "nobody_home", "09:30")]), START)
    day2 = planned(c, DAY2)
    assert day2.plan is not None
    text = explain(day2.plan, "H2").text()
    assert "+20  aging · waiting: waited 1 day for its package (due since 2021-07-01)" in text


def test_a_corrected_result_reopens_the_household_it_closed(tmp_path: Path) -> None:
    c = campaign(tmp_path)
    planned(c, START)
    record_results(c, write_results(tmp_path / "a.csv", [("H3", "dirawat", "10:00")]), START)
    state = c.store.one("SELECT state, closed_on FROM households WHERE id = 'H3'")
    assert state is not None and tuple(state) == ("hospital", "2021-07-02")
    fixed = record_results(
        c, write_results(tmp_path / "b.csv", [("H3", "delivered", "10:00")]), START
    )
    assert [(ch.change, ch.detail) for ch in fixed.changes] == [
        ("changed", "was moved_to_hospital")
    ]
    state = c.store.one("SELECT state, closed_on FROM households WHERE id = 'H3'")
    assert state is not None and tuple(state) == ("isolating", None)


def test_results_for_households_not_in_the_plan_record_nothing(tmp_path: Path) -> None:
    c = campaign(tmp_path)
    planned(c, START)
    sheet = write_results(
        tmp_path / "r.csv", [("H1", "delivered", "9:00"), ("H99", "delivered", "")]
    )
    with pytest.raises(InputError) as err:
        record_results(c, sheet, START)
    (issue,) = err.value.issues
    assert (issue.row, issue.value) == (3, "H99")
    assert c.store.rows("SELECT * FROM deliveries WHERE result IS NOT NULL") == []


def test_a_day_with_results_is_not_planned_again_from_scratch(tmp_path: Path) -> None:
    c = campaign(tmp_path)
    planned(c, START)
    record_results(c, write_results(tmp_path / "r.csv", [("H1", "delivered", "9:00")]), START)
    with pytest.raises(DayInProgress):
        plan_day(c, START, DayOptions(again=True, formats=["json"]))


def test_stock_follows_receipts_and_deliveries(tmp_path: Path) -> None:
    """6 packages planned from 8; 4 delivered, 2 come back; 5 received the next day."""
    c = campaign(tmp_path, stock=8)
    planned(c, START)
    results = [(f"H{k}", "delivered", "") for k in range(1, 5)] + [
        ("H5", "nobody_home", ""),
        ("H6", "refused", ""),
    ]
    record_results(c, write_results(tmp_path / "r.csv", results), START)
    stock = tmp_path / "stock.csv"
    stock.write_text("sumber;barang;jumlah\npolres;standard;5\n", "utf-8")
    assert not record_stock(c, stock, DAY2).already
    assert record_stock(c, stock, DAY2).already  # the same sheet again is not counted twice
    day2 = planned(c, DAY2)
    assert day2.plan is not None
    (usage,) = day2.plan.sources
    assert usage.stock == {"standard": 8 - 4 + 5}


def test_unknown_sources_in_a_stock_sheet_are_errors(tmp_path: Path) -> None:
    c = campaign(tmp_path)
    stock = tmp_path / "stock.csv"
    stock.write_text("source,item,quantity\npolda,standard,5\npolres,beras,x\n", "utf-8")
    with pytest.raises(InputError) as err:
        record_stock(c, stock, START)
    assert {(i.row, i.field) for i in err.value.issues} == {
        (2, "source"),
        (3, "item"),
        (3, "quantity"),
    }


def test_the_status_report_counts_due_served_waiting_and_stock(tmp_path: Path) -> None:
    c = campaign(tmp_path)
    planned(c, START)
    results = [("H1", "delivered", "")] + [(f"H{k}", "nobody_home", "") for k in range(2, 7)]
    record_results(c, write_results(tmp_path / "r.csv", results), START)
    status = campaign_status(c, DAY2)
    first, second = status.days
    assert (first.due, first.on_sheets, first.delivered, first.results["nobody_home"]) == (
        6,
        6,
        1,
        5,
    )
    assert (second.plan_id, second.due, second.max_wait) == (None, 5, 1)
    assert [(str(s.day), s.source_id, s.received, s.used, s.left) for s in status.stock] == [
        ("2021-07-01", "polres", 40, 1, 39),
        ("2021-07-02", "polres", 0, 0, 39),
    ]
    written = write_status(status, tmp_path / "status")
    names = sorted(p.name for p in written)
    assert names == [
        "due_served.png",
        "kelurahan.png",
        "status.html",
        "status.json",
        "stock.png",
        "waiting.png",
    ]
    assert (tmp_path / "status" / "due_served.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (tmp_path / "status" / "status.html").read_text("utf-8")
    assert "Warga" not in html and "0800-" not in html  # households by id only
    data = json.loads((tmp_path / "status" / "status.json").read_text("utf-8"))
    assert data["days"][0]["results"] == {"delivered": 1, "nobody_home": 5}


def test_the_aging_plugin_rejects_a_tag_that_is_not_a_number_of_days(tmp_path: Path) -> None:
    from ktj_logistics import Household, Location, PlanOptions, plan

    c = campaign(tmp_path)
    h = Household(id="X", location=Location(lat=-6.2525, lon=106.799), tags={"days_waiting": "dua"})
    with pytest.raises(PluginError, match="aging"):
        plan(c.template().scenario.model_copy(update={"households": [h]}), PlanOptions())


def test_the_aging_plugin_documents_its_rules_and_settings() -> None:
    root = Path(__file__).parents[1]
    doc = (root / "plugins" / "aging.py").read_text("utf-8").split('"""')[1]
    assert "days_waiting" in doc and "points_per_day" in doc and "max_points" in doc
    table = (root / "docs" / "plugins.md").read_text("utf-8")
    assert "| `aging` |" in table and "points_per_day: 20, max_points: 80" in table


# --- the commands ---------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["campaign", *args])
    return result.exit_code, result.output


def test_the_daily_loop_through_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_campaign(tmp_path)
    store = str(tmp_path / "c.db")
    monkeypatch.setenv("KTJ_CAMPAIGN_STORE", store)
    assert run("init", str(config), "--date", "2021-07-01")[0] == 0
    write_list(tmp_path / "l1.csv", [household(k) for k in range(1, 4)])
    code, text = run("import", str(tmp_path / "l1.csv"), "--date", "2021-07-01")
    assert code == 0 and "row 2  H1  added" in text and "3 added" in text
    code, text = run(
        "plan", "--date", "2021-07-01", "--quiet", "--format", "json", "--format", "csv"
    )
    assert code == 0 and "Plan 20210701-1 for 2021-07-01: 3 due, 3 on the sheets" in text
    with (tmp_path / "out" / "2021-07-01" / "routes.csv").open(encoding="utf-8-sig") as fh:
        assert {r["household_ids"] for r in csv.DictReader(fh) if r["household_ids"]} == {
            "H1",
            "H2",
            "H3",
        }
    write_results(tmp_path / "r.csv", [("H1", "terkirim", "09:00"), ("H2", "rumah_kosong", "")])
    code, text = run("record", str(tmp_path / "r.csv"), "--date", "2021-07-01")
    assert code == 0 and "row     3  H2  recorded: nobody_home" in text
    code, text = run("status", "--date", "2021-07-02", "--no-charts")
    assert code == 0 and "Wrote 2 files" in text
    assert (tmp_path / "out" / "status" / "status.html").exists()


def test_command_errors_use_the_documented_exit_codes(tmp_path: Path) -> None:
    code, text = run("plan", "--store", str(tmp_path / "none.db"))
    assert code == 2 and "no campaign store here" in text
    config = make_campaign(tmp_path)
    run("init", str(config), "--store", str(tmp_path / "c.db"))
    code, text = run("status", "--store", str(tmp_path / "c.db"), "--date", "2021-13-01")
    assert code == 2 and "--date = '2021-13-01': not a date" in text
    code, text = run("import", "--store", str(tmp_path / "c.db"))
    assert code == 2 and "nothing to import" in text
    bad = write_list(tmp_path / "bad.csv", [household(1, lat="x")])
    code, text = run("import", str(bad), "--store", str(tmp_path / "c.db"))
    assert code == 2 and "row 2: lat = 'x'" in text


def test_a_list_and_its_stock_sheet_are_imported_together_or_not_at_all(
    tmp_path: Path,
) -> None:
    """``import LIST --stock FILE`` is one change (test_campaign_crash kills it between
    the two): a stock sheet that is refused leaves the list unmerged too."""
    store = str(tmp_path / "c.db")
    assert run("init", str(make_campaign(tmp_path)), "--store", store)[0] == 0
    write_list(tmp_path / "l1.csv", [household(k) for k in range(1, 4)])
    (tmp_path / "bad.csv").write_text("source,item,quantity\npolda,standard,5\n", "utf-8")
    (tmp_path / "good.csv").write_text("source,item,quantity\npolres,standard,5\n", "utf-8")
    args = [str(tmp_path / "l1.csv"), "--store", store, "--date", "2021-07-01", "--stock"]
    code, text = run("import", *args, str(tmp_path / "bad.csv"))
    assert code == 2 and "source" in text
    c = open_campaign(Path(store))
    try:
        assert c.store.rows("SELECT id FROM households") == []
        assert len(c.store.rows("SELECT id FROM stock_receipts")) == 1  # init's stock only
    finally:
        c.close()
    code, text = run("import", *args, str(tmp_path / "good.csv"))
    assert code == 0 and "3 added" in text and "good.csv: 1 receipt(s), 5 item(s)" in text


def test_validate_and_plan_accept_an_xlsx_household_file(tmp_path: Path) -> None:
    import openpyxl

    day = make_campaign(tmp_path).with_name("day.yaml").read_text("utf-8")
    scenario = day.replace("households: []", "households: households.xlsx")
    (tmp_path / "scenario.yaml").write_text(scenario, "utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "lat", "lon"])
    ws.append(["H1", -6.2525, 106.799])
    wb.save(tmp_path / "households.xlsx")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "scenario.yaml")])
    assert result.exit_code == 0 and "1 households" in result.output

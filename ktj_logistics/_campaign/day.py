"""Planning one day of a campaign: the due households from the store, the day template's
fleet and sources with the stock the store says is left, planned through
``ktj_logistics.plan`` and stored with every due household's outcome.

A day has at most one issued plan. Running ``plan`` again for a planned day writes that
plan's files again (officers' sheets do not change under them); ``again=True`` plans
the day anew and supersedes the old plan, allowed only while no result of it has been
recorded (changing a day in progress is re-planning, a later feature). The plan and its
deliveries are stored in one transaction before the files are written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .._engine import plan
from .._errors import InputError, Issue, KtjError
from .._load.checks import check_scenario
from .._load.origins import Origins, issues_from_validation
from .._load.records import read_table, records_from_rows
from .._options import PlanOptions, Result
from .._plan import Plan
from .._report import ReportOptions, write_outputs
from .._scenario import Household, Scenario, Vehicle
from .context import Campaign
from .ledger import positions, stock_on
from .rules import Due, Record
from .store import now


class DayInProgress(KtjError):
    """The day's plan already has results (or another command planned the day while
    this one searched): it is not planned again from scratch."""

    exit_code = 2


@dataclass(frozen=True)
class DayOptions:
    time_limit_s: float | None = None
    deterministic: bool | None = None
    again: bool = False
    vehicles: Path | None = None  # today's vehicles instead of the template's
    out_dir: Path | None = None
    formats: Sequence[str] | None = None
    report: ReportOptions = field(default_factory=ReportOptions)


@dataclass(frozen=True)
class DayPlan:
    day: date
    due: int
    plan_id: str | None  # None: nobody was due
    plan: Plan | None
    out_dir: Path | None
    written: tuple[Path, ...] = ()
    reused: bool = False  # the day's issued plan was written again, not planned anew
    pending: int = 0  # planned deliveries of earlier days without a result yet


def _issued(c: Campaign, day: date) -> tuple[str, str, str, str] | None:
    row = c.store.one(
        "SELECT id, plan_json, scenario_json, base_dir FROM plans"
        " WHERE day = ? AND state = 'issued'",
        (day.isoformat(),),
    )
    if row is None:
        return None
    return row["id"], row["plan_json"], row["scenario_json"], row["base_dir"]


class _Vehicles(BaseModel):
    vehicles: list[Vehicle]


def _today_vehicles(path: Path, template: Scenario) -> list[Vehicle]:
    """Vehicles from a CSV or workbook, checked like a scenario's vehicle file (bases and
    sources they name must be the template's)."""
    issues: list[Issue] = []
    table = read_table(path, path.name, issues, "vehicles")
    if table is None:
        raise InputError(issues)
    origins = Origins(scenario_file=path.name)
    records = records_from_rows(
        table.rows,
        "vehicles",
        path.name,
        origins,
        issues,
        table.decimal_comma,
        table.delim,
        table.first_row,
    )
    vehicles: list[Vehicle] = []
    try:
        vehicles = _Vehicles.model_validate({"vehicles": records}).vehicles
    except ValidationError as exc:
        issues += issues_from_validation(exc, origins)
    if not vehicles and not issues:
        issues.append(Issue(path.name, "(file)", "no vehicles listed", "add a row per vehicle"))
    if vehicles:
        fleet = template.model_copy(update={"vehicles": vehicles, "households": []})
        issues += [i for i in check_scenario(fleet, origins) if i.file == path.name]
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return vehicles


def day_scenario(
    c: Campaign, day: date, due: list[tuple[Record, Due]], vehicles: Path | None
) -> Scenario:
    """The day as a scenario: template fleet and sources, stock from the store, and the
    due households tagged with their wait (read by the ``aging`` plugin)."""
    template = c.template().scenario
    records = {r["id"]: r["record"] for r in c.store.rows("SELECT id, record FROM households")}
    households = []
    for rec, d in due:
        h = Household.model_validate_json(records[rec.id])
        tags = {
            **h.tags,
            "days_waiting": str(d.days_waiting),
            "due_since": d.due_since.isoformat(),
            "package": str(d.slot + 1),
        }
        households.append(
            h.model_copy(update={"tags": tags, "isolation_start": rec.isolation_start})
        )
    stock = stock_on(c.store, day)
    sources = [s.model_copy(update={"stock": stock.get(s.id, {})}) for s in template.sources]
    return template.model_copy(
        update={
            "name": f"{c.name} {day.isoformat()}",
            "settings": template.settings.model_copy(update={"planning_date": day}),
            "households": households,
            "sources": sources,
            "vehicles": _today_vehicles(vehicles, template) if vehicles else template.vehicles,
            "expect": None,
        }
    )


def _due(c: Campaign, day: date) -> list[tuple[Record, Due]]:
    found = positions(c.store, c.config.rules, day)
    due = [(rec, p.due) for rec, p in found.values() if p.due is not None]
    # Longest wait first, then id: the order of households in the day's scenario.
    return sorted(due, key=lambda x: (-x[1].days_waiting, x[0].id))


def _pending(c: Campaign, day: date) -> int:
    row = c.store.one(
        "SELECT COUNT(*) AS n FROM deliveries d JOIN plans p ON p.id = d.plan_id"
        " WHERE p.state = 'issued' AND d.day < ? AND d.planned = 'served' AND d.result IS NULL",
        (day.isoformat(),),
    )
    return int(row["n"]) if row is not None else 0


def _rewrite(c: Campaign, day: date, issued: tuple[str, str, str, str], o: DayOptions) -> DayPlan:
    """Write the day's issued plan again from the store (after a crash, or lost files)."""
    plan_id, plan_json, scenario_json, base_dir = issued
    stored = Plan.model_validate_json(plan_json)
    scenario = Scenario.model_validate_json(scenario_json)
    scenario._base_dir = Path(base_dir)
    result = Result(stored, stored.solver.method, scenario, {})
    out_dir = o.out_dir or c.day_dir(day)
    written = write_outputs(result, out_dir, formats=o.formats, options=o.report)
    return DayPlan(
        day,
        stored.totals.households,
        plan_id,
        stored,
        out_dir,
        tuple(written),
        True,
        _pending(c, day),
    )


def plan_day(c: Campaign, day: date, o: DayOptions) -> DayPlan:
    """Plan ``day`` from the store (see the module docstring), store it, write its files."""
    issued = _issued(c, day)
    if issued is not None and not o.again:
        return _rewrite(c, day, issued, o)
    if issued is not None:
        recorded = c.store.one(
            "SELECT COUNT(*) AS n FROM deliveries WHERE plan_id = ? AND result IS NOT NULL",
            (issued[0],),
        )
        if recorded is not None and recorded["n"]:
            raise DayInProgress(
                f"plan {issued[0]} of {day} already has {recorded['n']} result(s) recorded;"
                " a day in progress cannot be planned again from scratch"
            )
    due = _due(c, day)
    pending = _pending(c, day)
    if not due:
        return DayPlan(day, 0, None, None, None, pending=pending)
    scenario = day_scenario(c, day, due, o.vehicles)
    base_dir = c.template().path.parent.resolve()
    result = plan(
        scenario,
        PlanOptions(time_limit_s=o.time_limit_s, deterministic=o.deterministic, base_dir=base_dir),
    )
    plan_id = _store(c, day, due, scenario, result.plan, base_dir, issued)
    out_dir = o.out_dir or c.day_dir(day)
    written = write_outputs(result, out_dir, formats=o.formats, options=o.report)
    return DayPlan(day, len(due), plan_id, result.plan, out_dir, tuple(written), False, pending)


def _store(
    c: Campaign,
    day: date,
    due: list[tuple[Record, Due]],
    scenario: Scenario,
    plan_: Plan,
    base_dir: Path,
    issued: tuple[str, str, str, str] | None,
) -> str:
    """The plan and one delivery row per due household, in one transaction."""
    outcomes = {o.household_id: o for o in plan_.households}
    with c.store.transaction() as conn:
        now_issued = conn.execute(
            "SELECT id FROM plans WHERE day = ? AND state = 'issued'", (day.isoformat(),)
        ).fetchone()
        if (now_issued[0] if now_issued else None) != (issued[0] if issued else None):
            raise DayInProgress(
                f"{day} was planned by another command meanwhile"
                f" (plan {now_issued[0] if now_issued else 'withdrawn'});"
                " run campaign plan again to write its files"
            )
        n = conn.execute("SELECT COUNT(*) FROM plans WHERE day = ?", (day.isoformat(),))
        plan_id = f"{day:%Y%m%d}-{int(n.fetchone()[0]) + 1}"
        if issued is not None:
            conn.execute("UPDATE plans SET state = 'superseded' WHERE id = ?", (issued[0],))
        conn.execute(
            "INSERT INTO plans (id, day, created_at, state, plan_json, scenario_json, base_dir)"
            " VALUES (?, ?, ?, 'issued', ?, ?, ?)",
            (
                plan_id,
                day.isoformat(),
                now(),
                plan_.model_dump_json(),
                scenario.model_dump_json(),
                str(base_dir),
            ),
        )
        rows = []
        for rec, d in due:
            o = outcomes[rec.id]
            served = o.status == "served"
            rows.append(
                (
                    plan_id,
                    day.isoformat(),
                    rec.id,
                    rec.kelurahan,
                    rec.isolation_start.isoformat(),
                    d.slot,
                    d.due_since.isoformat(),
                    d.days_waiting,
                    o.status,
                    None if served else (o.reason.value if o.reason else "unknown"),
                    o.vehicle_id,
                    o.source_id,
                    json.dumps(o.items if served else {}, sort_keys=True),
                )
            )
        conn.executemany(
            "INSERT INTO deliveries (plan_id, day, household_id, kelurahan, episode, slot,"
            " due_since, days_waiting, planned, reason, vehicle_id, source_id, items)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return plan_id

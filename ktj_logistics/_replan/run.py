"""``replan``: the rest of a day under way, planned through ``plan`` itself.

The issued plan is read at T (``state.py``), the rest of the day becomes a scenario
(``derive.py``) that ``ktj_logistics.plan`` plans and verifies like any day, and the new
plan is then checked against the issued one (``_verify.check_replan``: nothing done or
loaded moved) and compared with it officer by officer (``report.py``). The changes
report is written with the plan's other files by an exporter (``changes.json``,
``changes.txt``), so it is in the run folder's manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from .._engine import plan
from .._errors import InternalError
from .._options import EmptyDay, PlanOptions, Result
from .._plan import Plan
from .._plugins.hookspecs import Exporter, hookimpl
from .._report.manifest import plan_id
from .._scenario import Scenario, seconds_of_day
from .._verify import Violation, check_replan
from .changes import Changes
from .derive import rest_of_day
from .report import ChangesReport, changes_report, report_text
from .state import Underway, underway

EXPORTER = "changes"


@dataclass(frozen=True)
class Replanned:
    """A re-plan: the verified plan of the rest of the day, and what changed."""

    result: Result  # the rest of the day, from T (write it with write_outputs)
    report: ChangesReport
    scenario: Scenario  # the scenario of the rest of the day that ``plan`` was given
    underway: Underway
    empty: bool = False  # nobody left could be served (the plan still lists why)

    @property
    def plan(self) -> Plan:
        return self.result.plan

    def text(self) -> str:
        return report_text(self.report)


class _ChangesExporter:
    """Writes the changes report beside the plan; filled in once the plan is made."""

    def __init__(self) -> None:
        self.report: ChangesReport | None = None

    @hookimpl
    def ktj_register_exporters(self) -> list[Exporter]:
        return [Exporter(EXPORTER, "changes.json, changes.txt: what a re-plan changed", self.write)]

    def write(self, plan: Plan, scenario: Scenario, out_dir: Path, options: Any) -> list[Path]:
        if self.report is None:
            return []
        js, txt = out_dir / "changes.json", out_dir / "changes.txt"
        js.write_text(self.report.model_dump_json(indent=2) + "\n", encoding="utf-8")
        txt.write_text(report_text(self.report), encoding="utf-8")
        return [js, txt]


def replan(
    scenario: Scenario,
    issued: Plan,
    at: time,
    changes: Changes | None = None,
    options: PlanOptions | None = None,
) -> Replanned:
    """Re-plan ``scenario``'s day from ``at`` with ``changes``, keeping what ``issued``
    had done or loaded by then. Raises ``InputError`` for changes naming unknown ids."""
    ch = changes or Changes()
    at_s = seconds_of_day(at)
    day = underway(issued, at_s, {o.vehicle for o in ch.vehicles_off})
    rest = rest_of_day(scenario, day, ch)
    exporter = _ChangesExporter()
    opts = options or PlanOptions()
    opts = opts.model_copy(
        update={"extra_plugins": (*opts.extra_plugins, ("replan_changes", exporter))}
    )
    empty = False
    try:
        result = plan(rest, opts)
    except EmptyDay as exc:
        result, empty = exc.result, True
    moved = check_replan(issued, at_s, result.plan, day_off(ch), scenario)
    if moved:
        raise _moved(moved)
    officers = {v.id: v.officer for v in scenario.vehicles}
    exporter.report = changes_report(issued, day, result.plan, ch, officers).model_copy(
        update={"issued_plan_id": plan_id(issued), "new_plan_id": plan_id(result.plan)}
    )
    return Replanned(result, exporter.report, rest, day, empty)


def day_off(changes: Changes) -> set[str]:
    return {o.vehicle for o in changes.vehicles_off}


def _moved(violations: list[Violation]) -> InternalError:
    shown = "; ".join(str(v) for v in violations[:5])
    return InternalError(f"the re-plan moved what had to stay: {shown}")

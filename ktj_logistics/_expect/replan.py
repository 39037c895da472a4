"""``ktj-route check`` of a re-plan scenario file: plan the day (or read its issued
plan), re-plan it at T with the changes, judge the re-plan against ``expect:`` — the
ordinary expectations on the plan of the rest of the day, and ``expect.replan``."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import InputError, KtjError
from .._plan import Plan
from .._replan import Replanned, replan
from .._replan.files import read_case
from .._verify import check_replan
from .evaluate import evaluate
from .finding import Finding
from .model import Expectations, ReplanExpectations
from .options import planning_options
from .outcome import ScenarioOutcome, Status, input_problem, internal_problem

if TYPE_CHECKING:
    from .._options import PlanOptions

REACH_REASONS = {"no_eligible_vehicle", "time_window"}


def _judge(want: ReplanExpectations, done: Replanned, issued: Plan) -> list[Finding]:
    out: list[Finding] = []
    report = done.report
    if want.nothing_moved:
        moved = check_replan(
            issued,
            done.underway.at_s,
            done.plan,
            {o.vehicle_id for o in report.officers if o.off_duty},
        )
        msg = "; ".join(str(v) for v in moved[:3]) or "nothing done or loaded moved"
        out.append(Finding("replan.nothing_moved", not moved, msg))
    if want.urgent_served:
        bad = {h: r for h, r in report.urgent_unserved.items() if r not in REACH_REASONS}
        away = sorted(set(report.urgent_unserved) - set(bad))
        msg = f"{len(report.urgent_served)} urgent households served"
        msg += f"; unserved: {bad}" if bad else ""
        msg += f"; out of reach: {away}" if away else ""
        out.append(Finding("replan.urgent_served", not bad, msg))
    n = report.new_sheets
    who = ", ".join(o.vehicle_id for o in report.officers if o.new_sheet) or "none"
    if want.max_sheets_changed is not None:
        ok = n <= want.max_sheets_changed
        out.append(Finding("replan.max_sheets_changed", ok, f"{n} new sheets ({who})"))
    if want.min_sheets_changed is not None:
        ok = n >= want.min_sheets_changed
        out.append(Finding("replan.min_sheets_changed", ok, f"{n} new sheets ({who})"))
    return out


def check_replan_file(
    path: Path,
    *,
    skip_tags: Iterable[str] = (),
    plugins_dirs: Sequence[Path] = (),
    options: PlanOptions | None = None,
) -> ScenarioOutcome:
    """Re-plan the case at ``path`` and judge it; never raises for a bad case.

    ``options`` as for ``run.check_file``: how the re-plan searches."""
    t0 = time.monotonic()
    name = path.stem
    try:
        case = read_case(path, tuple(plugins_dirs))
    except InputError as exc:
        return ScenarioOutcome(path, name, "error", problem=input_problem(exc))
    except KtjError as exc:
        return ScenarioOutcome(path, name, "error", problem=f"the issued plan: {exc}")
    except Exception as exc:  # noqa: BLE001 - one broken scenario must not stop the others
        return ScenarioOutcome(path, name, "error", problem=internal_problem(exc))
    expect = case.expect or Expectations()
    tags = tuple(expect.tags)
    skipping = sorted(set(tags) & set(skip_tags))
    if skipping:
        return ScenarioOutcome(path, name, "skipped", problem=f"tagged {', '.join(skipping)}")
    options = planning_options(options, case.loaded.path.parent, plugins_dirs)
    try:
        done = replan(case.loaded.scenario, case.issued, case.at, case.changes, options)
    except Exception as exc:  # noqa: BLE001 - reported as this case's error
        problem = (
            f"no verified re-plan: {exc}" if isinstance(exc, KtjError) else internal_problem(exc)
        )
        return ScenarioOutcome(path, name, "error", problem=problem, seconds=time.monotonic() - t0)
    t = done.plan.totals
    findings = [
        Finding(
            "replans",
            True,
            f"re-planned at {case.at:%H:%M} and verified: {t.served} of {t.households} "
            f"households left served; {done.report.new_sheets} officers get new sheets",
        )
    ]
    plain = expect.model_copy(update={"replan": None, "deterministic": False})
    findings += evaluate(plain, done.scenario, done.plan)
    if expect.replan is not None:
        findings += _judge(expect.replan, done, case.issued)
    status: Status = "passed" if all(f.passed for f in findings) else "failed"
    return ScenarioOutcome(
        path,
        name,
        status,
        tuple(findings),
        seconds=time.monotonic() - t0,
        tags=tags,
        served=t.served,
        households=t.households,
        method=done.result.method,
    )

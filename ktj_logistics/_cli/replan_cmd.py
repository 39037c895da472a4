"""``ktj-route replan``: re-plan the rest of a day under way, keeping what was done or
loaded, and say which officers get new sheets (docs/replan.md)."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated

import typer

from .._errors import InputError, Issue
from .._i18n import LANGS
from .common import PluginsDir, app, cleanup_on_signals, errors, out, print_warnings, show_logs
from .plan_cmd import summary_table


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text if len(text) > 4 else "0" + text)
    except ValueError:
        raise InputError(
            [Issue("command line", "--at", f"{text!r} is not a time", "write it as HH:MM")]
        ) from None


def _need(value: object, flag: str) -> None:
    if value is None:
        raise InputError(
            [Issue("command line", flag, "missing", f"give {flag}, or a re-plan scenario file")]
        )


@app.command("replan")
def replan_command(
    scenario: Annotated[
        Path, typer.Argument(help="The day's scenario YAML, or a re-plan scenario file.")
    ],
    issued: Annotated[
        Path | None,
        typer.Option("--plan", help="The issued plan.json (or the output folder holding it)."),
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="Re-plan time, HH:MM.")] = None,
    changes_file: Annotated[
        Path | None, typer.Option("--changes", help="YAML of the changes (docs/replan.md).")
    ] = None,
    off: Annotated[
        list[str] | None,
        typer.Option("--off", help="A vehicle unavailable from --at (repeat for more)."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "out-replan"
    ),
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", min=0.001, max=86_400, help="Seconds.")
    ] = None,
    deterministic: Annotated[
        bool | None,
        typer.Option("--deterministic/--no-deterministic", help="Same input, same plan."),
    ] = None,
    plugins_dir: PluginsDir = None,
    lang: Annotated[str, typer.Option("--lang", help="id (Bahasa Indonesia) or en.")] = "id",
    redact: Annotated[
        bool, typer.Option("--redact", help="Pseudonyms instead of names, phones, addresses.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Stage timings on stderr.")
    ] = 0,
) -> None:
    """Re-plan from --at: kept stops stay, the rest is planned again; writes the new plan
    and changes.json / changes.txt (which officers get new sheets, and what changed)."""
    from .._load import load
    from .._options import PlanOptions
    from .._replan import Changes, VehicleOff, replan
    from .._replan.files import is_replan_file, read_case, read_changes, read_plan
    from .._report import ReportOptions, write_outputs
    from .._report.folder import check_out_dir

    show_logs(verbose)
    with errors(), cleanup_on_signals():
        if lang not in LANGS:
            raise InputError(
                [Issue("command line", "--lang", f"unknown language {lang!r}", "use id or en")]
            )
        dirs = tuple(plugins_dir or ())
        if is_replan_file(scenario):
            case = read_case(scenario, dirs)
            loaded, plan_, when, changes = case.loaded, case.issued, case.at, case.changes
        else:
            _need(issued, "--plan")
            _need(at, "--at")
            assert issued is not None and at is not None
            loaded, plan_, when = load(scenario, dirs), read_plan(issued), _clock(at)
            changes = read_changes(changes_file) if changes_file else Changes()
        if at is not None:
            when = _clock(at)
        extra = [VehicleOff(vehicle=v, reason="unavailable") for v in off or []]
        if extra:
            changes = changes.model_copy(update={"vehicles_off": [*changes.vehicles_off, *extra]})
        print_warnings(loaded.warnings)
        check_out_dir(out_dir, scenario.parent)
        options = PlanOptions(
            time_limit_s=time_limit,
            deterministic=deterministic,
            plugin_dirs=dirs,
            base_dir=loaded.path.parent,
        )
        done = replan(loaded.scenario, plan_, when, changes, options)
        write_outputs(done.result, out_dir, options=ReportOptions(lang=lang, redact=redact))
    if not quiet:
        summary_table(done.plan, lang)
    out().print(done.text(), highlight=False, markup=False, end="")

"""``ktj-route plan``: plan the day, write the outputs, print a summary.

The engine, the loader and the exporters are imported inside the command, not here:
every ``ktj-route`` command imports this module, and most of them never plan.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .._errors import InputError, Issue
from .._i18n import LANGS, Translator
from .._timefmt import hhmm
from .common import (
    PluginsDir,
    app,
    cleanup_on_signals,
    err,
    errors,
    out,
    print_warnings,
    show_logs,
)

if TYPE_CHECKING:
    from .._options import PlanOptions
    from .._plan import Plan
    from .._scenario import Scenario
    from .progress import PlanProgress

DETERMINISTIC_TIME = Issue(
    "command line",
    "--time-limit",
    "a deterministic plan stops after a fixed amount of search (settings.search_solutions), "
    "not after a time, so that the same input gives the same plan",
    "drop --time-limit, or add --no-deterministic to search for that long",
)


def _refuse_early(
    sc: Scenario, out_dir: Path, inputs: Path, time_limit: float | None, det: bool | None
) -> None:
    """What would fail only after the solve is refused before it (exit 2)."""
    from .._engine import search_config
    from .._options import PlanOptions
    from .._report.folder import check_out_dir

    check_out_dir(out_dir, inputs)
    if time_limit is not None and search_config(sc, PlanOptions(deterministic=det)).deterministic:
        raise InputError([DETERMINISTIC_TIME])


def check_lang(lang: str) -> None:
    """Refuse an unknown --lang before anything is planned."""
    if lang not in LANGS:
        raise InputError(
            [Issue("command line", "--lang", f"unknown language {lang!r}", "use id or en")]
        )


def terminal_progress(sc: Scenario, options: PlanOptions, lang: str) -> PlanProgress | None:
    """A live progress display when stderr is a terminal (never in pipes or logs)."""
    from .._engine import search_config
    from .progress import PlanProgress

    console = err()
    if not console.is_terminal:
        return None
    return PlanProgress(console, lang, search_config(sc, options).time_limit_s)


def summary_table(plan_: Plan, lang: str, scenario: Scenario | None = None) -> None:
    """The routes of the day, its totals, what was left out and why, and the hints."""
    from .._report.fairness import fairness_line
    from .._report.words import hint_text

    tr = Translator(lang)
    t = plan_.totals
    table = Table(title=escape(f"{plan_.scenario} — {plan_.planning_date}"), title_justify="left")
    for key, justify in [
        ("col.vehicle", "left"),
        ("col.kind", "left"),
        ("col.trips", "right"),
        ("col.stops", "right"),
        ("col.packages", "right"),
        ("col.km", "right"),
        ("col.hours", "right"),
        ("col.out_back", "left"),
    ]:
        table.add_column(tr(key), justify=justify)  # type: ignore[arg-type]
    for r in plan_.routes:
        table.add_row(
            escape(r.vehicle_id),
            tr(f"kind.{r.vehicle_kind}") if tr.has(f"kind.{r.vehicle_kind}") else r.vehicle_kind,
            str(r.trips),
            str(sum(1 for s in r.stops if s.kind.value == "delivery")),
            str(r.packages_delivered),
            f"{r.distance_m / 1000:.1f}",
            f"{r.duration_s / 3600:.1f}",
            f"{hhmm(r.stops[0].departure_s)}-{hhmm(r.stops[-1].arrival_s)}",
        )
    o = out()
    o.print(table)
    o.print(
        tr(
            "sum.line",
            total=t.households,
            served=t.served,
            unserved=t.unserved,
            packages=t.packages_delivered,
            km=f"{t.distance_m / 1000:.1f}",
            hours=f"{t.duration_s / 3600:.1f}",
        ),
        highlight=False,
        markup=False,
    )
    for reason, n in t.unserved_by_reason.items():
        text = tr("sum.unserved_reason", reason=reason, n=n, text=tr(f"reason.{reason}"))
        o.print("  " + text, highlight=False, markup=False)
    for item, n in plan_.shortfall.items():
        o.print("  " + tr("sum.short_of", item=item, n=n), highlight=False, markup=False)
    if (fair := fairness_line(plan_, tr)) is not None:
        o.print(fair, highlight=False, markup=False)
    for h in plan_.hints:
        text = hint_text(h, plan_, scenario, tr)
        o.print("  " + tr("sum.hint", text=text), highlight=False, markup=False)


@app.command("plan")
def plan_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            min=0.001,
            max=86_400,
            help="Seconds of search for the whole day (default: the scenario's).",
        ),
    ] = None,
    deterministic: Annotated[
        bool | None,
        typer.Option("--deterministic/--no-deterministic", help="Same input, same plan."),
    ] = None,
    plugins_dir: PluginsDir = None,
    formats: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="Only these exporters.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="id (Bahasa Indonesia) or en.")] = "id",
    redact: Annotated[
        bool, typer.Option("--redact", help="Pseudonyms instead of names, phones, addresses.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
    hints: Annotated[
        bool,
        typer.Option(
            "--hints", help="Re-plan with more stock / one more vehicle to say what would help."
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler (tcp://HOST:PORT) to plan the parts of the day on; "
            "see docs/scale.md.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes to search on (default: all cores)."),
    ] = None,
    part_size: Annotated[
        int,
        typer.Option("--part-size", min=20, help="Households per part when a large day is split."),
    ] = 250,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Stage timings on stderr.")
    ] = 0,
) -> None:
    """Plan the day: route sheets and files in --out, a summary on screen."""
    from .._engine import plan
    from .._load import load
    from .._options import PlanOptions
    from .._report import ReportOptions, write_outputs

    show_logs(verbose)
    with errors(), cleanup_on_signals():
        check_lang(lang)
        loaded = load(scenario, plugins_dir or [])
        print_warnings(loaded.warnings)
        _refuse_early(loaded.scenario, out_dir, scenario.parent, time_limit, deterministic)
        options = PlanOptions(
            time_limit_s=time_limit,
            deterministic=deterministic,
            part_size=part_size,
            workers=workers,
            scheduler=scheduler,
            hints=hints,
            plugin_dirs=tuple(plugins_dir or ()),
            base_dir=scenario.parent,
        )
        progress = None if quiet else terminal_progress(loaded.scenario, options, lang)
        if progress is not None:
            options = options.model_copy(update={"progress": progress})
        with progress or nullcontext():
            result = plan(loaded.scenario, options)
        written = write_outputs(
            result, out_dir, formats=formats, options=ReportOptions(lang=lang, redact=redact)
        )
    if not quiet:
        summary_table(result.plan, lang, loaded.scenario)
        out().print(
            Translator(lang)("sum.wrote", n=len(written), path=out_dir),
            highlight=False,
            markup=False,
        )

"""The ``ktj-route`` command. The only module that prints or exits.

Exit codes: 0 plan written (unserved households are results, not errors), 1 internal
error or a check that failed, 2 bad input, 3 no plan found.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import InputError, Issue, KtjError, NoPlanError
from .i18n import DEFAULT_LANG, LANGS, Translator
from .load import load
from .plan import Plan

app = typer.Typer(
    name="ktj-route",
    help="Plan sembako deliveries to households in self-isolation.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold household data
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

PluginsDir = Annotated[
    list[Path] | None,
    typer.Option("--plugins-dir", help="Folder or .py file of local plugins (repeatable)."),
]


def _print_issues(exc: InputError) -> None:
    n = len(exc.issues)
    err.print(f"[bold red]Error:[/] {n} problem{'s' if n != 1 else ''} in the input:")
    for file, issues in exc.grouped().items():
        err.print(f"[bold]{file}[/]")
        for i in issues:
            err.print("  " + _issue_line(i), markup=False, highlight=False)
    _print_warnings(exc.warnings)


def _issue_line(i: Issue) -> str:
    where = f"row {i.row}: " if i.row is not None else ""
    value = f" = {i.value!r}" if i.value is not None else ""
    return f"{where}{i.field}{value}: {i.message}. Fix: {i.fix}"


def _print_warnings(warnings: list[Issue]) -> None:
    for w in warnings:
        err.print(f"[yellow]Warning:[/] {w.file}: " + _issue_line(w), highlight=False)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one message and the documented exit code."""
    try:
        yield
    except InputError as exc:
        _print_issues(exc)
        raise typer.Exit(2) from None
    except KtjError as exc:
        err.print("Error: " + str(exc), highlight=False, markup=False, style="bold red")
        raise typer.Exit(exc.exit_code) from None
    except Exception as exc:  # noqa: BLE001 - a bug: say so without a traceback of data
        if os.environ.get("KTJ_DEBUG"):
            raise
        err.print(
            f"[bold red]Internal error:[/] {type(exc).__name__}: {exc}. "
            "Please report it; set KTJ_DEBUG=1 to see the traceback.",
            highlight=False,
            markup=False,
        )
        raise typer.Exit(1) from None


def _summary_table(plan: Plan, lang: str = DEFAULT_LANG) -> None:
    from .report import hhmm

    tr = Translator(lang)
    t = plan.totals
    table = Table(title=f"{plan.scenario} — {plan.planning_date}", title_justify="left")
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
    for r in plan.routes:
        table.add_row(
            r.vehicle_id,
            tr(f"kind.{r.vehicle_kind}") if tr.has(f"kind.{r.vehicle_kind}") else r.vehicle_kind,
            str(r.trips),
            str(sum(1 for s in r.stops if s.kind.value == "delivery")),
            str(r.packages_delivered),
            f"{r.distance_m / 1000:.1f}",
            f"{r.duration_s / 3600:.1f}",
            f"{hhmm(r.stops[0].departure_s)}-{hhmm(r.stops[-1].arrival_s)}",
        )
    out.print(table)
    out.print(
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
    )
    for reason, n in t.unserved_by_reason.items():
        text = tr("sum.unserved_reason", reason=reason, n=n, text=tr(f"reason.{reason}"))
        out.print("  " + text, highlight=False, markup=False)
    for item, n in plan.shortfall.items():
        out.print("  " + tr("sum.short_of", item=item, n=n), highlight=False, markup=False)
    for h in plan.hints:
        out.print("  " + tr("sum.hint", text=h.text), highlight=False, markup=False)


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", min=0.001, max=86_400, help="Seconds of search (default: scenario)."
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
        int, typer.Option("--workers", min=1, help="Local processes for a large day.")
    ] = 2,
    part_size: Annotated[
        int,
        typer.Option("--part-size", min=20, help="Households per part when a large day is split."),
    ] = 250,
) -> None:
    """Plan the day: route sheets and files in --out, a summary on screen."""
    from .cli_progress import SolveProgress
    from .pipeline import run, search_config
    from .report import ReportOptions, exporters, write_outputs

    with _errors():
        if lang not in LANGS:
            raise InputError(
                [Issue("command line", "--lang", f"unknown language {lang!r}", "use id or en")]
            )
        loaded = load(scenario, plugins_dir or [])
        _print_warnings(loaded.warnings)
        show = err.is_terminal and not quiet
        if scheduler or len(loaded.scenario.households) > 2 * part_size:
            result = _plan_by_parts(
                loaded.scenario,
                scenario.parent,
                plugins_dir or [],
                time_limit,
                deterministic,
                scheduler,
                workers,
                part_size,
                show,
            )
        else:
            limit = search_config(loaded.scenario, time_limit, deterministic).time_limit_s
            progress = SolveProgress(err, lang, limit) if show else None
            with progress or nullcontext():
                result = run(
                    loaded.scenario,
                    base_dir=scenario.parent,
                    time_limit_s=time_limit,
                    deterministic=deterministic,
                    plugins_dirs=plugins_dir or [],
                    progress=progress,
                    hints=hints,
                )
        _refuse_empty_day(result.plan, lang)
        available = exporters(result.host)
        names = formats or [n for n, e in available.items() if e.default]
        unknown = [n for n in names if n not in available]
        if unknown:
            raise InputError(
                [
                    Issue(
                        "command line",
                        "--format",
                        f"unknown format {n!r}",
                        f"use one of: {', '.join(available)}",
                    )
                    for n in unknown
                ]
            )
        written = write_outputs(
            result.plan,
            loaded.scenario,
            out_dir,
            [available[n] for n in names],
            ReportOptions(lang=lang, redact=redact),
        )
    if not quiet:
        _summary_table(result.plan, lang)
        out.print(Translator(lang)("sum.wrote", n=len(written), path=out_dir), highlight=False)


def _refuse_empty_day(plan_: Plan, lang: str) -> None:
    """A day on which no household at all can be served is no plan: say why, exit 3."""
    t = plan_.totals
    if t.households == 0 or t.served > 0:
        return
    tr = Translator(lang)
    why = "; ".join(
        f"{n} × {reason} ({tr('reason.' + reason)})" for reason, n in t.unserved_by_reason.items()
    )
    raise NoPlanError(
        f"no household can be served today: {why}. Check vehicle shifts, time windows, "
        "stock and capacities (ktj-route validate lists input problems)"
    )


def _plan_by_parts(
    sc: Any,
    base_dir: Path,
    plugins_dirs: list[Path],
    time_limit: float | None,
    deterministic: bool | None,
    scheduler: str | None,
    workers: int,
    part_size: int,
    show: bool,
) -> Any:
    """A large day (or any day with --scheduler): decomposed, parts solved in parallel."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .scale import ScaleOptions, plan_large

    options = ScaleOptions(
        part_size=part_size,
        workers=workers,
        scheduler=scheduler,
        time_limit_s=time_limit,
        deterministic=deterministic,
    )
    if not show:
        return plan_large(sc, options=options, base_dir=base_dir, plugins_dirs=plugins_dirs)
    with Progress(
        TextColumn("parts"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[served]} households served"),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("parts", total=None, served=0)

        def tick(done: int, total: int, served: int) -> None:
            bar.update(task, completed=done, total=total, served=served)

        return plan_large(
            sc, options=options, base_dir=base_dir, plugins_dirs=plugins_dirs, progress=tick
        )


@app.command()
def verify(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan_file: Annotated[Path, typer.Argument(help="plan.json to check.")],
    plugins_dir: PluginsDir = None,
) -> None:
    """Check any plan (a hand-edited one too) against the scenario's rules."""
    from .pipeline import host_for
    from .shape import shape
    from .travel import travel_for
    from .verify import verify_plan

    with _errors():
        loaded = load(scenario, plugins_dir or [])
        try:
            plan_ = Plan.model_validate_json(plan_file.read_bytes())
        except OSError as exc:
            raise InputError(
                [Issue(str(plan_file), "(file)", f"cannot read ({exc.strerror})", "check the path")]
            ) from None
        except ValidationError as exc:
            raise InputError(
                [
                    Issue(
                        str(plan_file),
                        ".".join(str(p) for p in e["loc"]),
                        str(e["msg"]),
                        "the file must be a plan.json written by ktj-route (see ktj-route schema)",
                    )
                    for e in exc.errors(include_url=False)
                ]
            ) from None
        sc = loaded.scenario
        host = host_for(sc, scenario.parent, plugins_dir or [])
        shaped = shape(sc, host)
        travel = travel_for(sc.settings.coordinates, sc.settings.detour_factor)
        violations = verify_plan(sc, plan_, shaped, travel)
    if violations:
        err.print(f"[bold red]{len(violations)} violation(s):[/]")
        for v in violations:
            err.print(f"  {v}", highlight=False, markup=False)
        raise typer.Exit(1)
    out.print(
        f"[green]OK[/]: {plan_.totals.households} households accounted for, "
        f"{len(plan_.routes)} routes within every rule."
    )


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plugins_dir: PluginsDir = None,
) -> None:
    """Run every input check without solving (fast; use before a long solve)."""
    with _errors():
        loaded = load(scenario, plugins_dir or [])
        _print_warnings(loaded.warnings)
    sc = loaded.scenario
    out.print(
        f"[green]OK[/]: {len(sc.households)} households, {len(sc.vehicles)} vehicles, "
        f"{len(sc.sources)} sources, {len(sc.bases)} bases."
    )


@app.command()
def schema(
    what: Annotated[str, typer.Argument(help="plan (output) or scenario (input).")] = "plan",
) -> None:
    """Print the JSON Schema of plan.json (or of a scenario)."""
    from .model import Scenario

    models: dict[str, Any] = {"plan": Plan, "scenario": Scenario}
    if what not in models:
        err.print(f"Error: unknown schema {what!r}; use plan or scenario")
        raise typer.Exit(2)
    sys.stdout.write(json.dumps(models[what].model_json_schema(), indent=2) + "\n")


@app.command()
def plugins(
    scenario: Annotated[
        Path | None, typer.Argument(help="Show what this scenario enables.")
    ] = None,
    plugins_dir: PluginsDir = None,
) -> None:
    """List plugins: name, version, source, hooks, and whether they are enabled."""
    from .plugins import build_host

    with _errors():
        settings: dict[str, Any] = {}
        files = list(plugins_dir or [])
        if scenario is not None:
            sc = load(scenario, files).scenario
            settings = dict(sc.plugins)
            files += [scenario.parent / p for p in sc.plugin_paths]
        host = build_host(settings, files, list_all=True)
    # One hook per line and unbroken names keep the table readable; on a narrow terminal
    # the one-line descriptions follow the table instead of a squeezed column.
    wide = out.width >= 120
    table = Table()
    for col in ("name", "version", "source", "enabled", "hooks"):
        table.add_column(col, no_wrap=col != "source", overflow="fold")
    if wide:
        table.add_column("about", ratio=1)
    for info in host.infos:
        row = [
            info.name,
            info.version,
            info.source,
            "yes" if info.enabled else "no",
            "\n".join(info.hooks),
        ]
        table.add_row(*row, *([info.description] if wide else []))
    out.print(table)
    if not wide:
        for info in host.infos:
            if info.description:
                out.print(f"{info.name}: {info.description}", highlight=False)


@app.command()
def explain(
    plan_file: Annotated[Path, typer.Argument(help="plan.json written by ktj-route plan.")],
    household_id: Annotated[str, typer.Argument(help="The household's id.")],
) -> None:
    """Say in plain words why a household was served when it was, or why not."""
    import difflib

    from .explain import explain as explain_household

    with _errors():
        try:
            plan_ = Plan.model_validate_json(plan_file.read_bytes())
        except OSError as exc:
            raise InputError(
                [Issue(str(plan_file), "(file)", f"cannot read ({exc.strerror})", "check the path")]
            ) from None
        except ValidationError:
            raise InputError(
                [
                    Issue(
                        str(plan_file),
                        "(file)",
                        "not a plan.json written by ktj-route",
                        "give the plan.json from the --out folder of ktj-route plan",
                    )
                ]
            ) from None
        try:
            text = explain_household(plan_, household_id).text()
        except KeyError:
            ids = [o.household_id for o in plan_.households]
            close = difflib.get_close_matches(household_id, ids, n=3)
            raise InputError(
                [
                    Issue(
                        str(plan_file),
                        "household_id",
                        "no household of this id in the plan",
                        f"did you mean {', '.join(close)}?" if close else "check the id",
                        value=household_id,
                    )
                ]
            ) from None
    out.print(text, highlight=False, markup=False, soft_wrap=True)


@app.command()
def check(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario files, or folders to search for them.")
    ],
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write the results as JUnit XML here.")
    ] = None,
    skip_slow: Annotated[
        bool, typer.Option("--skip-slow", help="Skip scenarios tagged 'slow' in expect.tags.")
    ] = False,
    skip_tag: Annotated[
        list[str] | None, typer.Option("--skip-tag", help="Skip scenarios with this tag.")
    ] = None,
    plugins_dir: PluginsDir = None,
) -> None:
    """Plan every scenario found and judge it against its expect: block (exit 1 on failure)."""
    from .scenario_check import check_file, find_scenarios, write_junit

    skip = set(skip_tag or []) | ({"slow"} if skip_slow else set())
    with _errors():
        files = find_scenarios(paths)
        if not files:
            raise InputError(
                [
                    Issue(
                        " ".join(str(p) for p in paths),
                        "(path)",
                        "no scenario files found",
                        "name a scenario YAML, or a folder holding scenario.yaml files",
                    )
                ]
            )
        outcomes = []
        for f in files:
            if sys.stderr.isatty():
                err.print(f"  checking {f} ...", highlight=False)
            outcomes.append(check_file(f, skip_tags=skip, plugins_dirs=plugins_dir or []))
        if junit is not None:
            write_junit(outcomes, junit)
    style = {"passed": "green", "failed": "bold red", "error": "bold red", "skipped": "yellow"}
    table = Table(title="ktj-route check", title_justify="left")
    for col, justify in [
        ("scenario", "left"),
        ("result", "left"),
        ("expectations", "right"),
        ("served", "right"),
        ("seconds", "right"),
    ]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for o in outcomes:
        stated = [f for f in o.findings if f.expectation != "plans"]
        met = sum(1 for f in stated if f.passed)
        served = f"{o.served} of {o.households}" if o.served is not None else "-"
        table.add_row(
            str(o.path),
            f"[{style[o.status]}]{o.status}[/]",
            f"{met}/{len(stated)}" if o.status in ("passed", "failed") else "-",
            served,
            f"{o.seconds:.1f}" if o.status != "skipped" else "-",
        )
    out.print(table)
    bad = [o for o in outcomes if not o.ok]
    for o in bad:
        out.print(f"[bold red]✗ {o.path}[/] ({o.name})", highlight=False)
        for line in o.explanation():
            out.print(f"    {line}", highlight=False, markup=False)
    for o in outcomes:
        if o.status == "skipped":
            out.print(f"[yellow]skipped[/] {o.path}: {o.problem}", highlight=False)
    n_pass = sum(1 for o in outcomes if o.status == "passed")
    out.print(
        f"{n_pass} passed, {len(bad)} failed, "
        f"{sum(1 for o in outcomes if o.status == 'skipped')} skipped"
        + (f"; JUnit XML written to {junit}" if junit is not None else "")
    )
    if bad:
        raise typer.Exit(1)


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"ktj-route {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = None,
) -> None:
    """ktj-route: sembako delivery planning for Kampung Tangguh Jaya."""

"""The ``ktj-route`` command. The only module that prints or exits.

Exit codes: 0 plan written (unserved households are results, not errors), 1 internal
error or a check that failed, 2 bad input, 3 no plan found.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import InputError, Issue, KtjError
from .load import load
from .plan import REASON_TEXT, Plan, UnservedReason

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


def _summary_table(plan: Plan) -> None:
    t = plan.totals
    table = Table(title=f"{plan.scenario} — {plan.planning_date}", title_justify="left")
    for col, justify in [
        ("vehicle", "left"),
        ("kind", "left"),
        ("trips", "right"),
        ("stops", "right"),
        ("packages", "right"),
        ("km", "right"),
        ("hours", "right"),
        ("out-back", "left"),
    ]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    from .report import hhmm

    for r in plan.routes:
        table.add_row(
            r.vehicle_id,
            r.vehicle_kind,
            str(r.trips),
            str(sum(1 for s in r.stops if s.kind.value == "delivery")),
            str(r.packages_delivered),
            f"{r.distance_m / 1000:.1f}",
            f"{r.duration_s / 3600:.1f}",
            f"{hhmm(r.stops[0].departure_s)}-{hhmm(r.stops[-1].arrival_s)}",
        )
    out.print(table)
    out.print(
        f"Households {t.households}: [green]served {t.served}[/], "
        f"unserved {t.unserved}; packages {t.packages_delivered}; "
        f"{t.distance_m / 1000:.1f} km, {t.duration_s / 3600:.1f} vehicle-hours"
    )
    for reason, n in t.unserved_by_reason.items():
        out.print(f"  unserved [yellow]{reason}[/]: {n} — {REASON_TEXT[UnservedReason(reason)]}")


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Seconds of search (default: scenario).")
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
    from .pipeline import run
    from .report import ReportOptions, exporters, write_outputs

    with _errors():
        loaded = load(scenario, plugins_dir or [])
        _print_warnings(loaded.warnings)
        show = sys.stderr.isatty() and not quiet
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
            result = run(
                loaded.scenario,
                base_dir=scenario.parent,
                time_limit_s=time_limit,
                deterministic=deterministic,
                plugins_dirs=plugins_dir or [],
                progress=_progress_printer() if show else None,
            )
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
        _summary_table(result.plan)
        out.print(f"Wrote {len(written)} file(s) to {out_dir}")


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


def _progress_printer() -> Callable[[int, int, float], None]:
    def show(objective: int, served: int, elapsed: float) -> None:
        err.print(
            f"\r  {elapsed:6.1f} s  best plan: {served} stops served, cost {objective}",
            end="",
            highlight=False,
        )

    return show


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
    table = Table()
    for col in ("name", "version", "source", "enabled", "hooks", "about"):
        table.add_column(col)
    for info in host.infos:
        table.add_row(
            info.name,
            info.version,
            info.source,
            "yes" if info.enabled else "no",
            ", ".join(info.hooks),
            info.description,
        )
    out.print(table)


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

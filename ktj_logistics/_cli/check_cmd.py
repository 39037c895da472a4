"""``ktj-route check``: plan every scenario found and judge it against its ``expect:``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .._errors import InputError, Issue
from .common import PluginsDir, app, err, errors, out

if TYPE_CHECKING:
    from .._expect.run import ScenarioOutcome

_STYLE = {"passed": "green", "failed": "bold red", "error": "bold red", "skipped": "yellow"}


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
    from .._expect.run import check_file, find_scenarios, write_junit

    skip = set(skip_tag or []) | ({"slow"} if skip_slow else set())
    with errors():
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
                err().print(f"  checking {f} ...", highlight=False, markup=False)
            outcomes.append(check_file(f, skip_tags=skip, plugins_dirs=plugins_dir or []))
        if junit is not None:
            write_junit(outcomes, junit)
    _report(outcomes, junit)


def _report(outcomes: list[ScenarioOutcome], junit: Path | None) -> None:
    o = out()
    table = Table(title="ktj-route check", title_justify="left")
    for col, justify in [
        ("scenario", "left"),
        ("result", "left"),
        ("expectations", "right"),
        ("served", "right"),
        ("planned", "left"),
        ("seconds", "right"),
    ]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for x in outcomes:
        stated = [f for f in x.findings if f.expectation != "plans"]
        met = sum(1 for f in stated if f.passed)
        table.add_row(
            escape(str(x.path)),
            f"[{_STYLE[x.status]}]{x.status}[/]",
            f"{met}/{len(stated)}" if x.status in ("passed", "failed") else "-",
            f"{x.served} of {x.households}" if x.served is not None else "-",
            {"whole": "one model", "parts": "by parts"}.get(x.method or "", "-"),
            f"{x.seconds:.1f}" if x.status != "skipped" else "-",
        )
    o.print(table)
    bad = [x for x in outcomes if not x.ok]
    for x in bad:
        o.print(f"[bold red]✗[/] {escape(str(x.path))} ({escape(x.name)})", highlight=False)
        for line in x.explanation():
            o.print(f"    {line}", highlight=False, markup=False)
    for x in outcomes:
        if x.status == "skipped":
            o.print(f"[yellow]skipped[/] {escape(f'{x.path}: {x.problem}')}", highlight=False)
    n_pass = sum(1 for x in outcomes if x.status == "passed")
    o.print(
        f"{n_pass} passed, {len(bad)} failed, "
        f"{sum(1 for x in outcomes if x.status == 'skipped')} skipped"
        + (f"; JUnit XML written to {junit}" if junit is not None else ""),
        markup=False,
    )
    if bad:
        raise typer.Exit(1)

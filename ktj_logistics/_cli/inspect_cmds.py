"""Commands that read without planning: verify, validate, schema, plugins, explain.

Each imports what it needs when it runs (see ``plan_cmd``).
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from .._errors import InputError, Issue
from .common import PluginsDir, app, err, errors, out, print_warnings, read_plan


@app.command()
def verify(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan_file: Annotated[Path, typer.Argument(help="plan.json to check, or a whole --out folder.")],
    plugins_dir: PluginsDir = None,
) -> None:
    """Check any plan (a hand-edited one too) against the scenario's rules; given an
    output folder, also check that every file in it belongs to that plan."""
    from .._engine import verify as verify_plan
    from .._load import load
    from .._plugins.host import build_host
    from .._report.audit import audit

    found: list[str] = []
    with errors():
        loaded = load(scenario, plugins_dir or [])
        if plan_file.is_dir():
            files = [scenario.parent / p for p in loaded.scenario.plugin_paths]
            host = build_host(loaded.scenario.plugins, files + list(plugins_dir or []))
            plan_, broken = audit(loaded.scenario, plan_file, host)
            found += [str(v) for v in broken]
        else:
            plan_ = read_plan(plan_file)
        if plan_ is not None:
            violations = verify_plan(
                loaded.scenario, plan_, plugin_dirs=plugins_dir or [], base_dir=scenario.parent
            )
            found += [str(v) for v in violations]
    if found or plan_ is None:
        e = err()
        e.print(f"[bold red]{len(found)} violation(s):[/]")
        for v in found:
            e.print(f"  {v}", highlight=False, markup=False)
        raise typer.Exit(1)
    out().print(
        f"[green]OK[/]: {plan_.totals.households} households accounted for, "
        f"{len(plan_.routes)} routes within every rule.",
        highlight=False,
    )


@app.command()
def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plugins_dir: PluginsDir = None,
) -> None:
    """Run every input check without solving (fast; use before a long solve)."""
    from .._load import load

    with errors():
        loaded = load(scenario, plugins_dir or [])
        print_warnings(loaded.warnings)
    sc = loaded.scenario
    out().print(
        f"[green]OK[/]: {len(sc.households)} households, {len(sc.vehicles)} vehicles, "
        f"{len(sc.sources)} sources, {len(sc.bases)} bases."
    )


@app.command()
def schema(
    what: Annotated[str, typer.Argument(help="plan (output) or scenario (input).")] = "plan",
) -> None:
    """Print the JSON Schema of plan.json (or of a scenario)."""
    from .._plan import Plan
    from .._scenario import Scenario

    models: dict[str, Any] = {"plan": Plan, "scenario": Scenario}
    if what not in models:
        err().print(f"Error: unknown schema {what!r}; use plan or scenario", markup=False)
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
    from .._load import load
    from .._plugins.host import build_host

    with errors():
        settings: dict[str, Any] = {}
        files = list(plugins_dir or [])
        if scenario is not None:
            sc = load(scenario, files).scenario
            settings = dict(sc.plugins)
            files += [scenario.parent / p for p in sc.plugin_paths]
        host = build_host(settings, files, list_all=True)
    # One hook per line and unbroken names keep the table readable; on a narrow terminal
    # the one-line descriptions follow the table instead of a squeezed column.
    o = out()
    wide = o.width >= 120
    table = Table()
    for col in ("name", "version", "source", "enabled", "hooks"):
        table.add_column(col, no_wrap=col != "source", overflow="fold")
    if wide:
        table.add_column("about", ratio=1)
    for info in host.infos:
        row = [
            escape(info.name),
            escape(info.version),
            escape(info.source),
            "yes" if info.enabled else "no",
            "\n".join(info.hooks),
        ]
        table.add_row(*row, *([escape(info.description)] if wide else []))
    o.print(table)
    if not wide:
        for info in host.infos:
            if info.description:
                o.print(f"{info.name}: {info.description}", highlight=False, markup=False)


@app.command()
def explain(
    plan_file: Annotated[Path, typer.Argument(help="plan.json written by ktj-route plan.")],
    household_id: Annotated[str, typer.Argument(help="The household's id.")],
) -> None:
    """Say in plain words why a household was served when it was, or why not."""
    from .._explain import explain as explain_household

    with errors():
        plan_ = read_plan(plan_file)
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
    out().print(text, highlight=False, markup=False, soft_wrap=True)

"""What every command shares: the Typer app, its consoles, and errors → exit codes.

The CLI is the only layer that prints or exits. Exit codes: 0 plan written (unserved
households are results, not errors), 1 internal error or a check that failed, 2 bad
input, 3 no plan found.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from .._errors import InputError, Issue, KtjError

if TYPE_CHECKING:
    from .._plan import Plan

app = typer.Typer(
    name="ktj-route",
    help="Plan sembako deliveries to households in self-isolation.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold household data
    add_completion=False,
)

PluginsDir = Annotated[
    list[Path] | None,
    typer.Option("--plugins-dir", help="Folder or .py file of local plugins (repeatable)."),
]


def out() -> Console:
    """Standard output (made per call, so the environment of the call decides colours)."""
    return Console()


def err() -> Console:
    """Standard error: messages, warnings, progress."""
    return Console(stderr=True)


def issue_line(i: Issue) -> str:
    where = f"row {i.row}: " if i.row is not None else ""
    value = f" = {i.value!r}" if i.value is not None else ""
    return f"{where}{i.field}{value}: {i.message}. Fix: {i.fix}"


def print_issues(exc: InputError) -> None:
    e = err()
    n = len(exc.issues)
    e.print(f"[bold red]Error:[/] {n} problem{'s' if n != 1 else ''} in the input:")
    for file, issues in exc.grouped().items():
        e.print(f"[bold]{escape(file)}[/]")
        for i in issues:
            e.print("  " + issue_line(i), markup=False, highlight=False)
    print_warnings(exc.warnings)


def print_warnings(warnings: list[Issue]) -> None:
    e = err()
    for w in warnings:
        e.print("[yellow]Warning:[/] " + escape(f"{w.file}: " + issue_line(w)), highlight=False)


@contextmanager
def errors() -> Iterator[None]:
    """Turn library errors into one message and the documented exit code."""
    try:
        yield
    except InputError as exc:
        print_issues(exc)
        raise typer.Exit(2) from None
    except KtjError as exc:
        err().print("Error: " + str(exc), highlight=False, markup=False, style="bold red")
        raise typer.Exit(exc.exit_code) from None
    except Exception as exc:  # noqa: BLE001 - a bug: say so without a traceback of data
        if os.environ.get("KTJ_DEBUG"):
            raise
        err().print(
            f"Internal error: {type(exc).__name__}: {exc}. "
            "Please report it; set KTJ_DEBUG=1 to see the traceback.",
            highlight=False,
            markup=False,
            style="bold red",
        )
        raise typer.Exit(1) from None


@contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """SIGTERM (``kill``) and SIGHUP end the command like Ctrl-C does: by an exception,
    so the run's partial output folder is removed on the way out (exit 130)."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    handled = (signal.SIGTERM, signal.SIGHUP)
    before = [signal.getsignal(s) for s in handled]
    try:
        for s in handled:
            signal.signal(s, stop)
    except ValueError:  # not the main thread (an embedding app): leave signals alone
        yield
        return
    try:
        yield
    except KeyboardInterrupt:
        err().print(
            "Interrupted; --out still shows the last complete plan.", highlight=False, markup=False
        )
        raise typer.Exit(130) from None
    finally:
        for s, old in zip(handled, before, strict=True):
            signal.signal(s, old)


def read_plan(path: Path) -> Plan:
    """A ``plan.json``, or an ``InputError`` naming what is wrong with it."""
    from .._plan import Plan

    try:
        return Plan.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise InputError(
            [Issue(str(path), "(file)", f"cannot read ({exc.strerror})", "check the path")]
        ) from None
    except ValidationError as exc:
        raise InputError(
            [
                Issue(
                    str(path),
                    ".".join(str(p) for p in e["loc"]) or "(file)",
                    str(e["msg"]),
                    "give a plan.json written by ktj-route plan (see ktj-route schema)",
                )
                for e in exc.errors(include_url=False)[:20]
            ]
        ) from None


def show_logs(verbose: int) -> None:
    """``-v``: stage timings and counts on stderr; ``-vv``: debug detail too."""
    if verbose <= 0:
        return
    log = logging.getLogger("ktj_logistics")
    log.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    if not any(isinstance(h, RichHandler) for h in log.handlers):
        log.addHandler(RichHandler(console=err(), show_path=False, markup=False))

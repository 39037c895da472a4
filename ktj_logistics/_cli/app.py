"""The ``ktj-route`` command: every command module registers itself on one Typer app."""

from __future__ import annotations

from typing import Annotated

import typer

from .._version import __version__
from . import campaign_cmd, check_cmd, inspect_cmds, plan_cmd, replan_cmd, serve_cmd
from .common import app, out

__all__ = [
    "app",
    "campaign_cmd",
    "check_cmd",
    "inspect_cmds",
    "plan_cmd",
    "replan_cmd",
    "serve_cmd",
]


def _version_callback(value: bool) -> None:
    if value:
        out().print(f"ktj-route {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = None,
) -> None:
    """ktj-route: sembako delivery planning for Kampung Tangguh Jaya."""

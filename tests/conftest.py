"""Shared helpers: run the ``ktj-route`` command in-process and read what it said."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ktj_logistics import cli

TESTS = Path(__file__).parent
TINY = TESTS / "data" / "tiny" / "scenario.yaml"


@dataclass(frozen=True)
class Ran:
    exit_code: int
    text: str  # stdout and stderr, whitespace collapsed so wrapped lines compare as one
    exception: BaseException | None


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def ktj_route() -> Iterator[object]:
    """Call ``ktj_route("plan", path, ...)``; the consoles are made wide so lines do not wrap."""
    runner = CliRunner()
    widths = (cli.out.width, cli.err.width)
    cli.out.width = cli.err.width = 1000

    def run(*args: str | Path) -> Ran:
        result = runner.invoke(cli.app, [str(a) for a in args], catch_exceptions=True)
        exc = result.exception if not isinstance(result.exception, SystemExit) else None
        return Ran(result.exit_code, flat(result.output), exc)

    yield run
    cli.out.width, cli.err.width = widths

"""The progress line: the cheapest plan so far, silent at first, only on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from ktj_logistics import Progress
from ktj_logistics._cli.app import app
from ktj_logistics._cli.progress import PlanProgress

TINY = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"


def _terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=120)


def _found(objective: int, served: int) -> Progress:
    return Progress("search", 0.5, 10, served=served, households=9, objective=objective)


def test_progress_shows_the_cheapest_plan_reported_not_the_latest() -> None:
    p = PlanProgress(_terminal(), "en", time_limit_s=10)
    p(_found(100, 3))
    p(_found(90, 4))
    p(_found(120, 1))  # a worse neighbour from local search
    assert "4 households served, cost 90" in p.line()


def test_a_large_day_shows_parts_done_and_households_served() -> None:
    p = PlanProgress(_terminal(), "en", time_limit_s=10)
    p(Progress("parts", 3.0, 10, served=120, households=600, parts_done=3, parts_total=10))
    assert "parts 3/10: 120 households served" in p.line()


def test_progress_is_invisible_during_the_first_seconds_then_shows_elapsed_time() -> None:
    quiet = _terminal()
    quiet.print(PlanProgress(quiet, "id", 10, delay_s=3600))
    assert quiet.file.getvalue().strip() == ""  # type: ignore[attr-defined]
    shown = _terminal()
    p = PlanProgress(shown, "id", 10, delay_s=0)
    p(_found(55, 2))
    shown.print(p)
    text = shown.file.getvalue()  # type: ignore[attr-defined]
    assert "Mencari rencana" in text and " s — rencana terbaik: 2 rumah tangga" in text


@pytest.mark.parametrize("terminal", [True, False])
def test_the_cli_draws_progress_only_when_stderr_is_a_terminal(
    terminal: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search of 3 s outlives the 2 s of silence: on a terminal the line appears."""
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")  # rich then treats stderr as a terminal
    else:
        monkeypatch.delenv("FORCE_COLOR", raising=False)
    ran = CliRunner().invoke(
        app,
        ["plan", str(TINY), "--out", str(tmp_path), "--time-limit", "3", "--no-deterministic"],
    )
    assert ran.exit_code == 0, ran.output
    assert ("Mencari rencana" in ran.output) is terminal

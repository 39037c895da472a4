"""The progress line: the cheapest plan so far, silent at first, only on a terminal."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import ktj_logistics._cli.app as cli
import ktj_logistics._engine as pipeline
from ktj_logistics._cli.progress import SolveProgress

TINY = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"


def _terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=120)


def test_progress_shows_the_cheapest_plan_reported_not_the_latest() -> None:
    p = SolveProgress(_terminal(), "en", time_limit_s=10)
    p(100, 3, 0.5)
    p(90, 4, 1.0)
    p(120, 1, 1.5)  # a worse neighbour from local search
    assert "4 stops served, cost 90" in p.line()


def test_progress_is_invisible_during_the_first_seconds_then_shows_elapsed_time() -> None:
    quiet = _terminal()
    quiet.print(SolveProgress(quiet, "id", 10, delay_s=3600))
    assert quiet.file.getvalue().strip() == ""  # type: ignore[attr-defined]
    shown = _terminal()
    p = SolveProgress(shown, "id", 10, delay_s=0)
    p(55, 2, 0.1)
    shown.print(p)
    text = shown.file.getvalue()  # type: ignore[attr-defined]
    assert "Mencari rencana" in text and " s — rencana terbaik: 2 titik" in text


@pytest.mark.parametrize("terminal", [True, False])
def test_cli_passes_a_progress_display_only_when_stderr_is_a_terminal(
    terminal: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    real_run = pipeline.run

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("progress"))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", spy)
    monkeypatch.setattr(cli, "err", _terminal() if terminal else Console(file=io.StringIO()))
    result = CliRunner().invoke(cli.app, ["plan", str(TINY), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert isinstance(seen[0], SolveProgress) is terminal

"""The pytest plugin: `pytest scenarios/` runs scenario files as tests, readably."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .conftest import short_search

REPO = Path(__file__).resolve().parent.parent


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_pytest_runs_scenario_files_and_explains_a_failure_in_words(
    copy_scenario: Callable[[str], Path], tmp_path: Path
) -> None:
    short_search(copy_scenario("flooded-area"))
    broken = copy_scenario("stock-shortage")
    broken.write_text(broken.read_text().replace("stock: {standard: 24}", "stock: {standard: 8}"))
    short_search(broken)
    copy_scenario("tiny")  # no expect: block, but its folder is named: plans and verifies
    result = _pytest(str(tmp_path), "-q", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 2 passed" in result.stdout
    assert "scenario 'stock-shortage'" in result.stdout
    assert "served_if_priority_at_least:" in result.stdout
    assert "Traceback" not in result.stdout


def test_the_default_test_run_does_not_collect_fixture_scenarios() -> None:
    """The suite's own run over its testpaths: every YAML file under tests/ goes through
    the plugin's collection; of the Python modules only this one is imported, since
    importing the other 60-odd (6 s of a busy core) decides nothing about YAML files."""
    result = _pytest("--collect-only", "-q", "-o", "python_files=test_pytest_plugin.py", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ".yaml" not in result.stdout
    assert "test_pytest_plugin.py" in result.stdout


def test_slow_scenarios_can_be_deselected_with_a_marker(
    copy_scenario: Callable[[str], Path], tmp_path: Path
) -> None:
    path = copy_scenario("tiny")
    path.write_text(path.read_text() + "expect:\n  tags: [slow]\n")
    result = _pytest(str(tmp_path), "-q", "-m", "not slow", cwd=tmp_path)
    assert "1 deselected" in result.stdout, result.stdout

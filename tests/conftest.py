"""Shared fixtures: paths to the repository's scenario library and test data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
TINY = REPO / "tests" / "data" / "tiny"


@pytest.fixture
def copy_scenario(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a library scenario folder (or tests/data/tiny) into tmp_path; returns its YAML."""

    def _copy(name: str) -> Path:
        src = TINY if name == "tiny" else SCENARIOS / name
        dst = tmp_path / name
        shutil.copytree(src, dst)
        return dst / "scenario.yaml"

    return _copy

"""Shared fixtures: the synthetic report day, planned once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ktj_logistics.model import Scenario
from ktj_logistics.plan import Plan
from ktj_logistics.plugins import build_host
from ktj_logistics.report import ReportOptions, exporters, write_outputs

from .report_day import plan_for, scenario


@pytest.fixture(scope="session")
def report_day() -> tuple[Scenario, Plan]:
    sc = scenario()
    return sc, plan_for(sc)


@pytest.fixture(scope="session")
def artefacts(
    report_day: tuple[Scenario, Plan], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, bool], Path]:
    """``artefacts(lang, redact)``: the folder with every default artefact of the day."""
    made: dict[tuple[str, bool], Path] = {}
    sc, plan = report_day

    def make(lang: str = "id", redact: bool = False) -> Path:
        if (lang, redact) not in made:
            out = tmp_path_factory.mktemp(f"out-{lang}-{'redacted' if redact else 'full'}")
            chosen = [e for e in exporters(build_host({}, [])).values() if e.default]
            write_outputs(plan, sc, out, chosen, ReportOptions(lang=lang, redact=redact))
            made[(lang, redact)] = out
        return made[(lang, redact)]

    return make

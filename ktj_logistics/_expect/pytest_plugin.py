"""pytest plugin: scenario files are test items, so ``pytest scenarios/`` runs them.

Registered through the ``pytest11`` entry point. Which YAML files become tests:

* a scenario file (see ``scenario_check.is_scenario_file``) with an ``expect:`` block,
  wherever pytest looks;
* a scenario file without one (it passes when it plans and verifies) only when its
  folder or the file itself is named on the command line outside the ``testpaths``, so
  fixture scenarios under ``tests/`` (some deliberately broken) never become tests.

Each scenario is judged exactly as ``ktj-route check`` judges it; a failure is reported
as the failing expectations in words. Tags in ``expect.tags`` become markers, so
``pytest scenarios/ -m "not slow"`` leaves out the slow ones.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .run import (
    SCENARIO_SUFFIXES,
    ScenarioOutcome,
    check_file,
    has_expectations,
    is_scenario_file,
)

_MARKER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a ktj-route scenario tagged slow (large day)")


def _named_on_command_line(config: pytest.Config, path: Path) -> bool:
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        return False
    testpaths = {(config.rootpath / t).resolve() for t in config.getini("testpaths")}
    here = config.invocation_params.dir
    for arg in config.args:
        named = (here / arg.split("::")[0]).resolve()
        if named in testpaths:
            continue
        if named == path or named in path.parents:
            return True
    return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in SCENARIO_SUFFIXES or not is_scenario_file(file_path):
        return None
    if not has_expectations(file_path) and not _named_on_command_line(
        parent.config, file_path.resolve()
    ):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


def _tags(path: Path) -> list[str]:
    """``expect.tags`` read from the YAML alone: collection must not plan or load CSVs.

    A file that does not parse gets no tags here; running it reports the problem.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig", errors="replace"))
    except yaml.YAMLError:
        return []
    expect = data.get("expect") if isinstance(data, dict) else None
    tags = expect.get("tags") if isinstance(expect, dict) else None
    return [str(t) for t in tags] if isinstance(tags, list) else []


class ScenarioFile(pytest.File):
    def collect(self) -> list[pytest.Item]:
        item = ScenarioItem.from_parent(self, name=self.path.parent.name or self.path.stem)
        for tag in _tags(self.path):
            if _MARKER_NAME.match(tag):
                item.add_marker(tag)
        return [item]


class ScenarioFailed(Exception):
    """A scenario did not plan, or broke one of its expectations."""

    def __init__(self, outcome: ScenarioOutcome) -> None:
        self.outcome = outcome
        super().__init__(f"{outcome.path}: {outcome.status}")


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        outcome = check_file(self.path)
        if not outcome.ok:
            raise ScenarioFailed(outcome)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            o = excinfo.value.outcome
            if o.status == "error":
                head = f"scenario {o.name!r} ({o.path}) could not be checked:"
            else:
                n = len(o.failures)
                head = (
                    f"scenario {o.name!r} ({o.path}) broke {n} expectation{'s' if n != 1 else ''}:"
                )
            return "\n".join([head, *(f"  - {line}" for line in o.explanation())])
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"ktj-route scenario: {self.name}"

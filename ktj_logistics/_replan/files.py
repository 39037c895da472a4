"""Reading a re-plan's inputs: a changes file, an issued plan, a re-plan scenario file.

YAML goes through the scenario loader's reader (same size limits, no tags, line numbers
in messages); every problem is an ``InputError`` naming the file and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path

from pydantic import ValidationError

from .._engine import plan
from .._errors import InputError, Issue
from .._expect.model import Expectations
from .._load import Loaded, load
from .._load.loader import _read_yaml
from .._options import PlanOptions
from .._plan import Plan
from .changes import Changes, ReplanScenario


def _invalid(path: Path, exc: ValidationError) -> InputError:
    return InputError(
        [
            Issue(
                path.name,
                ".".join(str(p) for p in e["loc"]) or "(file)",
                e["msg"],
                "see docs/replan.md for the fields",
            )
            for e in exc.errors()
        ]
    )


def read_changes(path: Path) -> Changes:
    data = _read_yaml(path)
    try:
        return Changes.model_validate(data.get("changes", data))
    except ValidationError as exc:
        raise _invalid(path, exc) from None


def read_plan(path: Path) -> Plan:
    """An issued ``plan.json`` (or an output folder holding one)."""
    p = path / "plan.json" if path.is_dir() else path
    try:
        return Plan.model_validate_json(p.read_bytes())
    except OSError as exc:
        raise InputError(
            [Issue(str(p), "(file)", f"cannot read the plan ({exc.strerror})", "check the path")]
        ) from None
    except ValidationError as exc:
        raise _invalid(p, exc) from None


@dataclass(frozen=True)
class ReplanCase:
    """A re-plan scenario file, loaded: the day, its issued plan, T, the changes."""

    path: Path
    loaded: Loaded
    issued: Plan
    at: time
    changes: Changes
    expect: Expectations | None
    description: str


def is_replan_file(path: Path) -> bool:
    """A YAML file with a top-level ``replan:`` key (read as text, without loading)."""
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False
    return any(line.startswith("replan:") for line in head.splitlines())


def read_case(path: Path, plugins_dirs: tuple[Path, ...] = ()) -> ReplanCase:
    """Load a re-plan scenario file; without ``plan:``, the day is planned first (as the
    scenario says: deterministic scenarios give the same issued sheets every time)."""
    try:
        spec = ReplanScenario.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    r = spec.replan
    loaded = load(path.parent / r.scenario, plugins_dirs)
    if r.plan is not None:
        issued = read_plan(path.parent / r.plan)
    else:
        options = PlanOptions(base_dir=loaded.path.parent, plugin_dirs=plugins_dirs)
        issued = plan(loaded.scenario, options).plan
    return ReplanCase(path, loaded, issued, r.at, r.changes, spec.expect, r.description)

"""How one scenario fared in ``ktj-route check`` (shared by day and re-plan cases)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .._errors import InputError, Issue
from .finding import Finding

Status = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class ScenarioOutcome:
    """How one scenario fared."""

    path: Path
    name: str
    status: Status
    findings: tuple[Finding, ...] = ()
    problem: str = ""  # why it errored or was skipped
    seconds: float = 0.0
    tags: tuple[str, ...] = field(default_factory=tuple)
    served: int | None = None  # households served, when a plan was made
    households: int | None = None
    method: str | None = None  # "whole" (one model) or "parts" (a large day), when planned

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed]

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "skipped")

    def explanation(self) -> list[str]:
        """The failing expectations (or the error) as sentences."""
        if self.status == "error":
            return [self.problem]
        return [f"{f.expectation}: {f.message}" for f in self.failures]


def input_problem(exc: InputError) -> str:
    """The load errors, one line per kind of problem (a bad column repeats on every row)."""
    groups: dict[tuple[str, str, str, str], list[Issue]] = {}
    for i in exc.issues:
        groups.setdefault((i.file, i.field, i.message, i.fix), []).append(i)
    parts = []
    for (file, fld, message, fix), issues in groups.items():
        rows = [str(i.row) for i in issues if i.row is not None]
        values = sorted({i.value for i in issues if i.value is not None})
        where = f"{file}" + (f", row{'s' if len(rows) > 1 else ''} {_few(rows)}" if rows else "")
        shown = f" (value{'s' if len(values) > 1 else ''}: {_few(values)})" if values else ""
        parts.append(f"{where}, field '{fld}'{shown}: {message}. Fix: {fix}")
    return "the scenario does not load: " + "; ".join(parts)


def _few(items: Sequence[str], limit: int = 3) -> str:
    return ", ".join(items[:limit]) + (
        f" and {len(items) - limit} more" if len(items) > limit else ""
    )


def internal_problem(exc: Exception) -> str:
    return f"internal error {type(exc).__name__}: {exc}".splitlines()[0]

"""The verdict on one expectation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """The verdict on one expectation, in words."""

    expectation: str
    passed: bool
    message: str

    def __str__(self) -> str:
        return f"{'ok' if self.passed else 'FAILED'} {self.expectation}: {self.message}"

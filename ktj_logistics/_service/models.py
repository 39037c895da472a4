"""What the HTTP API takes and answers, as pydantic models (its OpenAPI comes from these).

The plan itself is the ``Plan`` model of ``plan.json`` and a day's figures are its
``Totals``; input problems are the loader's ``Issue`` fields, the same as
``ktj-route validate`` prints.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .._errors import Issue
from .._plan import Totals

JobState = Literal["queued", "running", "done", "failed"]
FINAL: frozenset[str] = frozenset({"done", "failed"})


class JobOptions(BaseModel):
    """How to plan a submitted day (query parameters of a submission)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit_s: float | None = Field(
        None, gt=0, le=86_400, description="Seconds of search (default: the scenario's)."
    )
    lang: Literal["id", "en"] = Field("id", description="Language of sheets and messages.")
    redact: bool = Field(False, description="Pseudonyms instead of names, phones, addresses.")


class IssueOut(BaseModel):
    """One input problem: where it is and how to fix it (as ``ktj-route validate``)."""

    file: str
    row: int | None = Field(None, description="1-based line; a CSV header is row 1")
    field: str
    value: str | None = None
    message: str
    fix: str
    severity: Literal["error", "warning"] = "error"

    @classmethod
    def of(cls, issue: Issue) -> IssueOut:
        severity: Literal["error", "warning"] = "error" if issue.severity == "error" else "warning"
        return cls(
            file=issue.file,
            row=issue.row,
            field=issue.field,
            value=issue.value,
            message=issue.message,
            fix=issue.fix,
            severity=severity,
        )


class InputProblems(BaseModel):
    """HTTP 422: every problem in the submitted files, found at once."""

    detail: str
    issues: list[IssueOut]
    warnings: list[IssueOut] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """Any other refusal (401, 404, 409, 413, 503): one sentence."""

    detail: str


class JobProgress(BaseModel):
    """How far planning is: ``fraction`` grows with search time used (0–1)."""

    stage: Literal["queued", "loading", "search", "parts", "writing", "done"]
    fraction: float = Field(ge=0, le=1)
    elapsed_s: float = 0.0
    time_limit_s: float = 0.0
    served: int = 0
    households: int = 0
    parts_done: int = 0
    parts_total: int = 0


class JobStatus(BaseModel):
    """A job as its owner sees it."""

    id: str
    status: JobState
    created: float = Field(description="Unix time of submission")
    started: float | None = None
    finished: float | None = None
    expires: float = Field(description="Unix time when the job and its files are deleted")
    options: JobOptions
    households: int = Field(description="Households in the submitted day")
    progress: JobProgress
    totals: Totals | None = Field(None, description="The plan's figures, once done")
    error: str | None = Field(None, description="Why the job failed")
    issues: list[IssueOut] = Field(default_factory=list)
    warnings: list[IssueOut] = Field(default_factory=list, description="Input warnings")
    links: dict[str, str] = Field(default_factory=dict, description="Where to get its parts")


class Artefact(BaseModel):
    """One file of a finished plan."""

    path: str = Field(description="e.g. sheets/m-1.html, map.html, plan.json")
    size: int
    media_type: str
    url: str


class Officer(BaseModel):
    """One vehicle's route sheet, for picking it in a list."""

    vehicle_id: str
    officer: str = ""
    sheet: str = Field(description="Path of its HTML sheet among the artefacts")
    text: str = Field(description="Path of its WhatsApp text")


class Artefacts(BaseModel):
    files: list[Artefact]
    zip_url: str
    officers: list[Officer]


class VerifyReport(BaseModel):
    """The independent checker's answer: no violations means every rule holds."""

    ok: bool
    households: int
    routes: int
    violations: list[str]


class ExplanationOut(BaseModel):
    """Why a household was served when it was, or why not."""

    household_id: str
    served: bool
    headline: str
    lines: list[str]

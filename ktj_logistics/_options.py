"""What ``plan`` is asked (``PlanOptions``) and what it answers (``Result``), with the
errors of the planning step itself. Types only: nothing here plans."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ._cost import TravelModel
from ._errors import InternalError, NoPlanError
from ._parts import PartReport, PartRunner, PartsSettings
from ._plan import Plan
from ._plugins.host import PluginHost
from ._scenario import Scenario
from ._shape import Shaped
from ._verify import Violation


@dataclass(frozen=True)
class Progress:
    """What ``PlanOptions.progress`` is told while a day is planned (counts only)."""

    stage: Literal["search", "parts"]
    elapsed_s: float
    time_limit_s: float
    served: int  # households served by the best plan so far
    households: int
    objective: int | None = None  # one model: the search's cost of that plan
    parts_done: int = 0
    parts_total: int = 0


class PlanOptions(BaseModel):
    """How to plan a day. Every field has a default; ``None`` means "the scenario's"."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    time_limit_s: float | None = Field(
        None, gt=0, le=86_400, description="Seconds of search for the whole day."
    )
    deterministic: bool | None = Field(None, description="Same input, same plan.")
    search_solutions: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="Solutions each search may visit (deterministic: exactly).",
    )
    method: Literal["auto", "whole", "parts"] = Field(
        "auto", description="auto: by parts when the day has more than 2 × part_size households."
    )
    part_size: int = Field(250, ge=20, le=100_000, description="Households per part.")
    workers: int | None = Field(
        None, ge=1, le=1024, description="Processes to search on (default: the cores available)."
    )
    scheduler: str | None = Field(None, description="Dask scheduler address for the parts.")
    hints: bool = Field(False, description="Re-plan with one change to say what would help.")
    hint_time_limit_s: float = Field(2.0, gt=0, le=600)
    progress: Callable[[Progress], None] | None = None
    plugin_dirs: tuple[Path, ...] = Field((), description="Local plugin files or folders.")
    base_dir: Path | None = Field(
        None, description="Folder the scenario's plugin_paths are relative to."
    )
    engine: Literal["ortools", "ortools-plain", "ortools+pyvrp"] = Field(
        "ortools",
        description="ortools: the project's search; ortools-plain: OR-Tools' own "
        "(path cheapest arc + guided local search), as a baseline; ortools+pyvrp: the "
        "project's search racing PyVRP on the days PyVRP can represent whole (one trip "
        "per vehicle; needs pip install 'ktj-route[pyvrp]'), the best verified plan kept.",
    )
    travel: TravelModel | None = Field(None, description="Replaces the scenario's travel model.")
    extra_plugins: tuple[tuple[str, Any], ...] = Field(
        (), description="Plugin objects to register for this run: (name, object)."
    )
    parts_runner: PartRunner | None = Field(
        None, description="Runs the parts of a large day (default: local processes or Dask)."
    )
    parts_settings: PartsSettings | None = Field(
        None,
        description="How a large day is cut and repaired (internal; replaces part_size, "
        "workers and scheduler; for tests and experiments).",
    )
    solve_fn: Callable[..., Any] | None = Field(
        None,
        description="Replaces one search of one model (a seam for tests and experiments; "
        "its arguments are internal types).",
    )


@dataclass(frozen=True)
class SearchReport:
    """One search of a day planned in one model (a portfolio member)."""

    member: str
    objective: int
    status: str
    wall_s: float
    improve_rounds: int
    improve_accepted: int


@dataclass(frozen=True)
class Result:
    """A verified plan, how it was made, and what a report needs to write it."""

    plan: Plan
    method: Literal["whole", "parts"]
    scenario: Scenario
    timings: Mapping[str, float]
    parts: tuple[PartReport, ...] = ()
    searches: tuple[SearchReport, ...] = ()
    shaped: Shaped | None = None
    host: PluginHost | None = None
    travel: TravelModel | None = None  # the model that priced the plan (maps draw with it)


class EmptyDay(NoPlanError):
    """Not one household can be served: a "plan" that sends nobody out is no plan.

    ``result`` still holds the verified plan with every household and its reason, for a
    caller that wants to show them.
    """

    def __init__(self, message: str, result: Result) -> None:
        super().__init__(message)
        self.result = result

    @property
    def plan(self) -> Plan:
        return self.result.plan


class PlanRejected(InternalError):
    """The verifier found the solver's plan broken; the plan is not written."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "; ".join(str(v) for v in violations[:5])
        more = f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""
        super().__init__(f"the plan failed verification: {shown}{more}")

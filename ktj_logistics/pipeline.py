"""The whole pipeline in one call: shape → cost → solve → verify (load is ``load.py``).

``plan(scenario)`` returns a verified ``Plan`` or raises: a plan that fails verification
is never returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .assemble import build_plan
from .construct import initial_routes
from .errors import InternalError, NoPlanError
from .model import Scenario
from .plan import Plan
from .plugins import PluginHost, build_host
from .problem import Problem, build_problem
from .search import candidates
from .shape import Shaped, shape
from .solver import ProgressFn, SearchConfig
from .travel import TravelModel, travel_for
from .verify import Violation, verify_plan


@dataclass(frozen=True)
class Result:
    """A verified plan with the intermediate products, for reports and debugging."""

    plan: Plan
    scenario: Scenario
    shaped: Shaped
    problem: Problem
    host: PluginHost


def host_for(
    scenario: Scenario,
    base_dir: Path | None = None,
    plugins_dirs: Sequence[Path] = (),
    extra_plugins: Sequence[tuple[str, object]] = (),
) -> PluginHost:
    """The plugin host of one run of ``scenario``."""
    base = base_dir or scenario.base_dir or Path.cwd()
    files = [base / p for p in scenario.plugin_paths] + [Path(p) for p in plugins_dirs]
    return build_host(scenario.plugins, files, extra=extra_plugins)


def search_config(
    scenario: Scenario, time_limit_s: float | None = None, deterministic: bool | None = None
) -> SearchConfig:
    st = scenario.settings
    return SearchConfig(
        time_limit_s=time_limit_s if time_limit_s is not None else st.time_limit_s,
        deterministic=st.deterministic if deterministic is None else deterministic,
        solution_limit=st.search_solutions,
        portfolio=True,
        decompose=True,
    )


def run(
    scenario: Scenario,
    *,
    base_dir: Path | None = None,
    time_limit_s: float | None = None,
    deterministic: bool | None = None,
    plugins_dirs: Sequence[Path] = (),
    extra_plugins: Sequence[tuple[str, object]] = (),
    travel: TravelModel | None = None,
    progress: ProgressFn | None = None,
    config: SearchConfig | None = None,
    hints: bool = False,
    hint_time_limit_s: float = 2.0,
) -> Result:
    """Plan ``scenario`` and verify the plan; see ``plan`` for the short form.

    ``hints`` adds what would serve more households (``hints.py``): each is a re-plan
    with one change and a short deterministic search of ``hint_time_limit_s``.
    """
    host = host_for(scenario, base_dir, plugins_dirs, extra_plugins)
    shaped = shape(scenario, host)
    travel = travel or travel_for(scenario.settings.coordinates, scenario.settings.detour_factor)
    problem = build_problem(scenario, shaped, travel)
    cfg = config or search_config(scenario, time_limit_s, deterministic)
    found = candidates(problem, cfg, progress, initial_routes(problem))
    if not found:
        raise NoPlanError(
            f"the solver found no plan within {cfg.time_limit_s:g} s; "
            "give it more time (--time-limit) or check shifts, windows and capacities"
        )
    rejected: list[Violation] | None = None
    for result in found:  # best objective first; the first sound plan wins
        plan_ = build_plan(scenario, shaped, problem, result, cfg)
        violations = verify_plan(scenario, plan_, shaped, travel)
        if not violations:
            break
        rejected = rejected or violations
    else:
        raise PlanRejected(rejected or [])
    if hints:
        from .hints import compute_hints

        short = SearchConfig(time_limit_s=hint_time_limit_s, deterministic=True, solution_limit=50)

        def replan(changed: Scenario) -> Plan:
            return run(
                changed,
                base_dir=base_dir,
                plugins_dirs=plugins_dirs,
                extra_plugins=extra_plugins,
                travel=travel,
                config=short,
            ).plan

        hints_found = compute_hints(scenario, plan_, shaped, travel, replan)
        plan_ = plan_.model_copy(update={"hints": hints_found})
    return Result(plan_, scenario, shaped, problem, host)


def plan(scenario: Scenario, **kwargs: object) -> Plan:
    """Plan ``scenario``: a verified ``Plan``. Keyword arguments as for ``run``."""
    return run(scenario, **kwargs).plan  # type: ignore[arg-type]


class PlanRejected(InternalError):
    """The verifier found the solver's plan broken; the plan is not written."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "; ".join(str(v) for v in violations[:5])
        more = f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""
        super().__init__(f"the plan failed verification: {shown}{more}")

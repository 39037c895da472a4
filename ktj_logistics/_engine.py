"""The one door: ``plan(scenario, options) -> Result``. Every caller plans through it.

It runs the stages one way down — shape (plugins) → day → allocate (stock to stops, for
the whole day, by the delivery fleet) → stage (trunk runs stock the hubs; stops near a
hub load there) → cost and solve (one model, or by parts when the day is large) →
schedule → verify → hints — and decides by itself whether the day is planned in one
model or by parts. Whatever the path, the time limit is the day's, and reasons, hints,
the empty-day rule and progress are computed once for the whole day. OR-Tools is
imported when a plan is searched, not when this module is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from ._allocate import Allocation, allocate
from ._cost import TravelModel, travel_for
from ._errors import NoPlanError
from ._fairness import StockFairness, balance_stock, solve_fairly, with_figure, with_notes
from ._log import logger, stage
from ._options import EmptyDay, PlanOptions, PlanRejected, Progress, Result, SearchReport
from ._parts import Lending, PartReport, PartsSettings, plan_by_parts
from ._plan import Hint, Plan, SolverInfo
from ._plugins.host import PluginHost, build_host
from ._problem import Day, Problem, day_of, priced
from ._scenario import Scenario
from ._schedule import Scheduled, plan_of, schedule
from ._shape import Shaped, shape
from ._solve.types import SearchConfig, Solution
from ._stage import Fleet, Staged, hub_usage, split_fleet
from ._stage import stage as stage_hubs
from ._verify import Violation, verify_plan


def cores() -> int:
    """Cores this process may run on."""
    get = getattr(os, "sched_getaffinity", None)  # Linux only
    return len(get(0)) if get else (os.cpu_count() or 1)


def host_of(scenario: Scenario, options: PlanOptions) -> PluginHost:
    """The plugin host of one run of ``scenario``."""
    base = options.base_dir or scenario.base_dir or Path.cwd()
    files = [base / p for p in scenario.plugin_paths] + list(options.plugin_dirs)
    return build_host(scenario.plugins, files, extra=options.extra_plugins)


def search_config(scenario: Scenario, options: PlanOptions) -> SearchConfig:
    st = scenario.settings
    limit = options.time_limit_s if options.time_limit_s is not None else st.time_limit_s
    deterministic = st.deterministic if options.deterministic is None else options.deterministic
    solutions = options.search_solutions or st.search_solutions
    if options.engine == "ortools-plain":
        return SearchConfig(
            time_limit_s=limit,
            deterministic=deterministic,
            solution_limit=solutions,
            first_solution="PATH_CHEAPEST_ARC",
            metaheuristic="GUIDED_LOCAL_SEARCH",
            use_initial=False,
        )
    return SearchConfig(
        time_limit_s=limit,
        deterministic=deterministic,
        solution_limit=solutions,
        portfolio=True,
        workers=options.workers or cores(),
        decompose=True,
        pyvrp=options.engine == "ortools+pyvrp",
    )


def _by_parts(scenario: Scenario, options: PlanOptions) -> bool:
    if options.method != "auto":
        return options.method == "parts"
    return options.scheduler is not None or len(scenario.households) > 2 * options.part_size


def plan(scenario: Scenario, options: PlanOptions | None = None) -> Result:
    """Plan ``scenario``: a verified plan of the whole day, or an error.

    Raises ``InputError`` / ``PluginError`` (bad input or plugin), ``NoPlanError`` (no
    plan found, or no household can be served at all) and ``InternalError`` (a bug; a
    plan that fails verification is never returned).
    """
    opts = options or PlanOptions()
    t0 = time.monotonic()
    timings: dict[str, float] = {}
    with stage("shape", timings):
        host = host_of(scenario, opts)
        shaped = shape(scenario, host)
        day = day_of(scenario, shaped)
    travel = opts.travel or travel_for(scenario.settings, opts.base_dir or scenario.base_dir)
    fleet = split_fleet(scenario, day)
    with stage("allocate", timings):
        allocation = allocate(scenario, fleet.day, travel)
        stock_fair: StockFairness | None = None
        if scenario.settings.fairness is not None and scenario.settings.fairness.enabled:
            stock_fair = balance_stock(
                scenario,
                fleet.day,
                allocation,
                lambda first: allocate(scenario, fleet.day, travel, first),
            )
            allocation = stock_fair.allocation
    logger.info(
        "day: %d households, %d stops (%d offered to the solver), %d vehicles, %d sources",
        len(scenario.households),
        len(day.jobs),
        len(allocation.assigned),
        len(fleet.day.vehicles),
        len(day.depots),
    )
    config = search_config(scenario, opts)
    with stage("stage", timings):
        staged = _stage(scenario, fleet, allocation, travel, config, opts)
    if staged.search_s:  # the trunk runs' search came out of the day's budget
        left = max(config.time_limit_s - staged.search_s, config.time_limit_s / 2)
        config = replace(config, time_limit_s=left)
    context = _Context(scenario, shaped, staged, travel, config, opts, t0)
    parts: tuple[PartReport, ...] = ()
    searches: tuple[SearchReport, ...] = ()
    if stock_fair is not None:
        plan_, parts, searches = _plan_fairly(context, stock_fair, timings)
    elif _by_parts(scenario, opts):
        plan_, parts = _plan_by_parts(context, timings)
    else:
        plan_, searches = _plan_whole(context, timings)
    if stock_fair is None:
        plan_ = with_figure(scenario, plan_)
    if opts.hints:
        with stage("hints", timings):
            plan_ = plan_.model_copy(update={"hints": _hints(context, plan_)})
    logger.info(
        "plan: %d of %d households served, %d routes, %.1f s in all",
        plan_.totals.served,
        plan_.totals.households,
        len(plan_.routes),
        time.monotonic() - t0,
    )
    method: Literal["whole", "parts"] = "parts" if plan_.solver.method == "parts" else "whole"
    result = Result(plan_, method, scenario, timings, parts, searches, shaped, host, travel)
    _refuse_empty_day(result)
    return result


def _stage(
    scenario: Scenario,
    fleet: Fleet,
    allocation: Allocation,
    travel: TravelModel,
    config: SearchConfig,
    opts: PlanOptions,
) -> Staged:
    if not scenario.hubs or not fleet.trunk:
        return Staged(fleet.day, allocation, Scheduled(), 0.0)
    from ._solve.ortools import solve

    return stage_hubs(scenario, fleet, allocation, travel, config, opts.solve_fn or solve)


@dataclass(frozen=True)
class _Context:
    scenario: Scenario
    shaped: Shaped
    staged: Staged
    travel: TravelModel
    config: SearchConfig
    options: PlanOptions
    t0: float
    lending: Lending | None = None  # a fairness re-solve by parts (``_fairness.fleet``)

    @property
    def day(self) -> Day:
        return self.staged.day

    @property
    def allocation(self) -> Allocation:
        return self.staged.allocation

    def plan_of(self, scheduled: Scheduled, info: SolverInfo) -> Plan:
        """The day's plan from the delivery routes, with the trunk runs and hub stock."""
        both = Scheduled()
        both.add(scheduled)
        both.add(self.staged.trunk)
        plan_ = plan_of(self.scenario, self.shaped, self.day, self.allocation, both, info)
        if not self.scenario.hubs:
            return plan_
        return plan_.model_copy(update={"hubs": hub_usage(plan_, self.scenario)})

    def progress(self, **fields: Any) -> None:
        if self.options.progress is not None:
            self.options.progress(
                Progress(
                    elapsed_s=time.monotonic() - self.t0,
                    time_limit_s=self.config.time_limit_s,
                    households=len(self.scenario.households),
                    **fields,
                )
            )

    def solver_info(
        self, engine: str, status: str, objective: int, method: str, parts: int
    ) -> SolverInfo:
        return SolverInfo(
            engine=engine,
            status=status,
            objective=objective,
            wall_s=round(time.monotonic() - self.t0, 3),
            time_limit_s=self.config.time_limit_s,
            deterministic=self.config.deterministic,
            method=method,
            parts=parts,
        )


def _plan_whole(c: _Context, timings: dict[str, float]) -> tuple[Plan, tuple[SearchReport, ...]]:
    from ._solve.construct import initial_routes
    from ._solve.ortools import solve
    from ._solve.portfolio import candidates

    with stage("cost", timings):
        problem = priced(c.allocation.offered(c.day), c.travel, c.allocation.assigned)

    def on_solution(objective: int, served: int, elapsed: float) -> None:
        c.progress(stage="search", served=served, objective=objective)

    with stage("solve", timings):
        start = initial_routes(problem) if c.options.engine != "ortools-plain" else None
        found = candidates(
            problem,
            c.config,
            on_solution if c.options.progress else None,
            start,
            c.options.solve_fn or solve,
        )
    if not found:
        raise NoPlanError(
            f"the solver found no plan within {c.config.time_limit_s:g} s; "
            "give it more time (--time-limit) or check shifts, windows and capacities"
        )
    searches = tuple(
        SearchReport(
            s.member,
            s.objective,
            s.status,
            round(s.wall_s, 3),
            s.improve_rounds,
            s.improve_accepted,
        )
        for s in found
    )
    rejected: list[Violation] | None = None
    with stage("verify", timings):
        for solution in found:  # best objective first; the first sound plan wins
            plan_ = _whole_plan(c, problem, solution)
            violations = verify_plan(c.scenario, plan_, c.shaped, c.travel)
            if not violations:
                return plan_, searches
            rejected = rejected or violations
    raise PlanRejected(rejected or [])


def _whole_plan(c: _Context, problem: Problem, solution: Solution) -> Plan:
    info = c.solver_info(solution.engine, solution.status, solution.objective, "whole", 1)
    return c.plan_of(schedule(problem, solution.routes), info)


def _plan_by_parts(c: _Context, timings: dict[str, float]) -> tuple[Plan, tuple[PartReport, ...]]:
    opts = c.options
    settings = opts.parts_settings or PartsSettings(
        part_size=opts.part_size, workers=opts.workers or cores(), scheduler=opts.scheduler
    )
    if c.scenario.settings.fairness is not None and c.scenario.settings.fairness.enabled:
        # Idle vehicles of a first plan lent where areas fell behind the fairness floor.
        settings = replace(settings, lending=c.lending)

    def on_part(done: int, total: int, served: int) -> None:
        c.progress(stage="parts", served=served, parts_done=done, parts_total=total)

    deadline = time.monotonic() + c.config.time_limit_s
    with stage("solve", timings):
        parts = plan_by_parts(
            c.allocation.offered(c.day),
            c.allocation,
            c.travel,
            c.config,
            settings,
            deadline,
            on_part if opts.progress else None,
            opts.parts_runner,
        )
    info = c.solver_info("ortools", parts.status, parts.objective, "parts", len(parts.reports))
    plan_ = c.plan_of(parts.scheduled, info)
    with stage("verify", timings):
        violations = verify_plan(c.scenario, plan_, c.shaped, c.travel)
    if violations:
        raise PlanRejected(violations)
    return plan_, parts.reports


def _plan_fairly(
    c: _Context, stock: StockFairness, timings: dict[str, float]
) -> tuple[Plan, tuple[PartReport, ...], tuple[SearchReport, ...]]:
    """Solve in fairness rounds over the whole day (``_fairness.fleet``), whichever way
    the day is planned, and note the households fairness decided."""
    by_parts = _by_parts(c.scenario, c.options)
    Found = tuple[tuple[PartReport, ...], tuple[SearchReport, ...]]

    def solve(day: Day, limit: float, lending: Lending | None) -> tuple[Plan, Found]:
        config = replace(c.config, time_limit_s=limit)
        again = replace(c, staged=replace(c.staged, day=day), config=config, lending=lending)
        if by_parts:
            plan_, reports = _plan_by_parts(again, timings)
            return plan_, (reports, ())
        plan_, searches = _plan_whole(again, timings)
        return plan_, ((), searches)

    fleet = solve_fairly(c.scenario, c.day, c.config.time_limit_s, solve)
    plan_ = with_notes(c.scenario, fleet.plan, stock, fleet)
    return plan_, fleet.extra[0], fleet.extra[1]


def _refuse_empty_day(result: Result) -> None:
    """A day on which no household at all can be served is no plan: say why."""
    t = result.plan.totals
    if t.households == 0 or t.served > 0:
        return
    from ._plan import REASON_TEXT, UnservedReason

    why = "; ".join(
        f"{n} × {reason} ({REASON_TEXT[UnservedReason(reason)]})"
        for reason, n in t.unserved_by_reason.items()
    )
    raise EmptyDay(
        f"no household can be served today: {why}. Check vehicle shifts, time windows, "
        "stock and capacities (ktj-route validate lists input problems)",
        result,
    )


HINT_SOLUTIONS = 60  # most solutions a hint's deterministic re-plan may visit


def _hints(c: _Context, plan_: Plan) -> list[Hint]:
    """What would serve more: each hint re-plans the whole day through ``plan`` itself,
    with a short deterministic search, and compares with the same search unchanged."""
    from ._hints import compute_hints

    solutions = c.options.search_solutions or c.scenario.settings.search_solutions
    short = c.options.model_copy(
        update={
            "time_limit_s": c.options.hint_time_limit_s,
            "deterministic": True,
            # both sides of a comparison on one small budget: the day's took minutes
            "search_solutions": min(solutions or HINT_SOLUTIONS, HINT_SOLUTIONS),
            "hints": False,
            "progress": None,
        }
    )

    def replan(changed: Scenario) -> Plan:
        return plan(changed, short).plan

    def placed(changed: Scenario) -> set[str]:
        shaped = shape(changed, host_of(changed, c.options))
        day = split_fleet(changed, day_of(changed, shaped)).day
        alloc = allocate(changed, day, c.travel)
        short = {h for cut in alloc.cut.values() for h in cut.missing}
        short |= {h for j in alloc.excluded for h in day.jobs[j].household_ids}
        return {h for j in alloc.assigned for h in day.jobs[j].household_ids} - short

    return compute_hints(c.scenario, plan_, replan, placed)


def verify(
    scenario: Scenario,
    plan_: Plan,
    *,
    plugin_dirs: Sequence[Path] = (),
    base_dir: Path | None = None,
    travel: TravelModel | None = None,
    extra_plugins: Sequence[tuple[str, Any]] = (),
) -> list[Violation]:
    """Every way ``plan_`` breaks the scenario's rules (empty: it is sound).

    Independent of the solver: legs are re-priced with the travel model's own ``leg``,
    loads and stock re-counted, rules re-asked of the plugins.
    """
    opts = PlanOptions(
        plugin_dirs=tuple(plugin_dirs), base_dir=base_dir, extra_plugins=tuple(extra_plugins)
    )
    shaped = shape(scenario, host_of(scenario, opts))
    where = base_dir or scenario.base_dir
    return verify_plan(scenario, plan_, shaped, travel or travel_for(scenario.settings, where))

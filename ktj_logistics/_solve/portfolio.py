"""How the solver's time is spent: a portfolio of differently started searches.

OR-Tools' guided local search depends heavily on where it starts: on the CVRPLIB
yardstick (``benchmarks/``) path-cheapest-arc starts win on the smaller instances and
savings starts on the larger ones, and neither wins everywhere. The machine has two
cores, so both run at once — one in this process (it reports progress), one in a worker
process — and the caller keeps the best result that passes verification.

With ``PlanOptions(engine="ortools+pyvrp")`` the second member is PyVRP on the days it
represents whole (``_solve/pyvrp``); its routes are priced in the OR-Tools model, so the
members still rank by one objective, and the verifier judges both alike.

If no member finds a solution, further starts are tried one after another in the time
left, so a day that can be planned never ends in "no plan" because one construction
heuristic got stuck.

Deterministic mode stays reproducible: each member is a fixed amount of search, and
ties are broken by member order, never by which process finished first.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from dataclasses import replace
from multiprocessing.connection import Connection

from .._problem import Problem
from .child import as_child
from .improve import MIN_JOBS as IMPROVE_MIN_JOBS
from .improve import improve
from .ortools import solve
from .types import (
    ITERATED_LOCAL_SEARCH,
    Routes,
    SearchConfig,
    SearchProgress,
    Solution,
    SolveFn,
)

OWN_START_MAX_JOBS = 150
"""Above this many stops with loading pairs, OR-Tools' own starts are too slow to help."""


def portfolio_starts(problem: Problem) -> tuple[tuple[str, bool, str], ...]:
    """(first-solution strategy, start from constructed routes, metaheuristic) per member.

    On one-trip days (the CVRP shape) both members run OR-Tools' iterated local search,
    one from path-cheapest-arc and one from savings; it builds its own start, so the
    constructed routes only stand in if it ends worse. On reload days the first member
    improves ``construct.py``'s routes with guided local search (its strategy is only
    the fallback when those do not fit), and the second diversifies: parallel cheapest
    insertion on small days; on large ones, where OR-Tools' own starts take minutes, the
    constructed start with tabu search.
    """
    if problem.single_trip_depot() is not None:
        return (
            ("PATH_CHEAPEST_ARC", True, ITERATED_LOCAL_SEARCH),
            ("SAVINGS", False, ITERATED_LOCAL_SEARCH),
        )
    if len(problem.assigned) <= OWN_START_MAX_JOBS:
        second = ("PARALLEL_CHEAPEST_INSERTION", False, "GUIDED_LOCAL_SEARCH")
    else:
        second = ("PARALLEL_CHEAPEST_INSERTION", True, "TABU_SEARCH")
    return (("PATH_CHEAPEST_ARC", True, "GUIDED_LOCAL_SEARCH"), second)


FALLBACK_STARTS: tuple[str, ...] = (
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "ALL_UNPERFORMED",
)
"""Tried in turn when no portfolio member found a solution."""

MIN_FALLBACK_S = 1.0

FIRST_SHARE = 0.2
"""Share of a member's time for the search of the whole model; the rest goes to
re-solving groups of nearby routes (``improve.py``), where the search, stalled on the whole
model, still finds improvements. A last whole-model search after the parts (15 % of
the time) was dropped: the yardstick was better without it (2.82 % against 2.99 %)."""


FIRST_GLOBAL_SPAN = False
"""Whether the first whole-model search costs the longest route (``SearchConfig``). It
does not: with that cost OR-Tools took 4 s to read and restore the constructed start of
the 200-household Jakarta day and 50 s on the 500-household one (10 s budget: 61.8 s
wall); without it the 10 s search ended at 46.4 route-hours against 49.5 (and 112.2
against 113.3)."""


def members(config: SearchConfig, problem: Problem) -> list[SearchConfig]:
    """The searches of ``config``'s portfolio (just ``config`` when it asks for one)."""
    if not config.portfolio:
        return [config]
    runs = [
        replace(
            config,
            first_solution=start,
            use_initial=use_initial,
            # Iterated local search cools by the clock: no use for reproducible plans.
            metaheuristic=(
                "GUIDED_LOCAL_SEARCH"
                if config.deterministic and meta == ITERATED_LOCAL_SEARCH
                else meta
            ),
            portfolio=False,
        )
        for start, use_initial, meta in portfolio_starts(problem)
    ]
    if config.pyvrp and not config.deterministic and _pyvrp_represents(problem):
        runs[-1] = replace(runs[-1], engine="pyvrp")
    return runs


def _pyvrp_represents(problem: Problem) -> bool:
    from .pyvrp import represents  # PyVRP is imported only when asked for

    return represents(problem)


def _context() -> multiprocessing.context.SpawnContext | multiprocessing.context.ForkContext:
    # fork starts the worker without re-importing OR-Tools (a second of a 10 s budget).
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def candidates(
    problem: Problem,
    config: SearchConfig,
    progress: SearchProgress | None = None,
    initial: Routes | None = None,
    solve_fn: SolveFn = solve,
) -> list[Solution]:
    """Solutions of every search run for ``problem``, best objective first.

    Only results with a solution are returned; an empty list means no search found one.
    """
    t0 = time.monotonic()
    runs = members(config, problem)
    results: list[tuple[int, Solution]] = []
    # A daemonic process (a Dask worker, a pool worker) may not start children.
    can_fork = not multiprocessing.current_process().daemon
    if len(runs) > 1 and config.workers > 1 and can_fork:
        ctx = _context()
        workers = []
        for k, cfg in enumerate(runs[1:], start=1):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_work, args=(problem, cfg, send, initial, k, solve_fn), daemon=True
            )
            # start() returns once the worker has its problem (fork copies it, spawn
            # pickles it), so it searches while this process does: OR-Tools holds the GIL,
            # and a pool's feeder thread could not hand over work until our search ended.
            proc.start()
            send.close()
            workers.append((proc, receive))
        results.append((0, member(problem, runs[0], progress, initial, 0, solve_fn)))
        for k, (proc, receive) in enumerate(workers, start=1):
            with contextlib.suppress(EOFError):  # a dead worker's member has no result
                results.append((k, receive.recv()))
            proc.join()
    else:
        share = config.time_limit_s / len(runs)
        for k, cfg in enumerate(runs):
            results.append(
                (
                    k,
                    member(
                        problem, replace(cfg, time_limit_s=share), progress, initial, k, solve_fn
                    ),
                )
            )
    found = [(r.objective, k, r) for k, r in results if r.objective >= 0]
    if not found and config.portfolio:
        found = _fallbacks(problem, config, progress, t0, len(results), initial, solve_fn)
    found.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in found]


def member(
    problem: Problem,
    config: SearchConfig,
    progress: SearchProgress | None,
    initial: Routes | None,
    index: int,
    solve_fn: SolveFn = solve,
) -> Solution:
    """One portfolio member: search the whole model, then improve it by parts.

    Small days (up to ``improve.MIN_JOBS`` jobs) get the whole time on the whole model, and
    so does deterministic mode: parts are searched by the clock, a whole model by a
    solution count. The returned objective after improvement is the first search's less
    the gains of the accepted parts; it ranks members, and every result is verified
    anyway.
    """
    if config.engine == "pyvrp":
        return _pyvrp_member(problem, config, solve_fn)
    if config.deterministic or not config.decompose or len(problem.assigned) <= IMPROVE_MIN_JOBS:
        return solve_fn(problem, config, progress, initial)
    t0 = time.monotonic()
    deadline = t0 + config.time_limit_s
    first_cfg = replace(
        config, time_limit_s=config.time_limit_s * FIRST_SHARE, global_span=FIRST_GLOBAL_SPAN
    )
    first = solve_fn(problem, first_cfg, progress, initial)
    if first.objective < 0:
        return first

    def report(gained: int, now_served: int) -> None:
        if progress is not None:
            progress(first.objective - gained, now_served, time.monotonic() - t0)

    better = improve(
        problem, first.routes, config, deadline, seed=index, report=report, solve_fn=solve_fn
    )
    counted = replace(first, improve_rounds=better.rounds, improve_accepted=better.accepted)
    if better.gained <= 0:
        return counted
    return replace(
        counted,
        routes=better.routes,
        objective=first.objective - better.gained,
        wall_s=time.monotonic() - t0,
    )


def _pyvrp_member(problem: Problem, config: SearchConfig, solve_fn: SolveFn) -> Solution:
    """PyVRP's plan, priced in the OR-Tools model so that members rank by one objective
    (a plan that does not fit that model is no candidate)."""
    from .pyvrp import solve as pyvrp_solve

    found = pyvrp_solve(problem, config)
    if found.objective < 0:
        return found
    price = replace(
        config,
        engine="ortools",
        time_limit_s=0,
        metaheuristic="GUIDED_LOCAL_SEARCH",
        global_span=FIRST_GLOBAL_SPAN,  # as the OR-Tools members' objectives count
    )
    priced = solve_fn(problem, price, None, found.routes)
    return replace(found, objective=priced.start_objective)


def _work(
    problem: Problem,
    config: SearchConfig,
    send: Connection,
    initial: Routes | None,
    index: int,
    solve_fn: SolveFn,
) -> None:
    as_child()
    send.send(member(problem, config, None, initial, index, solve_fn))
    send.close()


def _fallbacks(
    problem: Problem,
    config: SearchConfig,
    progress: SearchProgress | None,
    t0: float,
    first_index: int,
    initial: Routes | None,
    solve_fn: SolveFn,
) -> list[tuple[int, int, Solution]]:
    """Other starts, one at a time, until one finds a solution."""
    for k, start in enumerate(FALLBACK_STARTS, start=first_index):
        left = config.time_limit_s - (time.monotonic() - t0)
        cfg = replace(
            config,
            first_solution=start,
            metaheuristic="GUIDED_LOCAL_SEARCH",
            portfolio=False,
            time_limit_s=max(left, MIN_FALLBACK_S),
        )
        r = solve_fn(problem, cfg, progress, initial)
        if r.objective >= 0:
            return [(r.objective, k, r)]
    return []

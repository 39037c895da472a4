"""Planning one part of a day, wherever it runs (this process, a pool, a Dask worker).

``solve_part`` is a plain top-level function of picklable data (a priced ``Problem``
and a ``SearchConfig``), so any executor can run it; it searches, times the routes and
counts how many stops the solver dropped while a vehicle that could have served them
stayed at its base — OR-Tools reports "every stop dropped" with the same status as a
normal time-limited run, so that count is the only way to tell.
"""

from __future__ import annotations

import ctypes
import os
import time
from dataclasses import dataclass

from .._problem import Problem
from .._schedule import Scheduled, schedule
from .._solve.types import SearchConfig, jobs_of

MALLOC_ENV = "MALLOC_TRIM_THRESHOLD_"
DASK_DEFAULT_TRIM = "65536"
"""What Dask's nanny sets by default; with it OR-Tools ran 12x slower on this machine."""


@dataclass(frozen=True)
class PartJob:
    key: str
    problem: Problem
    config: SearchConfig


@dataclass(frozen=True)
class PartOutcome:
    key: str
    scheduled: Scheduled | None  # None: the search found no solution
    error: str = ""
    planned: int = 0  # jobs offered to the solver
    served: int = 0  # households served
    dropped: tuple[int, ...] = ()  # jobs (the part's indices) the solver left out
    unexplained_drops: int = 0
    objective: int = -1
    status: str = ""
    wall_s: float = 0.0
    pid: int = 0
    malloc_trim_env: str | None = None


def _undo_dask_malloc_trim() -> str | None:
    """If Dask's 64 KiB trim threshold reached this process, lift it; returns what was set.

    glibc reads the variable at start-up, so removing it from ``os.environ`` alone is not
    enough; ``mallopt`` raises the thresholds back to glibc's dynamic maxima.
    """
    seen = os.environ.get(MALLOC_ENV)
    if seen == DASK_DEFAULT_TRIM:
        try:
            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-1, 32 * 1024 * 1024)  # M_TRIM_THRESHOLD
            libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD
        except OSError:  # not glibc: the variable means nothing there
            pass
        del os.environ[MALLOC_ENV]
    return seen


def unexplained(problem: Problem, routes_used: set[int], dropped: list[int]) -> int:
    """Dropped jobs that a vehicle allowed there, idle all day, could have served.

    If nothing at all is served, every drop counts: the search found no usable
    solution in its time.
    """
    if not routes_used:
        return len(dropped)
    idle = {v for v in range(len(problem.vehicles)) if v not in routes_used}
    return sum(1 for j in dropped if idle.intersection(problem.vehicles_for(j)))


def solve_part(job: PartJob) -> PartOutcome:
    """Search and time one part; never raises for a planning failure."""
    from .._solve.construct import initial_routes
    from .._solve.portfolio import candidates

    trim = _undo_dask_malloc_trim()
    t0 = time.monotonic()
    p = job.problem
    found = candidates(p, job.config, None, initial_routes(p))
    if not found:
        return PartOutcome(
            job.key,
            None,
            "no solution found in time",
            len(p.assigned),
            wall_s=time.monotonic() - t0,
            pid=os.getpid(),
            malloc_trim_env=trim,
        )
    best = found[0]
    used = {v for v, r in enumerate(best.routes) if r}
    planned = {j for r in best.routes for j in jobs_of(r)}
    dropped = sorted(set(p.assigned) - planned)
    scheduled = schedule(p, best.routes)
    return PartOutcome(
        key=job.key,
        scheduled=scheduled,
        planned=len(p.assigned),
        served=len(scheduled.served),
        dropped=tuple(dropped),
        unexplained_drops=unexplained(p, used, dropped),
        objective=best.objective,
        status=best.status,
        wall_s=time.monotonic() - t0,
        pid=os.getpid(),
        malloc_trim_env=trim,
    )

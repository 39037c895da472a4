"""Planning one part of a day, wherever it runs (this process, a pool, a Dask worker).

``solve_part`` is a plain top-level function of picklable data, so any executor can run
it. It counts what came back against what went in, and how many households the solver
dropped while a vehicle that could have served them stayed at its base — OR-Tools
reports "every household dropped" with the same status as a normal time-limited run, so
the count is the only way to tell.
"""

from __future__ import annotations

import ctypes
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import KtjError
from .model import Scenario
from .plan import Plan, UnservedReason
from .shape import Shaped

MALLOC_ENV = "MALLOC_TRIM_THRESHOLD_"
DASK_DEFAULT_TRIM = "65536"
"""What Dask's nanny sets by default; with it OR-Tools ran 12x slower on this machine."""


@dataclass(frozen=True)
class PartJob:
    key: str
    scenario: Scenario
    time_limit_s: float
    deterministic: bool
    base_dir: str | None = None
    plugins_dirs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartOutcome:
    key: str
    plan: Plan | None
    error: str = ""
    households_in: int = 0
    served: int = 0
    unserved: int = 0
    unexplained_drops: int = 0
    wall_s: float = 0.0
    pid: int = 0
    malloc_trim_env: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def accounted(self) -> bool:
        """Every input household is in the part's plan, served or with a reason."""
        return self.plan is not None and self.served + self.unserved == self.households_in


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


def unexplained_drops(scenario: Scenario, plan: Plan, shaped: Shaped) -> int:
    """Households dropped for 'fleet' reasons although a vehicle allowed there sat idle.

    An idle vehicle is one with no route at all. If nothing at all is served, every
    dropped household counts: the solver found no usable solution in its time.
    """
    fleet = [o for o in plan.households if o.reason == UnservedReason.fleet_capacity]
    if not fleet:
        return 0
    if not plan.served():
        return len(fleet)
    busy = {r.vehicle_id for r in plan.routes}
    idle_kinds = {v.kind for v in scenario.vehicles if v.id not in busy}
    return sum(1 for o in fleet if idle_kinds & shaped.households[o.household_id].allowed_kinds)


def solve_part(job: PartJob) -> PartOutcome:
    """Plan one part with the ordinary pipeline; never raises for a planning failure."""
    from .pipeline import run, search_config

    trim = _undo_dask_malloc_trim()
    # Parts already run side by side on the cores: one search per part, no portfolio.
    config = replace(
        search_config(job.scenario, job.time_limit_s, job.deterministic), portfolio=False
    )
    t0 = time.monotonic()
    n_in = len(job.scenario.households)
    try:
        result = run(
            job.scenario,
            base_dir=Path(job.base_dir) if job.base_dir else None,
            plugins_dirs=[Path(p) for p in job.plugins_dirs],
            config=config,
        )
    except KtjError as exc:
        return PartOutcome(
            job.key,
            None,
            f"{type(exc).__name__}: {exc}",
            n_in,
            0,
            0,
            0,
            time.monotonic() - t0,
            os.getpid(),
            trim,
        )
    plan = result.plan
    served = len(plan.served())
    return PartOutcome(
        key=job.key,
        plan=plan,
        households_in=n_in,
        served=served,
        unserved=len(plan.households) - served,
        unexplained_drops=unexplained_drops(job.scenario, plan, result.shaped),
        wall_s=time.monotonic() - t0,
        pid=os.getpid(),
        malloc_trim_env=trim,
    )

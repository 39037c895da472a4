"""Plan a large day by parts: decompose, solve the parts side by side, repair, merge.

Every step shares the day's one search budget (``deadline``): the first round of parts
gets most of it, spread over the waves the workers run; what is left goes to

* **suspect parts** — a part whose solver dropped stops while an allowed vehicle stayed
  idle (or that found no solution) is solved again with more time, and if that does not
  help, split in two;
* **idle vehicles pooled** — vehicles no route of their part used serve, together, the
  stops other parts left out for lack of fleet (``pool.py``);
* **boundary repair** — stops a part left out for lack of fleet get a second chance in
  the nearest part with time to spare and a vehicle that may serve them (kinds,
  loading places, officer areas): that part is re-solved with them and kept only if
  it serves more households, or as many in less route time.

The parts' timed routes are merged into one ``Scheduled`` for the whole day; the caller
turns it into the ``Plan`` and verifies it against the whole scenario, exactly as for a
day planned in one model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from .._allocate import Allocation
from .._cost import TravelModel
from .._errors import NoPlanError
from .._log import logger
from .._problem import Day, priced
from .._schedule import Scheduled
from .._solve.types import SearchConfig
from .able import can_serve
from .decompose import Method, PartSpec, decompose, distance_m, halves, with_jobs
from .lend import Lending, lend_by_kind, lend_idle
from .pool import pool
from .runners import Closing, PartRunner, PartsFailed, make_runner
from .worker import PartJob, PartOutcome

PartsProgress = Callable[[int, int, int], None]  # parts done, parts known so far, served

FIRST_ROUND_SHARE = 0.75
"""Share of the budget for the first round of parts; the rest is for retries and repair."""
MIN_PART_TIME_S = 2.0
"""Least search time a part gets, even when the budget is spread thin."""
RETRY_TIME_FACTOR = 4.0
SPARE_SHARE = 0.85
"""A part has time to spare when its routes use less than this share of its shifts."""


@dataclass(frozen=True)
class PartsSettings:
    part_size: int = 250
    method: Method = "sweep"
    workers: int = 2
    scheduler: str | None = None
    repair: bool = True
    pool: bool = True  # unused vehicles serve, together, stops other parts dropped (pool.py)
    repair_batch: int = 60
    rebalance: bool = True  # lend vehicles to areas far below their share of the fleet
    lend_by_kind: bool = True  # lend vehicles of a kind to parts only it may serve (lend.py)
    lending: Lending | None = None  # idle vehicles to parts of areas left behind (lend.py)


@dataclass(frozen=True)
class PartReport:
    """How one part went (``ktj_logistics.Result.parts``)."""

    key: str
    households: int
    served: int
    unexplained_drops: int
    wall_s: float
    runner: str  # where it ran: "inline", "local" (a process pool) or "dask"
    retried: bool = False
    split: bool = False
    repaired: bool = False


@dataclass(frozen=True)
class PartsResult:
    scheduled: Scheduled
    reports: tuple[PartReport, ...]
    runner: str
    status: str
    objective: int
    time_limit_s: float  # the first round's search time per part


@dataclass
class _State:
    part: PartSpec
    outcome: PartOutcome
    retried: bool = False
    split: bool = False
    repaired: bool = False


class _Plans:
    """Turns part specs into part jobs and runs them; counts progress."""

    def __init__(
        self,
        day: Day,
        allocation: Allocation,
        travel: TravelModel,
        config: SearchConfig,
        runner: PartRunner,
        progress: PartsProgress | None,
    ) -> None:
        self.day, self.allocation, self.travel, self.config = day, allocation, travel, config
        self.runner, self.progress = runner, progress
        self.done = self.total = 0
        self.served: dict[str, int] = {}

    def job(self, part: PartSpec, limit: float) -> PartJob:
        sub, index = self.day.part(part.vehicles, part.jobs)
        assigned = {index[j]: self.allocation.assigned[j] for j in part.jobs}
        # Parts already run side by side on the cores: one search per part.
        cfg = replace(self.config, time_limit_s=limit, portfolio=False, workers=1)
        return PartJob(part.key, priced(sub, self.travel, assigned), cfg)

    def run(self, parts: list[PartSpec], limit: float) -> list[PartOutcome]:
        self.total += len(parts)
        return [
            _checked(p, o)
            for p, o in zip(
                parts,
                self.runner.run([self.job(p, limit) for p in parts], self._on_done),
                strict=True,
            )
        ]

    def _on_done(self, o: PartOutcome) -> None:
        self.done += 1
        # A repair trial ("K+") replaces K only if it serves more; halves ("K/1", "K/2")
        # replace K only if together they serve more: count the best of each.
        key = o.key.rstrip("+")
        self.served[key] = max(self.served.get(key, 0), o.served)
        if self.progress:
            self.progress(self.done, self.total, self.total_served())

    def total_served(self) -> int:
        whole: dict[str, int] = {}
        split: dict[str, int] = {}
        for key, n in self.served.items():
            root, _, half = key.partition("/")
            if half:
                split[root] = split.get(root, 0) + n
            else:
                whole[root] = n
        return sum(max(whole.get(r, 0), split.get(r, 0)) for r in {*whole, *split})


def plan_by_parts(
    day: Day,
    allocation: Allocation,
    travel: TravelModel,
    config: SearchConfig,
    settings: PartsSettings,
    deadline: float,
    progress: PartsProgress | None = None,
    runner: PartRunner | None = None,
) -> PartsResult:
    """Plan the allocated stops of ``day`` by parts, within ``deadline`` (monotonic)."""
    parts = decompose(
        day, allocation.assigned, settings.part_size, settings.method, settings.rebalance
    )
    if settings.lend_by_kind:
        parts = lend_by_kind(day, parts)
    if settings.lending is not None:
        parts = lend_idle(day, parts, settings.lending)
    workers = max(1, settings.workers if settings.scheduler is None else len(parts))
    waves = math.ceil(len(parts) / workers) if parts else 1
    budget = max(0.0, deadline - time.monotonic())
    limit = max(MIN_PART_TIME_S, FIRST_ROUND_SHARE * budget / waves)
    logger.info(
        "by parts: %d parts, %d waves on %d workers, %.1f s a part",
        len(parts),
        waves,
        workers,
        limit,
    )
    r = runner or make_runner(settings.scheduler, settings.workers, len(parts))
    with Closing(r) as r:
        plans = _Plans(day, allocation, travel, config, r, progress)
        states = [_State(p, o) for p, o in zip(parts, plans.run(parts, limit), strict=True)]
        states = _second_chance(states, plans, limit, deadline, workers)
        if settings.pool:
            _pool_idle(states, plans, limit, deadline, settings.part_size)
        if settings.repair:
            _repair(states, plans, deadline, workers, settings.repair_batch)
    merged = Scheduled()
    for s in states:
        if s.outcome.scheduled is not None:
            merged.add(s.outcome.scheduled)
    statuses: dict[str, int] = {}
    for s in states:
        statuses[s.outcome.status or "none"] = statuses.get(s.outcome.status or "none", 0) + 1
    status = f"{len(states)} parts: " + ", ".join(f"{n} {k}" for k, n in sorted(statuses.items()))
    reports = tuple(
        PartReport(
            s.part.key,
            sum(len(day.jobs[j].household_ids) for j in s.part.jobs),
            s.outcome.served,
            s.outcome.unexplained_drops,
            round(s.outcome.wall_s, 2),
            r.name,
            s.retried,
            s.split,
            s.repaired,
        )
        for s in states
    )
    objective = sum(max(0, s.outcome.objective) for s in states)
    return PartsResult(merged, reports, r.name, status, objective, limit)


def _checked(part: PartSpec, o: PartOutcome) -> PartOutcome:
    """A part's outcome must account for exactly the jobs it was given."""
    if o.scheduled is None:
        return o
    if o.planned != len(part.jobs):
        raise PartsFailed(
            f"part {part.key}: {len(part.jobs)} stops sent, {o.planned} planned; no plan is written"
        )
    return o


def _suspect(o: PartOutcome) -> bool:
    return o.scheduled is None or o.unexplained_drops > 0


def _left(deadline: float) -> float:
    return deadline - time.monotonic()


def _out_of_time(plans: _Plans, share: float) -> bool:
    """Whether a step after the first round must be skipped for lack of time. Never in
    a deterministic search: it stops after a number of solutions, and skipping by the
    clock would make the plan depend on how busy the machine was."""
    return share < MIN_PART_TIME_S and not plans.config.deterministic


def _second_chance(
    states: list[_State], plans: _Plans, limit: float, deadline: float, workers: int
) -> list[_State]:
    """Re-solve suspect parts with more time; split those that still fail."""
    bad = [i for i, s in enumerate(states) if _suspect(s.outcome)]
    if not bad:
        return states
    waves = math.ceil(len(bad) / workers)
    retry = min(RETRY_TIME_FACTOR * limit, max(MIN_PART_TIME_S, _left(deadline) / waves))
    again = plans.run([states[i].part for i in bad], retry)
    still: list[int] = []
    for i, o in zip(bad, again, strict=True):
        old = states[i].outcome
        if old.scheduled is None or (o.scheduled is not None and o.served >= old.served):
            states[i] = _State(states[i].part, o, retried=True)
        else:
            states[i].retried = True
        if _suspect(states[i].outcome):
            still.append(i)
    out: list[_State] = []
    for i, s in enumerate(states):
        pieces = halves(plans.day, s.part) if i in still else [s.part]
        if len(pieces) < 2:
            if s.outcome.scheduled is None:
                raise NoPlanError(f"part {s.part.key}: {s.outcome.error}")
            out.append(s)
            continue
        res = plans.run(pieces, retry)
        split = [_State(p, o, True, True) for p, o in zip(pieces, res, strict=True)]
        failed = [x for x in split if x.outcome.scheduled is None]
        if failed:
            raise NoPlanError(f"part {failed[0].part.key}: {failed[0].outcome.error}")
        if s.outcome.scheduled is None or sum(x.outcome.served for x in split) > s.outcome.served:
            out.extend(split)
        else:
            out.append(s)
    return out


def _fleet_dropped(s: _State) -> list[int]:
    """Day job indices the part's solver left out."""
    return [s.part.jobs[k] for k in s.outcome.dropped]


def _pool_idle(
    states: list[_State], plans: _Plans, limit: float, deadline: float, size: int
) -> None:
    """Unused vehicles of every part serve stops the parts dropped (``pool.py``); the
    pooled part is kept when it serves anyone, and takes its stops and vehicles along."""
    parts = [(s.part, s.outcome.scheduled, _fleet_dropped(s)) for s in states]
    found = pool(plans.day, plans.allocation.assigned, parts, size)
    if found is None:
        return
    budget = max(MIN_PART_TIME_S, min(limit, _left(deadline) / 2))
    if _out_of_time(plans, _left(deadline) / 2):
        logger.info("by parts: no time left to pool idle vehicles (%.1f s)", _left(deadline))
        return
    (o,) = plans.run([found.part], budget)
    if o.scheduled is None or o.served == 0:
        return
    logger.info(
        "by parts: %d idle vehicles pooled served %d of %d dropped stops",
        len(found.part.vehicles),
        o.served,
        len(found.part.jobs),
    )
    for k in sorted(set(found.vehicles_from) | set(found.jobs_from)):
        s = states[k]
        gone = set(found.jobs_from.get(k, ()))
        idle = set(found.vehicles_from.get(k, ()))
        kept = tuple(j for j in s.part.jobs if j not in gone)
        index = {j: i for i, j in enumerate(kept)}
        dropped = tuple(index[j] for j in _fleet_dropped(s) if j not in gone)
        part = replace(
            s.part, jobs=kept, vehicles=tuple(v for v in s.part.vehicles if v not in idle)
        )
        outcome = replace(s.outcome, planned=len(kept), dropped=dropped)
        states[k] = _State(part, outcome, s.retried, s.split, s.repaired)
    states.append(_State(found.part, o))


def _has_spare(s: _State, day: Day) -> bool:
    sched = s.outcome.scheduled
    if sched is None or s.outcome.dropped:
        return False
    if len(sched.routes) < len(s.part.vehicles):
        return True
    shift = sum(day.vehicles[v].shift[1] - day.vehicles[v].shift[0] for v in s.part.vehicles)
    return sum(r.duration_s for r in sched.routes) < SPARE_SHARE * shift


def _route_time(o: PartOutcome) -> int:
    return sum(r.duration_s for r in o.scheduled.routes) if o.scheduled else 0


def _repair(states: list[_State], plans: _Plans, deadline: float, workers: int, batch: int) -> None:
    """Boundary repair: offer fleet-dropped stops to a neighbour with time to spare."""
    day = plans.day
    spare = [i for i, s in enumerate(states) if _has_spare(s, day)]
    pairs: list[tuple[int, int, list[int]]] = []

    def able(i: int, j: int) -> bool:  # kinds, capacity, loading place, officer areas
        depot = plans.allocation.assigned[j]
        return any(can_serve(day, v, j, depot) for v in states[i].part.vehicles)

    for a, s in enumerate(states):
        left = _fleet_dropped(s)
        helpers = [i for i in spare if any(able(i, j) for j in left)]
        if not left or not helpers or s.outcome.scheduled is None:
            continue
        b = min(helpers, key=lambda i: (distance_m(s.part.centroid, states[i].part.centroid), i))
        spare.remove(b)
        left = [j for j in left if able(b, j)]
        target = states[b].part.centroid
        left.sort(key=lambda j: (distance_m(day.locations[day.jobs[j].loc], target), j))
        pairs.append((a, b, left[:batch]))
    if not pairs:
        return
    waves = math.ceil(len(pairs) / workers)
    limit = max(MIN_PART_TIME_S, _left(deadline) / waves)
    if _out_of_time(plans, _left(deadline) / waves):
        logger.info("by parts: no time left for boundary repair (%.1f s)", _left(deadline))
        return
    trials = [with_jobs(states[b].part, moved) for _, b, moved in pairs]
    for (a, b, moved), trial, o in zip(pairs, trials, plans.run(trials, limit), strict=True):
        old = states[b].outcome
        if o.scheduled is None or old.scheduled is None:
            continue
        if (o.served, -_route_time(o)) <= (old.served, -_route_time(old)):
            continue
        states[b] = _State(trial, o, states[b].retried, states[b].split, True)
        sa = states[a]
        gone = set(moved)
        kept = tuple(j for j in sa.part.jobs if j not in gone)
        index = {j: k for k, j in enumerate(kept)}
        dropped = tuple(index[j] for j in _fleet_dropped(sa) if j not in gone)
        states[a] = _State(
            replace(sa.part, jobs=kept),
            replace(sa.outcome, planned=len(kept), dropped=dropped),
            sa.retried,
            sa.split,
            True,
        )

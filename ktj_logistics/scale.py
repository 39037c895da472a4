"""Plan a large day: decompose, solve the parts in parallel, repair, merge, verify.

The result is one ``Plan`` checked by the ordinary verifier against the *whole* scenario
(every household exactly once), so every exporter and ``ktj-route verify`` work as for a
small day. Steps after the first round of parts:

* **suspect parts** — a part whose solver dropped households while an allowed vehicle
  stayed idle (or that found no solution) is solved again with four times the time, and
  if that does not help, split in two;
* **boundary repair** — households a part left unserved for lack of fleet get a second
  chance in the nearest part with time to spare: that part is re-solved with them (and
  the first part's unused stock) and the new plan is kept only if it serves more, or as
  many in less route time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .decompose import Method, Part, decompose, halves, with_households
from .errors import NoPlanError
from .model import Scenario
from .parts import PartJob, PartOutcome
from .pipeline import PlanRejected, host_for
from .plan import Plan, UnservedReason
from .plugins import PluginHost
from .runners import Closing, PartRunner, PartsFailed, make_runner
from .shape import Shaped, shape
from .travel import travel_for
from .verify import verify_plan

PartsProgress = Callable[[int, int, int], None]  # parts done, parts known so far, served
RETRY_TIME_FACTOR = 4.0
SPARE_SHARE = 0.85
"""A part has time to spare when its routes use less than this share of its shifts."""


MIN_PART_TIME_S = 3.0
"""Least search time a part gets when the day's budget is shared out."""


@dataclass(frozen=True)
class ScaleOptions:
    part_size: int = 250
    method: Method = "sweep"
    workers: int = 2
    scheduler: str | None = None
    time_limit_s: float | None = None  # per part; default: the day's budget shared out
    deterministic: bool | None = None
    repair: bool = True
    repair_batch: int = 60
    rebalance: bool = True  # lend vehicles to areas far below their share of the fleet
    retry_time_s: float | None = None  # second chance of a suspect part; default 4x


@dataclass(frozen=True)
class PartReport:
    key: str
    households: int
    served: int
    unserved: int
    unexplained_drops: int
    wall_s: float
    retried: bool = False
    split: bool = False
    repaired: bool = False


@dataclass(frozen=True)
class ScaledResult:
    plan: Plan
    scenario: Scenario
    shaped: Shaped
    host: PluginHost
    parts: list[PartReport]
    runner: str


@dataclass
class _State:
    part: Part
    outcome: PartOutcome
    retried: bool = False
    split: bool = False
    repaired: bool = False


class _Counter:
    def __init__(self, progress: PartsProgress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.served: dict[str, int] = {}

    def expect(self, n: int) -> None:
        self.total += n

    def __call__(self, o: PartOutcome) -> None:
        self.done += 1
        # A repair trial ("K+") replaces K only if it serves more; halves ("K/1", "K/2")
        # replace K only if together they serve more.
        key = o.key.rstrip("+")
        self.served[key] = max(self.served.get(key, 0), o.served)
        if self.progress:
            self.progress(self.done, self.total, self.total_served())

    def total_served(self) -> int:
        roots: dict[str, int] = {}
        halves: dict[str, int] = {}
        for key, n in self.served.items():
            root, _, half = key.partition("/")
            if half:
                halves[root] = halves.get(root, 0) + n
            else:
                roots[root] = n
        return sum(max(roots.get(r, 0), halves.get(r, 0)) for r in {*roots, *halves})


def plan_large(
    scenario: Scenario,
    *,
    options: ScaleOptions | None = None,
    base_dir: Path | None = None,
    plugins_dirs: Sequence[Path] = (),
    progress: PartsProgress | None = None,
    runner: PartRunner | None = None,
) -> ScaledResult:
    """Plan ``scenario`` by parts (see module doc); a verified plan of the whole day."""
    opt = options or ScaleOptions()
    t0 = time.monotonic()
    host = host_for(scenario, base_dir, plugins_dirs)
    shaped = shape(scenario, host)
    parts = decompose(scenario, shaped, opt.part_size, opt.method, opt.rebalance)
    if opt.time_limit_s is not None:
        limit = opt.time_limit_s
    else:
        # The scenario's time limit is the day's wall budget: parts run side by side.
        share = scenario.settings.time_limit_s * max(1, opt.workers) / max(1, len(parts))
        limit = min(scenario.settings.time_limit_s, max(MIN_PART_TIME_S, share))
    det = scenario.settings.deterministic if opt.deterministic is None else opt.deterministic

    retry = opt.retry_time_s if opt.retry_time_s is not None else limit * RETRY_TIME_FACTOR

    def job(p: Part, again: bool = False) -> PartJob:
        return PartJob(
            p.key,
            p.scenario,
            retry if again else limit,
            det,
            str(base_dir) if base_dir else None,
            tuple(str(d) for d in plugins_dirs),
        )

    counter = _Counter(progress, len(parts))
    r = runner or make_runner(opt.scheduler, opt.workers, len(parts))
    with Closing(r) as r:
        outcomes = r.run([job(p) for p in parts], counter)
        states = [_State(p, _checked(p, o)) for p, o in zip(parts, outcomes, strict=True)]
        states = _second_chance(states, shaped, r, job, counter)
        if opt.repair:
            _repair(states, shaped, r, job, counter, opt.repair_batch)
    plans = [s.outcome.plan for s in states if s.outcome.plan is not None]
    merged = _merge(scenario, shaped, plans, time.monotonic() - t0, limit, det)
    travel = travel_for(scenario.settings.coordinates, scenario.settings.detour_factor)
    violations = verify_plan(scenario, merged, shaped, travel)
    if violations:
        raise PlanRejected(violations)
    reports = [
        PartReport(
            s.part.key,
            s.outcome.households_in,
            s.outcome.served,
            s.outcome.unserved,
            s.outcome.unexplained_drops,
            round(s.outcome.wall_s, 2),
            s.retried,
            s.split,
            s.repaired,
        )
        for s in states
    ]
    return ScaledResult(merged, scenario, shaped, host, reports, r.name)


def _merge(
    scenario: Scenario, shaped: Shaped, plans: list[Plan], wall: float, limit: float, det: bool
) -> Plan:
    from .merge import merge_plans

    return merge_plans(scenario, shaped, plans, wall_s=wall, time_limit_s=limit, deterministic=det)


def _checked(part: Part, o: PartOutcome) -> PartOutcome:
    """Count the part's plan against its input: a lost household stops the run."""
    if o.plan is None:
        return o
    got = sorted(x.household_id for x in o.plan.households)
    if got != sorted(part.household_ids) or not o.accounted:
        raise PartsFailed(
            f"part {part.key}: {len(part.household_ids)} households sent, "
            f"{len(got)} came back; no plan is written"
        )
    return o


def _suspect(o: PartOutcome) -> bool:
    return o.plan is None or o.unexplained_drops > 0


def _second_chance(
    states: list[_State],
    shaped: Shaped,
    runner: PartRunner,
    job: Callable[[Part, bool], PartJob],
    counter: _Counter,
) -> list[_State]:
    """Re-solve suspect parts with more time; split those that still fail."""
    bad = [i for i, s in enumerate(states) if _suspect(s.outcome)]
    if not bad:
        return states
    counter.expect(len(bad))
    again = runner.run([job(states[i].part, True) for i in bad], counter)
    still: list[int] = []
    for i, o in zip(bad, again, strict=True):
        o = _checked(states[i].part, o)
        old = states[i].outcome
        if old.plan is None or (o.plan is not None and o.served >= old.served):
            states[i] = _State(states[i].part, o, retried=True)
        else:
            states[i].retried = True
        if _suspect(states[i].outcome):
            still.append(i)
    if not still:
        return states
    out: list[_State] = []
    for i, s in enumerate(states):
        if i not in still:
            out.append(s)
            continue
        pieces = halves(s.part, shaped)
        if len(pieces) < 2:
            if s.outcome.plan is None:
                raise NoPlanError(f"part {s.part.key}: {s.outcome.error}")
            out.append(s)
            continue
        counter.expect(len(pieces))
        res = runner.run([job(p, True) for p in pieces], counter)
        split_states = [
            _State(p, _checked(p, o), True, True) for p, o in zip(pieces, res, strict=True)
        ]
        failed = [x for x in split_states if x.outcome.plan is None]
        if failed:
            raise NoPlanError(f"part {failed[0].part.key}: {failed[0].outcome.error}")
        split_served = sum(x.outcome.served for x in split_states)
        if s.outcome.plan is None or split_served > s.outcome.served:
            out.extend(split_states)
        else:
            out.append(s)
    return out


def _fleet_unserved(plan: Plan) -> list[str]:
    return [o.household_id for o in plan.households if o.reason == UnservedReason.fleet_capacity]


def _has_spare(s: _State) -> bool:
    plan = s.outcome.plan
    if plan is None or _fleet_unserved(plan):
        return False
    vehicles = s.part.scenario.vehicles
    if len(plan.routes) < len(vehicles):
        return True
    shift = sum(v.shift.as_seconds()[1] - v.shift.as_seconds()[0] for v in vehicles)
    return sum(r.duration_s for r in plan.routes) < SPARE_SHARE * shift


def _distance(a: Part, b: Part) -> float:
    k = math.cos(math.radians(a.centroid.lat))
    return math.hypot((a.centroid.lon - b.centroid.lon) * k, a.centroid.lat - b.centroid.lat)


def _repair(
    states: list[_State],
    shaped: Shaped,
    runner: PartRunner,
    job: Callable[[Part, bool], PartJob],
    counter: _Counter,
    batch: int,
) -> None:
    """Boundary repair: offer fleet-unserved households to a neighbour with time to spare."""
    spare = [i for i, s in enumerate(states) if _has_spare(s)]
    pairs: list[tuple[int, int, list[str]]] = []
    for a, s in enumerate(states):
        plan = s.outcome.plan
        if plan is None or not spare:
            continue
        left = _fleet_unserved(plan)
        if not left:
            continue
        b = min(spare, key=lambda i: (_distance(s.part, states[i].part), i))
        spare.remove(b)
        moved = _whole_groups(left, shaped, set(left))
        by_id = {h.id: h for h in s.part.scenario.households}
        target = states[b].part.centroid
        moved.sort(
            key=lambda h: (
                (by_id[h].location.lat - target.lat) ** 2
                + (by_id[h].location.lon - target.lon) ** 2,
                h,
            )
        )
        pairs.append((a, b, _whole_groups(moved[:batch], shaped, set(left))))
    if not pairs:
        return
    trials: list[Part] = []
    for a, b, moved in pairs:
        sa = states[a]
        by_id = {h.id: h for h in sa.part.scenario.households}
        assert sa.outcome.plan is not None
        unused = {u.source_id: dict(u.left) for u in sa.outcome.plan.sources}
        trials.append(with_households(states[b].part, [by_id[h] for h in moved], unused))
    counter.expect(len(trials))
    results = runner.run([job(p, False) for p in trials], counter)
    for (a, b, moved), trial, o in zip(pairs, trials, results, strict=True):
        o = _checked(trial, o)
        old = states[b].outcome
        if o.plan is None or old.plan is None:
            continue
        new_time = sum(r.duration_s for r in o.plan.routes)
        old_time = sum(r.duration_s for r in old.plan.routes)
        if (o.served, -new_time) <= (old.served, -old_time):
            continue
        states[b] = _State(trial, o, states[b].retried, states[b].split, True)
        sa = states[a]
        gone = set(moved)
        assert sa.outcome.plan is not None
        kept_plan = sa.outcome.plan.model_copy(
            update={
                "households": [x for x in sa.outcome.plan.households if x.household_id not in gone],
                # Its unused stock went with the households; what it loaded stays its own.
                "sources": [
                    u.model_copy(update={"stock": dict(u.used), "left": {}})
                    for u in sa.outcome.plan.sources
                ],
            }
        )
        kept_sc = sa.part.scenario.model_copy(
            update={"households": [h for h in sa.part.scenario.households if h.id not in gone]}
        )
        states[a] = _State(
            replace(sa.part, scenario=kept_sc),
            replace(
                sa.outcome,
                plan=kept_plan,
                households_in=sa.outcome.households_in - len(gone),
                unserved=sa.outcome.unserved - len(gone),
            ),
            sa.retried,
            sa.split,
            True,
        )


def _whole_groups(ids: list[str], shaped: Shaped, allowed: set[str]) -> list[str]:
    """``ids`` with every stop group completed (only from ``allowed``), order kept."""
    out: list[str] = []
    seen: set[str] = set()
    for h in ids:
        g = shaped.households[h].group
        members = shaped.groups[g].household_ids if g is not None else (h,)
        if not all(m in allowed for m in members):
            continue
        for m in members:
            if m not in seen:
                seen.add(m)
                out.append(m)
    return out

"""Stage 4 — allocate: which source supplies which stop, for the whole day at once.

Stops are taken in priority order (ties by id, so the result is reproducible) and each
gets the nearest source that still has every item it needs, whose earmark admits all of
its households, and from which some vehicle allowed at the stop could load and arrive in
time. When every such source has run out, an augmenting path is tried before giving up:
a more urgent stop already placed moves to another source it may use (and so on, up to
one move per source), freeing the stock. Without it a stop that could use A or B, placed
at A because A is nearer, would take the last of A from a later stop that only A may
serve (an earmark, a special item) although stock is not short at all. For stops needing
one unit of one item this is the greedy algorithm on a transversal matroid, which is
exact: the households left out for stock are precisely the least urgent (ties aside).

When no source it may use has every item left, a stop still goes ahead with what one
source has, as ``Settings.partial_delivery`` allows (``Cut``: what each household misses,
and why). A stop loads at one source: its pickup is one place in the routing model, and
a household whose items must come from two places is already several visits (jobs),
each with its own source, when it is too big for one vehicle.

A stop no source or vehicle can serve is set aside here with its reason, judged against
the whole day's stock and fleet — so a large day planned by parts gives the same reasons
as a small one. Only rectangular costs are needed (bases and sources to stops, stops to
bases), never a matrix over every pair of stops.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ._cost import Costs, Profile, TravelModel
from ._jobs import Sizes, with_shares
from ._plan import UnservedReason
from ._problem import Day, Depot, Job, VehicleSpec, first_start
from ._scenario import Location, Scenario
from ._shortage import Cut, cut_of, partial


@dataclass(frozen=True)
class Excluded:
    """Why a stop is not offered to the solver at all."""

    reason: UnservedReason
    detail: str
    short_items: tuple[str, ...] = ()  # for stock_shortfall: the items that ran out


@dataclass(frozen=True)
class Allocation:
    assigned: Mapping[int, int]  # job -> depot, for the jobs offered to the solver
    excluded: Mapping[int, Excluded]
    cut: Mapping[int, Cut] = field(default_factory=dict)

    def offered(self, day: Day) -> Day:
        """``day`` with each cut stop replaced by what it really carries."""
        return day.with_jobs({j: c.job for j, c in self.cut.items()})


class Reach:
    """Travel between the day's bases/sources and its stops, per vehicle profile.

    Rows of ``out`` are the non-stop places (bases and sources, by their place index),
    columns the stops; ``back`` goes from each stop to each base.
    """

    def __init__(self, day: Day, travel: TravelModel) -> None:
        stops = sorted({j.loc for j in day.jobs})
        hubs = sorted({v.loc for v in day.vehicles} | {d.loc for d in day.depots})
        bases = sorted({v.loc for v in day.vehicles})
        self.stop_col = {loc: i for i, loc in enumerate(stops)}
        self.hub_row = {loc: i for i, loc in enumerate(hubs)}
        self.base_col = {loc: i for i, loc in enumerate(bases)}
        profiles = list(day.profiles())
        at = day.locations
        pts = [at[i] for i in stops]

        def costs(a: list[int], b: list[Location]) -> dict[Profile, Costs]:
            found = travel.costs([at[i] for i in a], b, profiles) if a and b else []
            return dict(zip(profiles, found, strict=False))

        self.out = costs(hubs, pts)
        self.hub = costs(hubs, [at[i] for i in hubs])
        self.back = (
            dict(zip(profiles, travel.costs(pts, [at[i] for i in bases], profiles), strict=False))
            if pts and bases
            else {}
        )

    def can_serve(self, job: Job, depot: Depot, v: VehicleSpec, service_s: int) -> bool:
        """Can ``v`` load at ``depot`` and serve ``job`` within windows and its shift?"""
        p = v.profile
        start, end = v.shift
        hub = self.hub[p].duration
        t = max(start + int(hub[self.hub_row[v.loc], self.hub_row[depot.loc]]), depot.window[0])
        if t > depot.window[1]:
            return False
        t += depot.loading_s
        col = self.stop_col[job.loc]
        arrive = first_start(
            job.windows, t + int(self.out[p].duration[self.hub_row[depot.loc], col])
        )
        if arrive is None:
            return False
        back = int(self.back[p].duration[col, self.base_col[v.loc]])
        return arrive + service_s + back <= end

    def distance(self, depot: Depot, job: Job) -> int:
        costs = next(iter(self.out.values()))
        return int(costs.distance[self.hub_row[depot.loc], self.stop_col[job.loc]])


def allocate(
    scenario: Scenario, day: Day, travel: TravelModel, first: Sequence[int] = ()
) -> Allocation:
    """Assign a source to every stop that can be served; a reason for every other.

    Stops in ``first`` (job indices) are placed before all others, in that order: stock
    fairness reserves (``_fairness``) go first, the rest by priority.
    """
    reach = Reach(day, travel)
    by_id = {h.id: h for h in scenario.households}
    sources = scenario.source_by_id()
    depots = day.depots
    rule = scenario.settings.partial_delivery
    sizes = Sizes.of(scenario, day.items)
    left = [list(d.stock) for d in depots]
    assigned: dict[int, int] = {}
    options: dict[int, list[int]] = {}  # job -> sources it may use, for augmenting paths
    excluded: dict[int, Excluded] = {}
    cut: dict[int, Cut] = {}
    order = sorted(range(len(day.jobs)), key=lambda j: (-day.jobs[j].priority, day.jobs[j].id))
    if first:
        head = list(dict.fromkeys(first))
        ahead = set(head)
        order = head + [j for j in order if j not in ahead]
    for j in order:
        job = day.jobs[j]
        early = _set_aside(job, day.vehicles)
        if early is not None:
            excluded[j] = early
            continue
        fits = [v for v in day.vehicles if v.may_serve(job) and _fits_vehicle(job, v)]
        earmarked_ok = [
            k
            for k, d in enumerate(depots)
            if (ear := sources[d.id].earmark) is None
            or all(ear.allows(by_id[h]) for h in job.household_ids)
        ]
        reachable = [
            k
            for k in earmarked_ok
            if any(
                k in v.depots
                and reach.can_serve(
                    job, depots[k], v, job.service_s + job.extra_service_s.get(v.kind, 0)
                )
                for v in fits
            )
        ]
        has_items = [k for k in earmarked_ok if _covers(depots[k].stock, job.demand)]
        loadable = [k for k in has_items if any(k in v.depots for v in fits)]
        in_time = [k for k in loadable if k in reachable]
        with_stock = [k for k in in_time if _covers(left[k], job.demand)]
        options[j] = in_time
        if with_stock:
            k = min(with_stock, key=lambda k: (reach.distance(depots[k], job), k))
            assigned[j] = k
            left[k] = [s - n for s, n in zip(left[k], job.demand, strict=True)]
            continue
        if in_time and _augment(j, day.jobs, options, assigned, left):
            continue
        metres = {k: reach.distance(depots[k], job) for k in reachable}
        part = partial(day, job, reachable, left, rule, sizes, metres)
        if part is not None:
            k, shares = part
            offered = with_shares(job, shares, sizes)
            assigned[j], options[j] = k, []  # a cut stop is not moved by augmenting paths
            left[k] = [s - n for s, n in zip(left[k], offered.demand, strict=True)]
            cut[j] = cut_of(day, job, offered, shares, k, reachable, left)
            continue
        excluded[j] = _why_not(day, job, earmarked_ok, has_items, loadable, in_time, left)
    return Allocation(assigned, excluded, cut)


def _fits_vehicle(job: Job, v: VehicleSpec) -> bool:
    """``job.parcels`` counts package places; small items weigh only."""
    return job.parcels <= v.cap_parcels and job.weight_g <= v.cap_weight_g


def _covers(have: Sequence[int], need: Sequence[int]) -> bool:
    return all(n <= h for n, h in zip(need, have, strict=True))


def _set_aside(job: Job, vehicles: Sequence[VehicleSpec]) -> Excluded | None:
    """Reasons that hold whatever the stock: nothing asked, no window, no vehicle fits."""
    if not any(job.demand):
        return Excluded(UnservedReason.nothing_needed, "no items requested")
    if job.window_conflict:
        return Excluded(UnservedReason.time_window, job.conflict_detail)
    eligible = [v for v in vehicles if v.may_serve(job)]
    if not eligible:
        if any(v.kind in job.kinds for v in vehicles):
            return Excluded(
                UnservedReason.no_eligible_vehicle,
                "no vehicle allowed at this stop works in its area (officer areas)",
            )
        fleet = sorted({v.kind.value for v in vehicles})
        allowed = sorted(k.value for k in job.kinds) or ["none"]
        return Excluded(
            UnservedReason.no_eligible_vehicle,
            f"vehicle kinds allowed here: {', '.join(allowed)}; the fleet has {', '.join(fleet)}",
        )
    if not any(_fits_vehicle(job, v) for v in eligible):
        biggest = max(eligible, key=lambda v: (v.cap_parcels, v.cap_weight_g, v.id))
        other = [v for v in vehicles if v.kind not in job.kinds and _fits_vehicle(job, v)]
        would = (
            f"; {other[0].id} ({other[0].kind.value}) would carry it but may not come here"
            if other
            else "; no vehicle of the fleet carries it"
        )
        return Excluded(
            UnservedReason.exceeds_vehicle_capacity,
            f"one load of it takes {job.parcels} package places ({job.weight_g / 1000:g} kg) "
            f"and cannot be split further; the largest allowed vehicle ({biggest.id}) "
            f"carries {biggest.cap_parcels} ({biggest.cap_weight_g / 1000:g} kg){would}",
        )
    return None


def _why_not(
    day: Day,
    job: Job,
    earmarked_ok: list[int],
    has_items: list[int],
    loadable: list[int],
    in_time: list[int],
    left: list[list[int]],
) -> Excluded:
    depots = day.depots
    if not has_items:
        short = [
            item
            for i, item in enumerate(day.items)
            if job.demand[i] and not any(depots[k].stock[i] >= job.demand[i] for k in earmarked_ok)
        ]
        return Excluded(
            UnservedReason.stock_shortfall,
            f"no permitted source stocks {', '.join(short) or 'these items'}",
            tuple(short),
        )
    if not loadable:
        return Excluded(
            UnservedReason.no_eligible_vehicle,
            "no allowed vehicle may load at a source that has its items",
        )
    if not in_time:
        return Excluded(
            UnservedReason.time_window,
            "no allowed vehicle can load and arrive within its window and shift",
        )
    short = [
        item
        for i, item in enumerate(day.items)
        if job.demand[i] and not any(left[k][i] >= job.demand[i] for k in in_time)
    ]
    return Excluded(
        UnservedReason.stock_shortfall,
        f"stock of {', '.join(short) or 'its items'} ran out for more urgent households",
        tuple(short),
    )


def _augment(
    j: int,
    jobs: Sequence[Job],
    options: dict[int, list[int]],
    assigned: dict[int, int],
    left: list[list[int]],
) -> bool:
    """Place job ``j`` by moving already placed jobs along a chain of sources (BFS).

    A step "source a → source b by job x" is possible when x sits at a, may use b, and
    taking x off a makes room at a for what the chain needs there. The first chain that
    ends at a source with room for its last mover is applied; ``assigned`` and ``left``
    change only then. Each source is entered at most once, so this is O(sources × jobs).
    """
    at: dict[int, list[int]] = {}
    for x, k in assigned.items():
        at.setdefault(k, []).append(x)
    need: dict[int, tuple[int, ...]] = {}
    parent: dict[int, tuple[int, int] | None] = {}
    frontier: list[int] = []
    for k in options[j]:
        parent[k] = None
        need[k] = jobs[j].demand
        frontier.append(k)
    while frontier:
        nxt: list[int] = []
        for a in frontier:
            for x in sorted(at.get(a, ())):
                freed = [h + d for h, d in zip(left[a], jobs[x].demand, strict=True)]
                if not _covers(freed, need[a]):
                    continue
                for b in options.get(x, ()):
                    if b in parent:
                        continue
                    parent[b] = (a, x)
                    need[b] = jobs[x].demand
                    if _covers(left[b], need[b]):
                        _apply(j, b, parent, jobs, assigned, left)
                        return True
                    nxt.append(b)
        frontier = nxt
    return False


def _apply(
    j: int,
    end: int,
    parent: dict[int, tuple[int, int] | None],
    jobs: Sequence[Job],
    assigned: dict[int, int],
    left: list[list[int]],
) -> None:
    b = end
    while (step := parent[b]) is not None:
        a, x = step
        assigned[x] = b
        left[b] = [h - d for h, d in zip(left[b], jobs[x].demand, strict=True)]
        left[a] = [h + d for h, d in zip(left[a], jobs[x].demand, strict=True)]
        b = a
    assigned[j] = b
    left[b] = [h - d for h, d in zip(left[b], jobs[j].demand, strict=True)]

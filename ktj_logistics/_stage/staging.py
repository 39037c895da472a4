"""The staging stage: hubs stocked by trunk runs, and stops supplied through them.

1. ``shipments``: stops whose hub is much nearer than their source are supplied through
   the hub, in shipments a trunk vehicle carries;
2. the trunk runs are planned (``trunk.py``); shipments they cannot carry are dropped;
3. each unloading becomes a loading place for officers — a ``Depot`` at the hub holding
   exactly that shipment, open from the moment it is unloaded (``origin`` names the
   source, so earmarks and the plan's ``source_id`` keep the stock's provenance);
4. a stop that no officer could then reach in its window (the stock comes too late) goes
   back to its source, and the trunk runs carry that much less.

The result is the day the delivery search sees: the hub depots added, its stops
assigned to them, and the trunk runs to add to the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .._allocate import Allocation, Reach
from .._cost import TravelModel
from .._log import logger
from .._problem import Day, Depot
from .._scenario import Scenario
from .._schedule import Scheduled
from .._solve.types import SearchConfig, SolveFn
from .catchment import Shipment, hubs_of, pack, reach_times, resource
from .fleet import Fleet
from .places import HubPlace, hub_places, loaders
from .trunk import TrunkRun, solve_trunk, trimmed, trunk_problem, trunk_routes, unload_times

TRUNK_SHARE = 0.1
"""Share of the day's search time the trunk runs get (between the two bounds below)."""
TRUNK_MIN_S, TRUNK_MAX_S = 1.0, 5.0


@dataclass(frozen=True)
class Staged:
    """The delivery day with its hubs stocked, and the trunk runs that stock them."""

    day: Day
    allocation: Allocation
    trunk: Scheduled
    search_s: float  # search time the trunk runs took from the day's budget
    shipments: int = 0
    staged_stops: int = 0


def trunk_time(config: SearchConfig) -> float:
    return min(TRUNK_MAX_S, max(TRUNK_MIN_S, TRUNK_SHARE * config.time_limit_s))


def stage(
    scenario: Scenario,
    fleet: Fleet,
    allocation: Allocation,
    travel: TravelModel,
    config: SearchConfig,
    solve_fn: SolveFn,
) -> Staged:
    """Stock the scenario's hubs for the stops near them (see module doc).

    Shipments carry what each stop is offered (``Allocation.offered``: a stop cut to
    what is in stock carries less); the staged day keeps the jobs as shaped, so the
    plan still says what each household misses."""
    day = fleet.day
    offered = allocation.offered(day)
    hubs = hub_places(scenario)
    able = loaders(scenario, day.vehicles, hubs)
    staged = hubs_of(offered, allocation.assigned, hubs, able, travel)
    ready = reach_times(day, hubs, fleet.trunk, travel)
    sources = resource(offered, allocation.assigned, staged, ready, _earmarks(scenario, day))
    ships = pack(offered, sources, staged, fleet.trunk)
    if not ships:
        return Staged(day, allocation, Scheduled(), 0.0)
    limit = trunk_time(config)
    cfg = replace(config, time_limit_s=limit, portfolio=False, workers=1, decompose=False)
    problem = trunk_problem(offered, fleet.trunk, ships, hubs, travel, ready)
    run = TrunkRun(problem, solve_trunk(problem, cfg, solve_fn))
    arrived = unload_times(run)
    # Stops whose stock would come too late go back to their source.
    tentative = _with_hubs(scenario, offered, hubs, ships, arrived)
    reach = Reach(tentative, travel)
    kept: list[Shipment] = []
    for n, s in enumerate(ships):
        k = len(day.depots) + sorted(arrived).index(n) if n in arrived else -1
        kept.append(Shipment(s.hub, s.depot))
        for j in s.jobs if n in arrived else []:
            if _reachable(tentative, reach, j, k):
                kept[-1].add(j, offered.jobs[j])
    ships = kept
    run = trimmed(run.problem, run.routes, ships)
    arrived = unload_times(run)
    staged_day = _with_hubs(scenario, day, hubs, ships, arrived)
    assigned = dict(sources)  # a stop not shipped loads at its (new) source itself
    for k, n in enumerate(sorted(arrived), start=len(day.depots)):
        for j in ships[n].jobs:
            assigned[j] = k
    moved = sum(len(ships[n].jobs) for n in arrived)
    logger.info(
        "stage: %d stops supplied through %d hubs in %d shipments",
        moved,
        len({ships[n].hub for n in arrived}),
        len(arrived),
    )
    return Staged(
        staged_day,
        Allocation(assigned, allocation.excluded, allocation.cut),
        trunk_routes(run, hubs, ships),
        limit,
        len(arrived),
        moved,
    )


def _earmarks(scenario: Scenario, day: Day) -> Callable[[int, int], bool]:
    """Whether stop ``j`` may take stock of source ``k`` (its earmark admits them all)."""
    households = {h.id: h for h in scenario.households}
    marks = [scenario.source_by_id()[d.id].earmark for d in day.depots]

    def may_use(j: int, k: int) -> bool:
        mark = marks[k]
        return mark is None or all(mark.allows(households[h]) for h in day.jobs[j].household_ids)

    return may_use


def _reachable(day: Day, reach: Reach, j: int, k: int) -> bool:
    """Can an officer who may serve stop ``j`` load at hub depot ``k`` and get there?"""
    job, depot = day.jobs[j], day.depots[k]
    return any(
        v.may_serve(job)
        and k in v.depots
        and job.parcels <= v.cap_parcels
        and job.weight_g <= v.cap_weight_g
        and reach.can_serve(job, depot, v, job.service_s + job.extra_service_s.get(v.kind, 0))
        for v in day.vehicles
    )


def _with_hubs(
    scenario: Scenario,
    day: Day,
    hubs: Sequence[HubPlace],
    ships: Sequence[Shipment],
    arrived: dict[int, int],
) -> Day:
    """``day`` with one depot per unloaded shipment (in shipment order), open at its hub
    from when it was unloaded; vehicles that may load at a hub get its depots."""
    locations = list(day.locations)
    hub_loc: dict[int, int] = {}
    for h, hub in enumerate(hubs):
        hub_loc[h] = len(locations)
        locations.append(hub.location)
    depots = list(day.depots)
    by_hub: dict[int, list[int]] = {}
    for n in sorted(arrived):
        s, hub = ships[n], hubs[ships[n].hub]
        by_hub.setdefault(s.hub, []).append(len(depots))
        depots.append(
            Depot(
                id=hub.id,
                label=hub.label,
                loc=hub_loc[s.hub],
                window=(max(arrived[n], hub.window[0]), hub.window[1]),
                loading_s=hub.loading_s,
                stock=tuple(s.demand),
                kinds=hub.kinds,
                origin=day.depots[s.depot].id,
            )
        )
    able = loaders(scenario, day.vehicles, hubs)
    vehicles = tuple(
        replace(
            v,
            depots=v.depots | {k for h, ks in by_hub.items() if i in able[h] for k in ks},
        )
        for i, v in enumerate(day.vehicles)
    )
    return replace(day, locations=tuple(locations), depots=tuple(depots), vehicles=vehicles)

"""Which stops are supplied through which hub, from which source, in which shipments.

1. **Hub.** A stop the allocation supplied from source S goes through hub H when H's
   stock is for it (H's area covers it, or, among hubs without an area, H is the
   nearest) and H is nearer to it than S by more than ``MARGIN_M``: an officer's trip
   then starts next to the stop instead of across the city.
2. **Source.** Once stops go through hubs, their source no longer decides how far an
   officer rides — it decides when the stock reaches the hub. So the staged stops, most
   urgent first, take stock from the source whose shipment can reach their hub
   earliest (the Polres stock at 07:00 rather than the Polda's at 10:00): a move when
   that source has stock to spare, else a swap with a less urgent staged stop needing
   the same items. Earmarks hold; every source gives out what it gave before, or less.
3. **Shipments.** The stops of one (hub, source) pair are packed, most urgent first,
   into loads one trunk vehicle carries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._cost import Profile, TravelModel
from .._kinds import VehicleKind
from .._problem import Day, Job, VehicleSpec
from .places import HubPlace

MARGIN_M = 500
"""How much nearer than its source a hub must be for a stop to be supplied through it."""
EARLIER_S = 15 * 60
"""A source must reach the hub this much earlier for a staged stop to change to it."""


@dataclass
class Shipment:
    """Stock of one source for some stops of one hub: one unloading by a trunk vehicle."""

    hub: int
    depot: int  # the source, as an index of Day.depots
    jobs: list[int] = field(default_factory=list)
    demand: list[int] = field(default_factory=list)
    parcels: int = 0  # package places (``Job.parcels``), as trunk capacity counts them
    weight_g: int = 0
    priority: float = 0.0

    def add(self, j: int, job: Job) -> None:
        self.jobs.append(j)
        base = self.demand or [0] * len(job.demand)
        self.demand = [a + b for a, b in zip(base, job.demand, strict=True)]
        self.parcels += job.parcels
        self.weight_g += job.weight_g
        self.priority = max(self.priority, job.priority)


def _urgent_first(day: Day, jobs: Sequence[int]) -> list[int]:
    return sorted(jobs, key=lambda j: (-day.jobs[j].priority, day.jobs[j].id))


def hubs_of(
    day: Day,
    assigned: Mapping[int, int],
    hubs: Sequence[HubPlace],
    hub_loaders: Sequence[frozenset[int]],
    travel: TravelModel,
) -> dict[int, int]:
    """The hub each stop is supplied through (stops supplied directly are left out)."""
    jobs = sorted(assigned)
    if not jobs or not hubs:
        return {}
    probe = Profile(VehicleKind.car, 18.0)  # distances only; any profile gives them
    places = [h.location for h in hubs] + [day.locations[d.loc] for d in day.depots]
    (costs,) = travel.costs(places, [day.locations[day.jobs[j].loc] for j in jobs], [probe])
    dist = costs.distance
    out: dict[int, int] = {}
    for col, j in enumerate(jobs):
        job = day.jobs[j]
        pool = [h for h, hub in enumerate(hubs) if hub.covers(job)] or [
            h for h, hub in enumerate(hubs) if hub.area is None
        ]
        if not pool:
            continue
        h = min(pool, key=lambda h: (int(dist[h, col]), h))
        if int(dist[h, col]) + MARGIN_M >= int(dist[len(hubs) + assigned[j], col]):
            continue
        if any(
            day.vehicles[v].may_serve(job)
            and job.parcels <= day.vehicles[v].cap_parcels
            and job.weight_g <= day.vehicles[v].cap_weight_g
            for v in hub_loaders[h]
        ):
            out[j] = h  # an officer who may serve it loads at this hub
    return out


NEVER = 10**9
"""Reach time of a source no trunk vehicle may load at."""


def reach_times(
    day: Day, hubs: Sequence[HubPlace], trunk: Sequence[VehicleSpec], travel: TravelModel
) -> list[list[int]]:
    """Earliest time (s) a trunk vehicle can bring each source's stock (rows) to each
    hub (columns): from its base to the source, loading once open, on to the hub."""
    out = np.full((len(day.depots), len(hubs)), NEVER, dtype=np.int64)
    for v in trunk:
        base = day.locations[v.loc]
        srcs = [day.locations[d.loc] for d in day.depots]
        (to_src,) = travel.costs([base], srcs, [v.profile])
        (to_hub,) = travel.costs(srcs, [h.location for h in hubs], [v.profile])
        for k in v.depots:
            d = day.depots[k]
            ready = max(v.shift[0] + int(to_src.duration[0, k]), d.window[0]) + d.loading_s
            out[k] = np.minimum(out[k], ready + to_hub.duration[k])
    return [[int(t) for t in row] for row in out.tolist()]


def resource(
    day: Day,
    assigned: Mapping[int, int],
    staged: Mapping[int, int],
    ready: Sequence[Sequence[int]],
    may_use: Callable[[int, int], bool],
) -> dict[int, int]:
    """Staged stops re-pointed to the source whose stock reaches their hub soonest
    (see module doc); returns the new assignment of every assigned stop."""
    out = dict(assigned)
    left = [list(d.stock) for d in day.depots]
    for j, k in assigned.items():
        left[k] = [a - b for a, b in zip(left[k], day.jobs[j].demand, strict=True)]
    order = _urgent_first(day, list(staged))
    rank = {j: i for i, j in enumerate(order)}
    for j in order:
        h, demand = staged[j], day.jobs[j].demand
        better = sorted(
            (
                k
                for k in range(len(day.depots))
                if ready[k][h] < NEVER and ready[k][h] + EARLIER_S <= ready[out[j]][h]
            ),
            key=lambda k: (ready[k][h], k),
        )
        for k in better:
            if not may_use(j, k):
                continue
            if all(n <= a for n, a in zip(demand, left[k], strict=True)):
                old = out[j]
                left[old] = [a + b for a, b in zip(left[old], demand, strict=True)]
                left[k] = [a - b for a, b in zip(left[k], demand, strict=True)]
                out[j] = k
                break
            partner = _swap_partner(day, out, order, rank[j], k, may_use)
            if partner is not None:
                out[partner], out[j] = out[j], k
                break
    return out


def _swap_partner(
    day: Day,
    out: Mapping[int, int],
    order: Sequence[int],
    after: int,
    k: int,
    may_use: Callable[[int, int], bool],
) -> int | None:
    """The least urgent staged stop at source ``k`` needing the same items as
    ``order[after]`` and allowed its source: the two exchange sources."""
    j = order[after]
    for b in reversed(order[after + 1 :]):
        if out[b] != k or day.jobs[b].demand != day.jobs[j].demand:
            continue
        if may_use(b, out[j]):
            return b
    return None


def pack(
    day: Day,
    sources: Mapping[int, int],
    staged: Mapping[int, int],
    trunk: Sequence[VehicleSpec],
) -> list[Shipment]:
    """Shipments of (hub, source) stock, each within what one trunk vehicle carries."""
    biggest = {
        k: max(((v.cap_parcels, v.cap_weight_g) for v in trunk if k in v.depots), default=(0, 0))
        for k in range(len(day.depots))
    }
    open_: dict[tuple[int, int], Shipment] = {}
    out: list[Shipment] = []
    for j in _urgent_first(day, list(staged)):
        job, h, k = day.jobs[j], staged[j], sources[j]
        cap_parcels, cap_g = biggest[k]
        if job.parcels > cap_parcels or job.weight_g > cap_g:
            continue
        ship = open_.get((h, k))
        if (
            ship is None
            or ship.parcels + job.parcels > cap_parcels
            or ship.weight_g + job.weight_g > cap_g
        ):
            ship = open_[(h, k)] = Shipment(h, k)
            out.append(ship)
        ship.add(j, job)
    return out

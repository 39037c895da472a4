"""Idle vehicles pooled: a vehicle its part left unused serves stops other parts dropped.

Parts are planned apart, so a car can stand unused in one part (every stop there served,
or the stops it dropped all in alleys a car may not enter) while another part leaves
households out for lack of fleet. After the parts and their retries, the vehicles no
route used form one more part with the fleet-dropped stops they may serve (kinds, loads,
loading places, officer areas), most urgent first, then nearest to them, up to a part's
size. What that part serves is a pure gain — the stops were left out, the vehicles
unused — so it is kept whenever it serves anyone; the stops it was given leave the parts
that dropped them, and its vehicles leave theirs, so each stop and each vehicle still
belongs to exactly one part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .._problem import Day
from .._scenario import Location
from .._schedule import Scheduled
from .able import can_serve
from .decompose import PartSpec, distance_m

POOL_KEY = "pool"


@dataclass(frozen=True)
class Pool:
    """The pooled part, and what each original part gives up to it."""

    part: PartSpec
    vehicles_from: dict[int, tuple[int, ...]]  # part index -> its vehicles that move
    jobs_from: dict[int, tuple[int, ...]]  # part index -> its dropped jobs that move


def _unused(day: Day, part: PartSpec, scheduled: Scheduled | None) -> tuple[int, ...]:
    if scheduled is None:
        return ()
    used = {r.vehicle_id for r in scheduled.routes if r.stops}
    return tuple(v for v in part.vehicles if day.vehicles[v].id not in used)


def pool(
    day: Day,
    assigned: Mapping[int, int],
    parts: Sequence[tuple[PartSpec, Scheduled | None, Sequence[int]]],
    size: int,
) -> Pool | None:
    """The pooled part of ``parts`` (each: spec, its routes, the day jobs it dropped), or
    None when no unused vehicle may serve a dropped stop."""
    idle = {k: _unused(day, spec, sched) for k, (spec, sched, _) in enumerate(parts)}
    vehicles = sorted(v for vs in idle.values() for v in vs)
    if not vehicles:
        return None
    bases = [day.locations[day.vehicles[v].loc] for v in vehicles]
    where: dict[int, int] = {}
    for k, (_, _, dropped) in enumerate(parts):
        for j in dropped:
            if any(can_serve(day, v, j, assigned[j]) for v in vehicles):
                where[j] = k
    if not where:
        return None

    def nearest_base(j: int) -> float:
        at = day.locations[day.jobs[j].loc]
        return min(distance_m(at, b) for b in bases)

    order = sorted(where, key=lambda j: (-day.jobs[j].priority, nearest_base(j), j))
    chosen: list[int] = []
    households = 0
    for j in order:
        n = len(day.jobs[j].household_ids)
        if chosen and households + n > size:
            break
        chosen.append(j)
        households += n
    jobs_from: dict[int, list[int]] = {}
    for j in chosen:
        jobs_from.setdefault(where[j], []).append(j)
    spots = [day.locations[day.jobs[j].loc] for j in chosen]
    centre = Location(
        lat=sum(p.lat for p in spots) / len(spots), lon=sum(p.lon for p in spots) / len(spots)
    )
    return Pool(
        PartSpec(POOL_KEY, "", tuple(vehicles), tuple(sorted(chosen)), centre),
        {k: vs for k, vs in idle.items() if vs},
        {k: tuple(sorted(js)) for k, js in jobs_from.items()},
    )

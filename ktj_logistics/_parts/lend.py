"""Lend vehicles of a kind to the parts whose stops only that kind may serve.

The decomposition shares vehicles between areas by the work each can do, whatever its
kind; but a dense kampung's gang take motorbikes only, so a part full of them with half
its fleet in cars drops households while motorbikes elsewhere serve stops a car could
reach. Here, per kind, each part's *exclusive* need (package places of the stops that
only this kind of the day's fleet may serve) is set against its fleet of that kind, and
a part below its share borrows the nearest vehicle of the kind from a part better
provided — never leaving a lender worse off than the borrower, nor without a vehicle.

On by default (``PartsSettings.lend_by_kind``): shared by total need only, a
2,000-household day left 54 gang households of Tebet out while Kebayoran Baru's 13
motorbikes rode street households its cars could serve (docs/scale.md has the figures).
``lend_idle`` goes further in a fairness re-solve: vehicles an earlier plan left idle
move to the parts where areas below the floor lost households.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .._kinds import VehicleKind
from .._problem import Day
from .decompose import PartSpec, distance_m, vehicle_capability

LEND_BELOW = 1.0
"""A part whose fleet of a kind is below this share of its fair part borrows (0.8 served
as many on the 600-household days and 16-17 fewer on the 2,000-household ones)."""


def lend_by_kind(day: Day, parts: list[PartSpec]) -> list[PartSpec]:
    """``parts`` with vehicles moved so that stops only one kind may serve have it."""
    vehicles = [list(p.vehicles) for p in parts]
    fleet = frozenset(v.kind for v in day.vehicles)
    for kind in sorted(fleet):
        _lend(day, parts, vehicles, kind, fleet)
    return [replace(p, vehicles=tuple(vs)) for p, vs in zip(parts, vehicles, strict=True)]


def _lend(
    day: Day,
    parts: list[PartSpec],
    vehicles: list[list[int]],
    kind: VehicleKind,
    fleet: frozenset[VehicleKind],
) -> None:
    only = [[j for j in p.jobs if day.jobs[j].kinds & fleet <= {kind}] for p in parts]
    need = [sum(day.jobs[j].parcels for j in js) for js in only]
    total_need = sum(need)
    if not total_need:
        return
    cap = {v: vehicle_capability(day.vehicles[v]) for v in range(len(day.vehicles))}

    def have(i: int, extra: float = 0.0) -> float:
        return sum(cap[v] for v in vehicles[i] if day.vehicles[v].kind == kind) + extra

    total = sum(have(i) for i in range(len(parts)))

    def ratio(i: int, extra: float = 0.0) -> float:
        target = total * need[i] / total_need
        return have(i, extra) / target if target > 0 else math.inf

    for _ in range(sum(len(vs) for vs in vehicles)):
        poor = min(range(len(parts)), key=lambda i: (ratio(i), parts[i].key))
        if ratio(poor) >= LEND_BELOW:
            return
        best: tuple[float, str, int, int] | None = None
        for i, vs in enumerate(vehicles):
            if i == poor or len(vs) < 2:
                continue
            for v in vs:
                spec = day.vehicles[v]
                if spec.kind != kind or ratio(i, -cap[v]) < ratio(poor, cap[v]):
                    continue
                if not any(spec.may_serve(day.jobs[j]) for j in only[poor]):
                    continue  # its officer area keeps it out
                dist = distance_m(day.locations[spec.loc], parts[poor].centroid)
                if best is None or (dist, spec.id) < (best[0], best[1]):
                    best = (dist, spec.id, i, v)
        if best is None:
            return
        _, _, lender, v = best
        vehicles[lender].remove(v)
        vehicles[poor].append(v)


@dataclass(frozen=True)
class Lending:
    """What an earlier plan of the day showed (``_fairness.fleet``): vehicles that stayed
    idle, the stops of areas below the fairness floor it dropped for fleet time, and how
    many households a vehicle that went out served."""

    idle: frozenset[str]  # vehicle ids
    wanted: frozenset[int]  # job indices
    per_vehicle: float


def lend_idle(day: Day, parts: list[PartSpec], lending: Lending) -> list[PartSpec]:
    """Idle vehicles move to the parts holding wanted stops: as many as the dropped
    households would take at the day's rate per vehicle, nearest first, of a kind
    allowed at those stops (kind, officer area); a lender keeps at least one vehicle."""
    vehicles = [list(p.vehicles) for p in parts]
    wanted = [[j for j in p.jobs if j in lending.wanted] for p in parts]
    order = sorted(range(len(parts)), key=lambda i: (-len(wanted[i]), parts[i].key))
    for i in order:
        if not wanted[i]:
            break
        households = sum(len(day.jobs[j].household_ids) for j in wanted[i])
        n = math.ceil(households / max(lending.per_vehicle, 1.0))
        free = [
            (
                distance_m(day.locations[day.vehicles[v].loc], parts[i].centroid),
                day.vehicles[v].id,
                k,
                v,
            )
            for k, vs in enumerate(vehicles)
            if k != i and not wanted[k]
            for v in vs
            if day.vehicles[v].id in lending.idle
            and any(day.vehicles[v].may_serve(day.jobs[j]) for j in wanted[i])
        ]
        for _, _, k, v in sorted(free):
            if n <= 0:
                break
            if len(vehicles[k]) < 2:
                continue
            vehicles[k].remove(v)
            vehicles[i].append(v)
            n -= 1
    return [replace(p, vehicles=tuple(vs)) for p, vs in zip(parts, vehicles, strict=True)]

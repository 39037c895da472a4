"""Who may serve what when a day is cut: kinds, loads, loading places, officer areas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._problem import Day


def can_serve(day: Day, v: int, j: int, depot: int) -> bool:
    """Whether vehicle ``v`` may reach job ``j``, carry it and load at its depot."""
    spec, job = day.vehicles[v], day.jobs[j]
    return (
        spec.may_serve(job)
        and depot in spec.depots
        and job.parcels <= spec.cap_parcels
        and job.weight_g <= spec.cap_weight_g
    )


def serves_any(day: Day, v: int, jobs: Sequence[int]) -> bool:
    """Whether vehicle ``v``'s officer area (if hard) covers any of ``jobs``."""
    rule = day.vehicles[v].area
    if rule is None or not rule.hard:
        return True
    return any(rule.covers(day.jobs[j]) for j in jobs)


def hard_area(day: Day, v: int, areas: Mapping[str, Sequence[int]]) -> str:
    """The area (of ``areas``: name -> its jobs) whose stops a vehicle with a hard officer
    area covers most; "" when it has none or covers no stop."""
    rule = day.vehicles[v].area
    if rule is None or not rule.hard:
        return ""
    covered = {a: sum(rule.covers(day.jobs[j]) for j in jobs) for a, jobs in areas.items()}
    best = min(covered, key=lambda a: (-covered[a], a), default="")
    return best if covered.get(best, 0) > 0 else ""

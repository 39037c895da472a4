"""Short stock: what a stop still gets when no source it may use has all its items.

``Settings.partial_delivery`` decides (see ``PartialDelivery``): by default a visit goes
ahead when all the standard packages it carries are in stock, and the special items it
lacks are recorded as missing, with why — so a household whose infant pack ran out still
gets its rice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ._jobs import Job, Sizes
from ._problem import Day
from ._scenario import STANDARD_ITEM, PartialDelivery


@dataclass(frozen=True)
class Cut:
    """A stop that goes ahead with less than it needs: the job as offered, and per
    household the items it misses (Day.items order), all for ``stock_shortfall``."""

    job: Job
    missing: Mapping[str, tuple[int, ...]]
    detail: str
    short_items: tuple[str, ...]


def grant(
    job: Job, have: Sequence[int], rule: PartialDelivery, std: int | None
) -> list[tuple[int, ...]] | None:
    """What each household of ``job`` gets from stock ``have`` under ``rule``, in the
    stop's order; None when nobody gets anything."""
    if rule == "wait":
        return None
    left = list(have)
    shares: list[tuple[int, ...]] = [tuple(0 for _ in have)] * len(job.shares)
    for k in range(len(job.shares)):
        share = job.shares[k]
        if rule == "standard_required" and std is not None and share[std] > left[std]:
            continue
        give = tuple(min(n, h) for n, h in zip(share, left, strict=True))
        left = [h - g for h, g in zip(left, give, strict=True)]
        shares[k] = give
    return shares if any(any(s) for s in shares) else None


def partial(
    day: Day,
    job: Job,
    reachable: list[int],
    left: list[list[int]],
    rule: PartialDelivery,
    sizes: Sizes,
    distance: Mapping[int, int],
) -> tuple[int, list[tuple[int, ...]]] | None:
    """The source that can give ``job`` the most of its items, and what each household
    gets from it; None when no source may give anything."""
    std = day.items.index(STANDARD_ITEM) if STANDARD_ITEM in day.items else None
    best: tuple[tuple[int, int, int, int], int, list[tuple[int, ...]]] | None = None
    for k in reachable:
        shares = grant(job, left[k], rule, std)
        if shares is None:
            continue
        given = [sum(col) for col in zip(*shares, strict=True)]
        places, grams = sizes.load(given)
        key = (-places, -grams, distance[k], k)
        if best is None or key < best[0]:
            best = (key, k, shares)
    return None if best is None else (best[1], best[2])


def cut_of(
    day: Day,
    job: Job,
    offered: Job,
    shares: list[tuple[int, ...]],
    k: int,
    reachable: list[int],
    left: list[list[int]],
) -> Cut:
    """What each household misses, and a detail naming where the items are not."""
    missing = {
        h: tuple(n - g for n, g in zip(need, got, strict=True))
        for h, need, got in zip(job.household_ids, job.shares, shares, strict=True)
        if need != got
    }
    short = [i for i, item in enumerate(day.items) if any(m[i] for m in missing.values())]
    here = day.depots[k].id
    parts = []
    for i in short:
        elsewhere = [day.depots[x].id for x in reachable if x != k and left[x][i] > 0]
        if elsewhere:
            parts.append(
                f"{day.items[i]}: not enough at {here}, where this visit loads; "
                f"{', '.join(elsewhere)} still has some"
            )
        elif any(day.depots[x].stock[i] for x in reachable):
            parts.append(f"{day.items[i]}: ran out for more urgent households")
        else:
            parts.append(f"{day.items[i]}: no source it may use stocks it")
    return Cut(offered, missing, "; ".join(parts), tuple(day.items[i] for i in short))

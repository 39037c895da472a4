"""Who is due a package on a day: the delivery rules applied to one household.

A household's isolation (its *episode*, named by its start date) has numbered packages
(*slots*): slot ``k`` falls due on day ``deliveries_on_days[k]`` of isolation, and not
sooner than ``min_days_between`` days after slot ``k-1`` was closed (delivered, or
refused by the household). Slots are closed in order, so at most one is open at a time.
Nothing is due before isolation starts, from the day it ends, or once the household's
record is closed (recovered, taken to hospital, deceased, dropped from the list).

A due household's *days waiting* are the whole days since its open slot fell due, or
since the household was first listed if that is later (a household reported on day 5
of its isolation has waited for nothing the campaign could give before): zero on the
day it falls due, one if it was not delivered that day, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .config import DeliveryRules

Standing = Literal["due", "not_started", "between", "complete", "ended", "closed"]
"""How a household stands on a day; every household in the store has exactly one."""


@dataclass(frozen=True)
class Record:
    """The parts of a stored household the rules look at."""

    id: str
    kelurahan: str
    isolation_start: date
    isolation_end: date
    state: str  # "isolating" or why the record was closed
    closed_on: date | None
    listed_on: date  # the day of the list that first named it


@dataclass(frozen=True)
class Due:
    household_id: str
    slot: int
    due_since: date
    days_waiting: int


@dataclass(frozen=True)
class Position:
    standing: Standing
    due: Due | None = None


def position(
    h: Record, closed_slots: Mapping[int, date], rules: DeliveryRules, day: date
) -> Position:
    """Where ``h`` stands on ``day``, given the days its slots of this episode were closed.

    ``closed_slots`` should hold only slots closed before ``day`` (a plan for ``day`` is
    made before its results are known).
    """
    if h.closed_on is not None and h.closed_on <= day:
        return Position("closed")
    if day < h.isolation_start:
        return Position("not_started")
    if day >= h.isolation_end:
        return Position("ended")
    slot = next((k for k in range(len(rules.deliveries_on_days)) if k not in closed_slots), None)
    if slot is None:
        return Position("complete")
    since = h.isolation_start + timedelta(days=rules.deliveries_on_days[slot])
    if slot > 0:
        since = max(since, closed_slots[slot - 1] + timedelta(days=rules.min_days_between))
    since = max(since, h.listed_on)  # nobody waits for the campaign before it knows them
    if since >= h.isolation_end:
        return Position("complete")  # the next package would fall due after isolation
    if since > day:
        return Position("between")
    return Position("due", Due(h.id, slot, since, (day - since).days))

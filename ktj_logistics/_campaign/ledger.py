"""What the store says on a given day: where each household stands, and the stock left.

Only issued plans count (a superseded plan's deliveries never happened). A package
counts as used when its delivery was recorded ``delivered``, and also while a planned
delivery of an earlier day has no result yet (it left the warehouse on a vehicle);
every other result (nobody home, refused, hospital…) puts it back into its source.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from .config import DeliveryRules
from .rules import Position, Record, position
from .store import Store

CLOSING_RESULTS = ("delivered", "refused")
"""Results that close a household's package (slot): it is not due again."""


def records(store: Store) -> list[Record]:
    return [
        Record(
            r["id"],
            r["kelurahan"],
            date.fromisoformat(r["isolation_start"]),
            date.fromisoformat(r["isolation_end"]),
            r["state"],
            date.fromisoformat(r["closed_on"]) if r["closed_on"] else None,
            date.fromisoformat(r["listed_on"]),
        )
        for r in store.rows(
            "SELECT h.*, i.day AS listed_on FROM households h"
            " JOIN imports i ON i.id = h.first_import ORDER BY h.id"
        )
    ]


def closed_slots(store: Store, before: date) -> dict[tuple[str, str], dict[int, date]]:
    """Per (household, episode): the day each of its packages was closed, before ``before``."""
    out: dict[tuple[str, str], dict[int, date]] = defaultdict(dict)
    placeholders = ", ".join("?" for _ in CLOSING_RESULTS)
    for r in store.rows(
        "SELECT d.household_id, d.episode, d.slot, MIN(d.day) AS day FROM deliveries d"
        " JOIN plans p ON p.id = d.plan_id WHERE p.state = 'issued' AND d.day < ?"
        f" AND d.result IN ({placeholders}) GROUP BY d.household_id, d.episode, d.slot",
        (before.isoformat(), *CLOSING_RESULTS),
    ):
        out[(r["household_id"], r["episode"])][int(r["slot"])] = date.fromisoformat(r["day"])
    return out


def positions(store: Store, rules: DeliveryRules, day: date) -> dict[str, tuple[Record, Position]]:
    """Every stored household and where it stands on ``day`` (before that day's results)."""
    done = closed_slots(store, day)
    out: dict[str, tuple[Record, Position]] = {}
    for rec in records(store):
        slots = done.get((rec.id, rec.isolation_start.isoformat()), {})
        out[rec.id] = (rec, position(rec, slots, rules, day))
    return out


def stock_on(store: Store, day: date) -> dict[str, dict[str, int]]:
    """Stock at each source at the start of ``day``: received up to that day, less the
    packages used on earlier days (see the module docstring). Never below zero."""
    stock: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in store.rows(
        "SELECT source_id, item, SUM(quantity) AS n FROM stock_receipts WHERE day <= ?"
        " GROUP BY source_id, item",
        (day.isoformat(),),
    ):
        stock[r["source_id"]][r["item"]] += int(r["n"])
    for r in store.rows(
        "SELECT d.source_id, d.items FROM deliveries d JOIN plans p ON p.id = d.plan_id"
        " WHERE p.state = 'issued' AND d.day < ? AND d.planned = 'served'"
        " AND (d.result = 'delivered' OR d.result IS NULL) AND d.source_id IS NOT NULL",
        (day.isoformat(),),
    ):
        for item, n in json.loads(r["items"]).items():
            stock[r["source_id"]][item] -= int(n)
    return {s: {i: max(0, n) for i, n in sorted(items.items())} for s, items in stock.items()}

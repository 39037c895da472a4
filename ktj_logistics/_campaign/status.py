"""The campaign at a glance, day by day: who was due, who was served, how long they
waited (per kelurahan too), and the stock each source received and used.

Planned days are read from their stored deliveries (what was known that day); a day
without a plan shows who the rules make due on it. Households are counted, never named.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .config import DeliveryRules
from .context import Campaign
from .ledger import positions

RETRY_RESULTS = ("nobody_home", "not_visited", "wrong_address")


@dataclass(frozen=True)
class DayRow:
    day: date
    plan_id: str | None
    due: int
    on_sheets: int  # planned served
    left_out: dict[str, int]  # planned unserved, by reason
    results: dict[str, int]  # recorded results
    no_result: int  # on the sheets, nothing recorded yet
    max_wait: int
    mean_wait: float
    over_limit: int  # due with more days waiting than the rules allow

    @property
    def delivered(self) -> int:
        return self.results.get("delivered", 0)


@dataclass(frozen=True)
class KelurahanDay:
    kelurahan: str
    day: date
    due: int
    delivered: int
    max_wait: int


@dataclass(frozen=True)
class StockDay:
    day: date
    source_id: str
    item: str
    received: int
    used: int
    left: int


@dataclass(frozen=True)
class CampaignStatus:
    name: str
    as_of: date
    rules: DeliveryRules
    days: list[DayRow]
    kelurahan: list[KelurahanDay]
    stock: list[StockDay]
    standings: dict[str, int]  # on ``as_of``: due, between, complete, ended, closed…
    longest_waits: list[tuple[str, str, int]] = field(default_factory=list)  # id, kel, days

    def over_limit(self) -> int:
        return sum(d.over_limit for d in self.days)


def _planned_days(c: Campaign) -> dict[str, str]:
    return {
        r["day"]: r["id"] for r in c.store.rows("SELECT id, day FROM plans WHERE state='issued'")
    }


def _day_row(c: Campaign, day: date, plan_id: str | None) -> tuple[DayRow, list[KelurahanDay]]:
    n = c.config.rules.max_wait_days
    if plan_id is None:
        found = [p.due for _, p in positions(c.store, c.config.rules, day).values() if p.due]
        waits = [d.days_waiting for d in found]
        row = DayRow(
            day,
            None,
            len(found),
            0,
            {},
            {},
            0,
            max(waits, default=0),
            sum(waits) / len(waits) if waits else 0.0,
            sum(w > n for w in waits),
        )
        return row, []
    rows = c.store.rows("SELECT * FROM deliveries WHERE plan_id = ?", (plan_id,))
    waits = [int(r["days_waiting"]) for r in rows]
    left_out = Counter(r["reason"] for r in rows if r["planned"] == "unserved")
    results = Counter(r["result"] for r in rows if r["result"] is not None)
    no_result = sum(1 for r in rows if r["planned"] == "served" and r["result"] is None)
    row = DayRow(
        day,
        plan_id,
        len(rows),
        sum(1 for r in rows if r["planned"] == "served"),
        dict(sorted(left_out.items())),
        dict(sorted(results.items())),
        no_result,
        max(waits, default=0),
        sum(waits) / len(waits) if waits else 0.0,
        sum(w > n for w in waits),
    )
    per_kel: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        k = per_kel[r["kelurahan"] or "(none)"]
        k[0] += 1
        k[1] += r["result"] == "delivered"
        k[2] = max(k[2], int(r["days_waiting"]))
    kel = [KelurahanDay(name, day, *v) for name, v in sorted(per_kel.items())]
    return row, kel


def _stock(c: Campaign, days: list[date]) -> list[StockDay]:
    received: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in c.store.rows(
        "SELECT day, source_id, item, SUM(quantity) AS n FROM stock_receipts"
        " GROUP BY day, source_id, item"
    ):
        received[(r["day"], r["source_id"], r["item"])] += int(r["n"])
    used: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in c.store.rows(
        "SELECT d.day, d.source_id, d.items FROM deliveries d JOIN plans p ON p.id = d.plan_id"
        " WHERE p.state = 'issued' AND d.planned = 'served' AND d.source_id IS NOT NULL"
        " AND (d.result = 'delivered' OR d.result IS NULL)"
    ):
        for item, k in json.loads(r["items"]).items():
            used[(r["day"], r["source_id"], item)] += int(k)
    keys = sorted({(s, i) for _, s, i in received} | {(s, i) for _, s, i in used})
    out: list[StockDay] = []
    left: dict[tuple[str, str], int] = defaultdict(int)
    first = days[0].isoformat()
    for s, i in keys:  # receipts and use before the first day shown count in its stock
        left[(s, i)] = sum(
            n for (d, s2, i2), n in received.items() if (s2, i2) == (s, i) and d < first
        )
        left[(s, i)] -= sum(
            n for (d, s2, i2), n in used.items() if (s2, i2) == (s, i) and d < first
        )
    for day in days:
        d = day.isoformat()
        for s, i in keys:
            got, gone = received.get((d, s, i), 0), used.get((d, s, i), 0)
            left[(s, i)] += got - gone
            if got or gone or left[(s, i)]:
                out.append(StockDay(day, s, i, got, gone, left[(s, i)]))
    return out


def campaign_status(c: Campaign, as_of: date) -> CampaignStatus:
    """The campaign from its first day (or first plan) to ``as_of``."""
    planned = _planned_days(c)
    first = min([c.start, *(date.fromisoformat(d) for d in planned)])
    days = [first + timedelta(days=k) for k in range((as_of - first).days + 1)]
    rows: list[DayRow] = []
    kel: list[KelurahanDay] = []
    for day in days:
        row, per_kel = _day_row(c, day, planned.get(day.isoformat()))
        rows.append(row)
        kel += per_kel
    now = positions(c.store, c.config.rules, as_of)
    standings = Counter(p.standing for _, p in now.values())
    waits = sorted(
        ((rec.id, rec.kelurahan, p.due.days_waiting) for rec, p in now.values() if p.due),
        key=lambda x: (-x[2], x[0]),
    )
    return CampaignStatus(
        c.name,
        as_of,
        c.config.rules,
        rows,
        kel,
        _stock(c, days),
        dict(sorted(standings.items())),
        [w for w in waits if w[2] > 0][:20],
    )

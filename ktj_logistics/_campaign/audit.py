"""Checks that a campaign store is whole: what SQLite checks, and what each command's
single transaction promises (an import's rows all there, a plan's deliveries all there,
every due household of a planned day in its plan). An empty list means consistent.

Used by the crash tests (after ``kill -9``), by the campaign simulation every day, and
by anyone who wants to check a store: ``accounting`` says where every household stands
on a day, so nobody is lost between lists, plans and results.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from .context import Campaign
from .ledger import positions
from .merge import CHANGES
from .store import Store


def audit_store(store: Store) -> list[str]:
    """Every way the store breaks its own rules."""
    problems = store.integrity()
    for imp in store.rows("SELECT * FROM imports"):
        summary = json.loads(imp["summary"])
        if imp["kind"] == "households":
            found = Counter(
                r["change"]
                for r in store.rows(
                    "SELECT change FROM import_changes WHERE import_id = ?", (imp["id"],)
                )
            )
            expected = {k: int(summary.get(k, 0)) for k in CHANGES}
            if expected != {k: found[k] for k in CHANGES}:
                problems.append(f"import {imp['id']}: changes {dict(found)} != {expected}")
        if imp["kind"] == "stock":
            n = store.one(
                "SELECT COUNT(*) AS n FROM stock_receipts WHERE import_id = ?", (imp["id"],)
            )
            if n is None or n["n"] != summary.get("receipts"):
                problems.append(f"import {imp['id']}: receipts missing")
        if imp["kind"] == "results":
            n = store.one(
                "SELECT COUNT(*) AS n FROM import_changes WHERE import_id = ?", (imp["id"],)
            )
            if n is None or n["n"] != sum(int(v) for v in summary.values()):
                problems.append(f"import {imp['id']}: result rows missing")
    for p in store.rows("SELECT id, plan_json FROM plans"):
        outcomes = {
            o["household_id"]: o["status"] for o in json.loads(p["plan_json"])["households"]
        }
        rows = {
            r["household_id"]: r["planned"]
            for r in store.rows(
                "SELECT household_id, planned FROM deliveries WHERE plan_id = ?", (p["id"],)
            )
        }
        if rows != outcomes:
            problems.append(f"plan {p['id']}: its deliveries differ from its plan.json")
    return problems


def accounting(c: Campaign, day: date) -> dict[str, int]:
    """How every stored household stands on ``day``; a planned day's due households must
    be exactly its plan's households (raises ``AssertionError`` with the ids if not)."""
    found = positions(c.store, c.config.rules, day)
    plan = c.store.one(
        "SELECT id FROM plans WHERE day = ? AND state = 'issued'", (day.isoformat(),)
    )
    if plan is not None:
        planned = {
            r["household_id"]
            for r in c.store.rows(
                "SELECT household_id FROM deliveries WHERE plan_id = ?", (plan["id"],)
            )
        }
        due = {hid for hid, (_, p) in found.items() if p.standing == "due"}
        # A list imported after the plan may close a planned household that very day.
        closed_today = {hid for hid, (r, _) in found.items() if r.closed_on == day}
        if due != planned - closed_today:
            raise AssertionError(
                f"{day}: due but not planned {sorted(due - planned)[:10]}, planned but"
                f" not due {sorted(planned - due - closed_today)[:10]}"
            )
    return dict(Counter(p.standing for _, p in found.values()))

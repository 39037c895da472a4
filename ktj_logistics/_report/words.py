"""The words officers read for items, counts and waits, from the scenario where it says.

An item kind is named by the scenario's ``settings.items[kind].description`` (the words
before a colon, when the description goes on to list the contents), else by the
catalogue's word for the standard package, else by its id with spaces. Counts read
``2× paket sembako``: the count form needs no plural of the scenario's own words, and
our own English words take the plural they need.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._i18n import Translator
from .._plan import Hint, Plan
from .._scenario import STANDARD_ITEM, Scenario

LONG_WAIT_S = 600
"""A wait longer than this (10 min) is printed with its reason on sheets and messages."""


def item_name(kind: str, scenario: Scenario, tr: Translator) -> str:
    info = scenario.settings.items.get(kind)
    described = info.description.split(":")[0].strip() if info is not None else ""
    if kind == STANDARD_ITEM and (not described or described == "standard sembako package"):
        return tr("item.standard")
    return described or kind.replace("_", " ")


def items_text(items: Mapping[str, int], scenario: Scenario, tr: Translator) -> str:
    """``2× paket sembako, 1× susu formula``: item kinds, standard first, in a stable order."""
    parts = []
    for kind in sorted(items, key=lambda k: (k != STANDARD_ITEM, k)):
        if items[kind] > 0:
            parts.append(f"{items[kind]}× {item_name(kind, scenario, tr)}")
    return ", ".join(parts)


def count(n: int, key: str, tr: Translator) -> str:
    """``1 stop`` / ``2 stops``: ``key.one`` or ``key.many`` from the catalogue."""
    return tr(f"{key}.one" if n == 1 else f"{key}.many", n=n)


def minutes(seconds: int) -> int:
    return (seconds + 59) // 60


_HINT_REASON = {
    "window": "time_window",
    "capacity": "exceeds_vehicle_capacity",
    "access": "no_eligible_vehicle",
}


def hint_text(h: Hint, plan: Plan, scenario: Scenario | None, tr: Translator) -> str:
    """A hint in the reader's language, from its fields (``Hint.text`` is the English the
    API carries); a reason hint's detail is its households' reason detail, as stated."""
    item = item_name(h.item, scenario, tr) if h.item and scenario is not None else h.item
    if h.kind == "stock":
        key = "hint.stock_routed" if h.checked_by == "routing" else "hint.stock_allocated"
        return tr(key, amount=h.added, item=item, source=h.source_id, n=h.would_serve)
    if h.kind == "vehicle":
        kind = f"kind.{h.vehicle_kind}"
        return tr(
            "hint.vehicle",
            kind=tr(kind) if tr.has(kind) else h.vehicle_kind,
            base=h.base_id,
            n=h.would_serve,
        )
    ids = h.household_ids
    who = ", ".join(ids[:5])
    if len(ids) > 5:
        who = tr("hint.more", ids=who, n=len(ids) - 5)
    return tr(f"hint.{h.kind}", who=who, detail=_detail(plan, h))


def _detail(plan: Plan, h: Hint) -> str:
    """The reason detail of the hint's first household (its households share it)."""
    reason = _HINT_REASON[h.kind]
    first = h.household_ids[0] if h.household_ids else None
    for o in plan.households:
        if o.household_id != first:
            continue
        if o.reason is not None and o.reason.value == reason:
            return o.reason_detail
        return next((m.detail for m in o.missing if m.reason.value == reason), "")
    return ""

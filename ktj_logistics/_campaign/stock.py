"""Recording stock received at the sources (a truck's manifest, a donation), CSV or xlsx.

Columns: ``source`` (or ``source_id``/``sumber``), ``item`` (``barang``; default
``standard``) and ``quantity`` (``jumlah``). A negative quantity takes stock out (spoiled
or counted short) and is reported as such. Sources and items must be the day
template's. The sheet is one transaction; a sheet with an error records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .._errors import InputError, Issue
from .._load.records import read_table
from .context import Campaign
from .store import Store, sha256_of

_COLUMNS = {
    "source": "source",
    "source_id": "source",
    "sumber": "source",
    "item": "item",
    "barang": "item",
    "quantity": "quantity",
    "jumlah": "quantity",
    "qty": "quantity",
}


@dataclass(frozen=True)
class Receipt:
    row: int
    source_id: str
    item: str
    quantity: int


def _norm(text: str) -> str:
    return text.strip().strip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def read_receipts(
    path: Path, sources: set[str], items: set[str]
) -> tuple[list[Receipt], list[Issue]]:
    display = path.name
    issues: list[Issue] = []
    table = read_table(path, display, issues, "stock")
    if table is None:
        raise InputError(issues)
    header = [_COLUMNS.get(_norm(h)) for h in table.rows[0]]
    missing = [c for c in ("source", "quantity") if c not in header]
    if missing:
        issues.append(
            Issue(
                display,
                ", ".join(missing),
                "required column(s) missing",
                "the columns are source, item, quantity",
                table.first_row,
            )
        )
        raise InputError(issues)
    out: list[Receipt] = []
    for n, cells in enumerate(table.rows[1:], start=table.first_row + 1):
        cell = {col: cells[i].strip() for i, col in enumerate(header) if col and i < len(cells)}
        if not any(cell.values()):
            continue
        source, item = cell.get("source", ""), cell.get("item", "") or "standard"
        if source not in sources:
            fix = f"use one of: {', '.join(sorted(sources))}"
            issues.append(Issue(display, "source", "unknown source", fix, n, source))
        if item not in items:
            fix = f"use one of: {', '.join(sorted(items))}"
            issues.append(Issue(display, "item", "unknown item kind", fix, n, item))
        try:
            quantity = int(cell.get("quantity", ""))
        except ValueError:
            value = cell.get("quantity")
            issues.append(Issue(display, "quantity", "not a whole number", "fix it", n, value))
            continue
        if quantity < 0:
            message = f"takes {-quantity} out of stock"
            issues.append(Issue(display, "quantity", message, "", n, str(quantity), "warning"))
        out.append(Receipt(n, source, item, quantity))
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return out, issues


@dataclass(frozen=True)
class StockReport:
    import_id: int
    receipts: tuple[Receipt, ...]
    warnings: tuple[Issue, ...]
    already: bool  # the same sheet was recorded for the same day before: not counted twice


def record_stock(c: Campaign, path: Path, day: date) -> StockReport:
    """Record a stock sheet as received on ``day``, in one transaction.

    The same file recorded again for the same day (a re-run after a crash, or twice by
    mistake) is not counted twice."""
    template = c.template().scenario
    receipts, warnings = read_receipts(
        path, {s.id for s in template.sources}, set(template.settings.items)
    )
    with c.store.transaction() as conn:
        before = conn.execute(
            "SELECT id FROM imports WHERE kind = 'stock' AND day = ? AND sha256 = ?",
            (day.isoformat(), sha256_of(path)),
        ).fetchone()
        if before is not None:
            return StockReport(int(before[0]), tuple(receipts), tuple(warnings), True)
        summary = {"receipts": len(receipts), "quantity": sum(r.quantity for r in receipts)}
        import_id = Store.insert_import(conn, "stock", day.isoformat(), path, summary)
        conn.executemany(
            "INSERT INTO stock_receipts (import_id, day, source_id, item, quantity)"
            " VALUES (?, ?, ?, ?, ?)",
            [(import_id, day.isoformat(), r.source_id, r.item, r.quantity) for r in receipts],
        )
    return StockReport(import_id, tuple(receipts), tuple(warnings), False)

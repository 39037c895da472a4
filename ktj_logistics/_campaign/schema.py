"""The campaign store's schema, as numbered migrations applied in order.

Each migration is a list of SQL statements run in one transaction together with the
row that records it in ``schema_migrations``, so a store is always at exactly one
version: a crash during an upgrade leaves the previous version intact. A new version
appends a migration here; released migrations are never edited. A store written by a
newer ktj-route (a version this code does not know) is refused rather than guessed at.

Dates are ISO text (``YYYY-MM-DD``), JSON columns hold pydantic dumps, and every table
that a command writes names the import or plan that wrote its rows, so a store can be
read back day by day.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_V1 = (
    """CREATE TABLE campaign (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('households', 'results', 'stock')),
        day TEXT NOT NULL,
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        summary TEXT NOT NULL
    )""",
    """CREATE TABLE households (
        id TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        kelurahan TEXT NOT NULL,
        isolation_start TEXT NOT NULL,
        isolation_end TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN
            ('isolating', 'recovered', 'hospital', 'deceased', 'not_in_list')),
        closed_on TEXT,
        first_import INTEGER NOT NULL REFERENCES imports(id),
        last_import INTEGER NOT NULL REFERENCES imports(id),
        CHECK ((state = 'isolating') = (closed_on IS NULL))
    )""",
    """CREATE TABLE household_versions (
        id INTEGER PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id),
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row INTEGER,
        record TEXT NOT NULL,
        extra TEXT NOT NULL
    )""",
    """CREATE INDEX versions_by_household ON household_versions(household_id)""",
    """CREATE TABLE import_changes (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        row INTEGER,
        household_id TEXT NOT NULL,
        change TEXT NOT NULL,
        fields TEXT NOT NULL,
        detail TEXT NOT NULL
    )""",
    """CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        day TEXT NOT NULL,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('issued', 'superseded')),
        plan_json TEXT NOT NULL,
        scenario_json TEXT NOT NULL,
        base_dir TEXT NOT NULL
    )""",
    """CREATE UNIQUE INDEX one_issued_plan_a_day ON plans(day) WHERE state = 'issued'""",
    """CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plans(id),
        day TEXT NOT NULL,
        household_id TEXT NOT NULL REFERENCES households(id),
        kelurahan TEXT NOT NULL,
        episode TEXT NOT NULL,
        slot INTEGER NOT NULL CHECK (slot >= 0),
        due_since TEXT NOT NULL,
        days_waiting INTEGER NOT NULL CHECK (days_waiting >= 0),
        planned TEXT NOT NULL CHECK (planned IN ('served', 'unserved')),
        reason TEXT,
        vehicle_id TEXT,
        source_id TEXT,
        items TEXT NOT NULL,
        result TEXT,
        result_time TEXT,
        result_import INTEGER REFERENCES imports(id),
        UNIQUE (plan_id, household_id),
        CHECK ((planned = 'served') = (reason IS NULL)),
        CHECK ((result IS NULL) = (result_import IS NULL))
    )""",
    """CREATE INDEX deliveries_by_household ON deliveries(household_id, episode)""",
    """CREATE INDEX deliveries_by_day ON deliveries(day)""",
    """CREATE TABLE stock_receipts (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        day TEXT NOT NULL,
        source_id TEXT NOT NULL,
        item TEXT NOT NULL,
        quantity INTEGER NOT NULL
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (Migration(1, "campaign store", _V1),)
"""Every version of the schema, oldest first; the last one is what this code writes."""

LATEST = MIGRATIONS[-1].version

"""The campaign store: one SQLite file per campaign, every change in one transaction.

Standard-library ``sqlite3`` rather than SQLAlchemy: the store is one local file with a
dozen statements, and owning the ``BEGIN IMMEDIATE … COMMIT`` keeps the one property
that matters visible — a command's whole change (an imported list, a plan with its
deliveries, a results sheet) is committed at once or not at all. The file is in WAL
mode with ``synchronous=FULL``, so a process killed at any moment (``kill -9``) leaves
the last committed state, and a committed command survives a power cut.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._errors import InputError, Issue, KtjError
from .schema import LATEST, MIGRATIONS

APPLICATION_ID = 0x4B544A43  # "KTJC": marks the file as a ktj-route campaign store


class StoreError(KtjError):
    """The store cannot be used as asked (missing, not a campaign, too new)."""

    exit_code = 2


def now() -> str:
    """The current UTC time as stored (ISO 8601, seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Store:
    """An open campaign store. Read with ``rows``/``one``; write inside ``transaction``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def create(
        cls,
        path: Path,
        meta: dict[str, str],
        then: Callable[[sqlite3.Connection], None] | None = None,
    ) -> Store:
        """A new store at ``path``: schema, ``meta`` and whatever ``then`` writes in one
        transaction, so a crash leaves either no campaign or a whole one (a blank file
        left by a crash before the first commit is reused)."""
        if path.exists() and not _blank(path):
            raise StoreError(f"{path} already exists; choose another file for a new campaign")
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(_connect(path), path)
        with store.transaction() as c:
            c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            store._apply_migrations(c)
            c.executemany("INSERT INTO campaign (key, value) VALUES (?, ?)", meta.items())
            if then is not None:
                then(c)
        return store

    @classmethod
    def open(cls, path: Path) -> Store:
        """An existing store, upgraded to the latest schema if it is older."""
        if not path.is_file():
            raise InputError(
                [
                    Issue(
                        str(path),
                        "--store",
                        "no campaign store here",
                        "give the file made by ktj-route campaign init (or run init first)",
                    )
                ]
            )
        store = cls(_connect(path), path)
        app_id = store.conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            store.close()
            raise StoreError(f"{path} is not a ktj-route campaign store")
        store._migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole when the block ends, else rolled back.

        ``BEGIN IMMEDIATE`` takes the write lock at once, so two commands on one store
        run one after the other instead of failing half-way. Inside a transaction of this
        store it is part of that one: a command of two changes commits them together."""
        if self.conn.in_transaction:
            yield self.conn  # the outer block commits, or rolls back on an exception
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params))

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM campaign WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def version(self) -> int:
        row = self.one("SELECT MAX(version) AS v FROM schema_migrations")
        return int(row["v"]) if row is not None and row["v"] is not None else 0

    def _migrate(self) -> None:
        with self.transaction() as c:
            self._apply_migrations(c)

    def _apply_migrations(self, c: sqlite3.Connection) -> None:
        c.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = self.version()
        if current > LATEST:
            raise StoreError(
                f"{self.path} was written by a newer ktj-route (schema {current}, this "
                f"one knows up to {LATEST}); upgrade ktj-route"
            )
        for m in MIGRATIONS:
            if m.version <= current:
                continue
            for statement in m.statements:
                c.execute(statement)
            c.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, now()),
            )

    @staticmethod
    def insert_import(
        c: sqlite3.Connection, kind: str, day: str, file: Path, summary: dict[str, Any]
    ) -> int:
        """Record one imported file (inside the caller's transaction); its id."""
        cur = c.execute(
            "INSERT INTO imports (kind, day, file, sha256, imported_at, summary)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (kind, day, file.name, sha256_of(file), now(), json.dumps(summary, sort_keys=True)),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def integrity(self) -> list[str]:
        """Problems SQLite itself finds (page checks, foreign keys); empty when sound."""
        problems = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [
            f"foreign key: {tuple(r)}" for r in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems


def _blank(path: Path) -> bool:
    """True for a file SQLite made but nothing was ever committed to."""
    if path.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(path)
        try:
            tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return bool(tables == 0 and app_id == 0)


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are opened explicitly by Store.transaction.
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn

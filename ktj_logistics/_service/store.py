"""Jobs on disk: one SQLite table in the state folder, one folder per job.

::

    STATE/service.sqlite3          jobs, sessions, the service's start count (epoch)
    STATE/jobs/<id>/input/         the uploaded files, as validated
    STATE/jobs/<id>/result/        files/ (every artefact) and all.zip — appears whole
    STATE/jobs/<id>/.result-*      a result being written (never served; removed on start)

The server and its worker processes open the same database (WAL mode, so status polls
do not wait for a worker's progress write). A worker's updates name the service start
(epoch) that gave it the job, so a worker left over from a killed server cannot mark a
job done after the new server has reported it failed.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import Issue
from .models import IssueOut, JobOptions

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    epoch INTEGER NOT NULL,
    scenario_file TEXT NOT NULL,
    options TEXT NOT NULL,
    households INTEGER NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    progress TEXT,
    totals TEXT,
    error TEXT,
    issues TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS jobs_owner ON jobs (owner, created);
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

INTERRUPTED = (
    "the service stopped while this day was being planned; nothing of it was kept. "
    "Submit the files again"
)


@dataclass(frozen=True)
class JobRow:
    id: str
    owner: str
    status: str
    created: float
    started: float | None
    finished: float | None
    epoch: int
    scenario_file: str
    options: JobOptions
    households: int
    warnings: list[IssueOut]
    progress: dict[str, Any] | None
    totals: dict[str, Any] | None
    error: str | None
    issues: list[IssueOut]


def _issues(text: str) -> list[IssueOut]:
    return [IssueOut.model_validate(x) for x in json.loads(text)]


def _row(r: sqlite3.Row) -> JobRow:
    return JobRow(
        id=r["id"],
        owner=r["owner"],
        status=r["status"],
        created=r["created"],
        started=r["started"],
        finished=r["finished"],
        epoch=r["epoch"],
        scenario_file=r["scenario_file"],
        options=JobOptions.model_validate_json(r["options"]),
        households=r["households"],
        warnings=_issues(r["warnings"]),
        progress=json.loads(r["progress"]) if r["progress"] else None,
        totals=json.loads(r["totals"]) if r["totals"] else None,
        error=r["error"],
        issues=_issues(r["issues"]),
    )


def _dump(issues: list[Issue]) -> str:
    return json.dumps([IssueOut.of(i).model_dump() for i in issues])


class JobStore:
    """The job table and the job folders of one state folder."""

    def __init__(self, state_dir: Path) -> None:
        self.root = state_dir
        self.db = state_dir / "service.sqlite3"
        self._local = threading.local()
        (state_dir / "jobs").mkdir(parents=True, exist_ok=True)
        with self._connect() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (opened once: status polls come hundreds a second)."""
        c: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.db, timeout=30, isolation_level=None)
            c.row_factory = sqlite3.Row
            c.execute("PRAGMA busy_timeout=30000")
            self._local.conn = c
        try:
            yield c
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise

    def folder(self, job_id: str) -> Path:
        return self.root / "jobs" / job_id

    def result(self, job_id: str) -> Path:
        return self.folder(job_id) / "result"

    # -- the service's start ------------------------------------------------------------

    def recover(self) -> tuple[int, list[str]]:
        """A new start: its epoch, and the queued jobs to plan again.

        Jobs that were being planned when the last run stopped are reported failed, and
        anything half-written is removed, so only whole results are ever served.
        """
        now = time.time()
        with self._connect() as c:
            c.execute("BEGIN IMMEDIATE")
            row = c.execute("SELECT value FROM meta WHERE key='epoch'").fetchone()
            epoch = int(row["value"]) + 1 if row else 1
            c.execute("INSERT OR REPLACE INTO meta VALUES ('epoch', ?)", (str(epoch),))
            c.execute(
                "UPDATE jobs SET status='failed', finished=?, error=? WHERE status='running'",
                (now, INTERRUPTED),
            )
            queued = [
                r["id"]
                for r in c.execute("SELECT id FROM jobs WHERE status='queued' ORDER BY created")
            ]
            c.execute("UPDATE jobs SET epoch=? WHERE status='queued'", (epoch,))
            failed = [r["id"] for r in c.execute("SELECT id FROM jobs WHERE status='failed'")]
            c.execute("COMMIT")
        for job_id in failed:
            shutil.rmtree(self.result(job_id), ignore_errors=True)
        for tmp in (self.root / "jobs").glob("*/.result-*"):
            shutil.rmtree(tmp, ignore_errors=True)
        for orphan in self._orphan_folders():
            shutil.rmtree(orphan, ignore_errors=True)
        return epoch, queued

    # -- jobs ---------------------------------------------------------------------------

    def add(
        self,
        job_id: str,
        owner: str,
        epoch: int,
        scenario_file: str,
        options: JobOptions,
        households: int,
        warnings: list[Issue],
    ) -> None:
        with self._connect() as c:
            c.execute(
                "INSERT INTO jobs (id, owner, status, created, epoch, scenario_file, options,"
                " households, warnings) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    owner,
                    time.time(),
                    epoch,
                    scenario_file,
                    options.model_dump_json(),
                    households,
                    _dump(warnings),
                ),
            )

    def get(self, job_id: str, owner: str | None = None) -> JobRow | None:
        """The job, if it exists and (when ``owner`` is given) belongs to ``owner``."""
        with self._connect() as c:
            r = c.execute("SELECT * FROM jobs WHERE id=?", (job_id,)).fetchone()
        if r is None or (owner is not None and r["owner"] != owner):
            return None
        return _row(r)

    def of(self, owner: str, limit: int = 50) -> list[JobRow]:
        with self._connect() as c:
            rows = c.execute(
                "SELECT * FROM jobs WHERE owner=? ORDER BY created DESC LIMIT ?", (owner, limit)
            ).fetchall()
        return [_row(r) for r in rows]

    def start(self, job_id: str, epoch: int) -> bool:
        """Mark the job running; false if it is not a queued job of this epoch."""
        with self._connect() as c:
            cur = c.execute(
                "UPDATE jobs SET status='running', started=? "
                "WHERE id=? AND status='queued' AND epoch=?",
                (time.time(), job_id, epoch),
            )
            return cur.rowcount == 1

    def progress(self, job_id: str, epoch: int, progress: dict[str, Any]) -> None:
        with self._connect() as c:
            c.execute(
                "UPDATE jobs SET progress=? WHERE id=? AND status='running' AND epoch=?",
                (json.dumps(progress), job_id, epoch),
            )

    def finish(self, job_id: str, epoch: int, totals: dict[str, Any]) -> bool:
        with self._connect() as c:
            cur = c.execute(
                "UPDATE jobs SET status='done', finished=?, totals=?, progress=NULL "
                "WHERE id=? AND status='running' AND epoch=?",
                (time.time(), json.dumps(totals), job_id, epoch),
            )
            return cur.rowcount == 1

    def fail(
        self, job_id: str, error: str, issues: Sequence[Issue] = (), *, epoch: int | None = None
    ) -> bool:
        """Mark an unfinished job failed (only a worker of ``epoch`` if one is given)."""
        sql = (
            "UPDATE jobs SET status='failed', finished=?, error=?, issues=?, progress=NULL "
            "WHERE id=? AND status IN ('queued', 'running')"
        )
        args: tuple[Any, ...] = (time.time(), error, _dump(list(issues)), job_id)
        if epoch is not None:
            sql += " AND epoch=?"
            args += (epoch,)
        with self._connect() as c:
            return c.execute(sql, args).rowcount == 1

    def delete(self, job_id: str) -> None:
        with self._connect() as c:
            c.execute("DELETE FROM jobs WHERE id=?", (job_id,))
        shutil.rmtree(self.folder(job_id), ignore_errors=True)

    def expired(self, before: float) -> list[str]:
        """Ids of jobs submitted before ``before`` that are no longer being planned."""
        with self._connect() as c:
            return [
                r["id"]
                for r in c.execute(
                    "SELECT id FROM jobs WHERE created < ? AND status IN ('done', 'failed')",
                    (before,),
                )
            ]

    def _orphan_folders(self) -> list[Path]:
        """Job folders without a job (a submission cut off half-way by a stop)."""
        with self._connect() as c:
            known = {r["id"] for r in c.execute("SELECT id FROM jobs")}
        return [p for p in (self.root / "jobs").iterdir() if p.name not in known]

    # -- browser sessions ---------------------------------------------------------------

    def add_session(self, key: str, user: str, expires: float) -> None:
        with self._connect() as c:
            c.execute("INSERT INTO sessions VALUES (?, ?, ?)", (key, user, expires))

    def session_user(self, key: str) -> str | None:
        with self._connect() as c:
            r = c.execute(
                "SELECT user FROM sessions WHERE key=? AND expires > ?", (key, time.time())
            ).fetchone()
        return str(r["user"]) if r else None

    def drop_session(self, key: str) -> None:
        with self._connect() as c:
            c.execute("DELETE FROM sessions WHERE key=? OR expires <= ?", (key, time.time()))

    def drop_expired_sessions(self) -> None:
        with self._connect() as c:
            c.execute("DELETE FROM sessions WHERE expires <= ?", (time.time(),))

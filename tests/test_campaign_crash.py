"""``kill -9`` at random moments of ``import``, ``plan`` and ``record`` never leaves the
store inconsistent: after each kill the store holds exactly the state before the
command or exactly the state after it, and running the command again completes.

Each step of a two-day campaign is first run to completion on a copy of the store
(the state *after*); then, from the state *before*, the real ``ktj-route`` is started
and killed with SIGKILL at a random moment, most often late in its run, where the
writes are. Plans are deterministic, so both runs store the same plan; each day's search
stops after 10 solutions (a tenth of a second), which is all a consistent store needs.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from ktj_logistics._campaign import open_campaign
from ktj_logistics._campaign.audit import accounting, audit_store

from .campaign_days import START, household, make_campaign, write_list, write_results

# Kills per command of each of the two days: 20 in all, the most where a command is cheap
# to run again (each kill costs a run up to the kill and a whole re-run).
KILLS = {"import": 4, "plan": 3, "record": 3}
KTJ = [sys.executable, "-m", "ktj_logistics", "campaign"]


def fingerprint(db: Path) -> str:
    """The committed state of the campaign, without clocks (import times, plan timings)."""
    conn = sqlite3.connect(db)
    try:
        parts = []
        for table, order in [
            ("households", "id"),
            ("household_versions", "id"),
            ("deliveries", "id"),
            ("stock_receipts", "id"),
        ]:
            parts += [
                repr(tuple(r)) for r in conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
            ]
        for pid, day, state, plan_json in conn.execute(
            "SELECT id, day, state, plan_json FROM plans ORDER BY id"
        ):
            plan = json.loads(plan_json)
            plan["solver"].pop("wall_s")
            parts.append(repr((pid, day, state, json.dumps(plan, sort_keys=True))))
    finally:
        conn.close()
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def copy_store(src: Path, dst: Path) -> None:
    """A consistent one-file copy (SQLite's backup), replacing whatever was at ``dst``."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    b.close()
    a.close()


def run(args: list[str], cwd: Path, store: Path) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "KTJ_CAMPAIGN_STORE": str(store)}
    started = time.monotonic()
    proc = subprocess.Popen(
        KTJ + args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return proc, started


def run_to_end(args: list[str], cwd: Path, store: Path) -> float:
    proc, started = run(args, cwd, store)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - started


def check(store: Path, cwd: Path) -> None:
    c = open_campaign(store)
    try:
        assert audit_store(c.store) == []
        for k in range(3):
            accounting(c, START + timedelta(days=k))  # raises if a due household is lost
    finally:
        c.close()


def test_kill_9_during_import_plan_and_record_never_leaves_the_store_inconsistent(
    tmp_path: Path,
) -> None:
    rng = random.Random(20210701)
    work = tmp_path / "campaign"
    config = make_campaign(work, stock=30, solutions=10)
    store, before, after = work / "c.db", tmp_path / "before.db", tmp_path / "after.db"
    run_to_end(["init", str(config), "--date", "2021-07-01"], work, store)
    write_list(work / "day1.csv", [household(n) for n in range(1, 13)])
    day2_rows = [household(n, address=f"Jl. Pindah {n}") for n in range(1, 9)]
    day2_rows += [household(n, start="2021-07-02") for n in range(13, 19)]
    write_list(work / "day2.csv", day2_rows + [household(3)])
    (work / "stock2.csv").write_text("source;item;quantity\npolres;standard;12\n", "utf-8")
    d1, d2 = "2021-07-01", "2021-07-02"
    steps: list[tuple[str, list[str]]] = [
        ("import", ["import", "day1.csv", "--date", d1]),
        ("plan", ["plan", "--date", d1, "-q", "--format", "json"]),
        ("record", ["record", "results1.csv", "--date", d1]),
        ("import", ["import", "day2.csv", "--date", d2, "--stock", "stock2.csv"]),
        ("plan", ["plan", "--date", d2, "-q", "--format", "json"]),
        ("record", ["record", "results2.csv", "--date", d2]),
    ]
    kills: Counter[str] = Counter()
    landed: Counter[str] = Counter()  # kills after the commit: the state after
    for kind, args in steps:
        if kind == "record":
            _write_results(store, work, args[1], args[3])
        copy_store(store, before)
        copy_store(store, after)
        duration = run_to_end(args, work, after)
        state_before, state_after = fingerprint(before), fingerprint(after)
        assert state_before != state_after
        done = 0
        # A re-run may be faster than the timed one (the machine is shared): each time the
        # command ends before its kill, aim earlier.
        scale = 1.0
        for _attempt in range(KILLS[kind] * 8):
            if done == KILLS[kind]:
                break
            copy_store(before, store)
            late = rng.random() < 0.75
            delay = duration * scale * (rng.uniform(0.55, 1.0) if late else rng.uniform(0.0, 0.55))
            proc, started = run(args, work, store)
            time.sleep(max(0.0, started + delay - time.monotonic()))
            if proc.poll() is not None:
                scale *= 0.7
                continue  # it finished first: not a kill
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            if proc.returncode == 0:
                scale *= 0.7
                continue  # it finished between the look and the kill: not a kill
            assert proc.returncode == -signal.SIGKILL
            done += 1
            kills[kind] += 1
            state = fingerprint(store)
            assert state in (state_before, state_after), f"{kind} killed after {delay:.2f}s"
            landed[kind] += state == state_after
            check(store, work)
            run_to_end(args, work, store)  # a re-run completes
            assert fingerprint(store) == state_after, f"{kind}: a re-run differs"
            check(store, work)
        assert done == KILLS[kind], f"{kind}: only {done} kills landed before it ended"
    print(f"kills by command: {dict(kills)}; of them after the commit: {dict(landed)}")
    assert sum(kills.values()) >= 20


def _write_results(store: Path, work: Path, name: str, day: str) -> None:
    """Officers' results for every household of the day's plan."""
    conn = sqlite3.connect(store)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT household_id FROM deliveries d JOIN plans p ON p.id = d.plan_id"
            " WHERE p.state = 'issued' AND d.day = ? ORDER BY household_id",
            (day,),
        )
    ]
    conn.close()
    outcomes = ["delivered", "delivered", "nobody_home", "delivered", "moved_to_hospital"]
    rows = [(hid, outcomes[k % len(outcomes)], "10:00") for k, hid in enumerate(ids)]
    write_results(work / name, rows)

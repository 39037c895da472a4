"""A killed planner takes its search processes with it.

The planner forks search processes that live inside one long OR-Tools call; before
``_solve/child.py`` a ``kill`` of ``ktj-route plan`` left them searching on every core
until their budget ran out. Here the real command plans the bundled large day (by
parts, on a pool of processes) with a long budget, and is killed with SIGTERM or
SIGKILL once its children are searching: none of them may outlive it by more than a
few seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

LARGE_DAY = Path(__file__).parents[1] / "scenarios" / "large-day" / "scenario.yaml"


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killing_the_planner_ends_its_search_processes(tmp_path: Path, sig: int) -> None:
    cmd = [sys.executable, "-m", "ktj_logistics", "plan", str(LARGE_DAY), "-q"]
    cmd += ["--out", str(tmp_path / "out"), "--time-limit", "300", "--no-deterministic"]
    cmd += ["--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        kids: set[int] = set()
        while time.monotonic() < deadline and len(kids) < 2:
            assert proc.poll() is None, "the plan ended before it was killed"
            kids = _children(proc.pid)
            time.sleep(0.2)
        assert len(kids) >= 2, "the planner never started its search processes"
        time.sleep(1.0)  # inside their searches
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.1)
        assert not [k for k in kids if _alive(k)], f"search processes outlived a {sig!r}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

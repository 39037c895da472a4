"""A real Dask cluster on loopback: scheduler and two workers as subprocesses.

Workers are started as docs/scale.md says (``--preload-nanny ktj_logistics.dask_nanny``).
Everything is bounded in time: the cluster must come up within a minute, and each run
is cut off by an alarm.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import dask
import pytest

from .days import day

distributed = pytest.importorskip(
    "distributed", reason="Dask is an optional extra: pip install 'ktj-route[scale]'"
)

import ktj_logistics as ktj  # noqa: E402
from ktj_logistics._parts import PartsSettings  # noqa: E402
from ktj_logistics._parts.runners import DaskRunner, InlineRunner  # noqa: E402
from ktj_logistics._parts.worker import DASK_DEFAULT_TRIM, PartJob  # noqa: E402
from ktj_logistics._solve.types import SearchConfig  # noqa: E402

from .conftest import problem_of  # noqa: E402


def _by_parts(sc: ktj.Scenario, **settings: object) -> ktj.Result:
    """Plan ``sc`` by parts (local in-process runner unless a scheduler is given)."""
    parts = PartsSettings(**{"workers": 1, **settings})  # type: ignore[arg-type]
    runner = None if parts.scheduler else InlineRunner()
    options = ktj.PlanOptions(
        time_limit_s=sc.settings.time_limit_s,
        search_solutions=30,
        method="parts",
        parts_settings=parts,
        parts_runner=runner,
    )
    return ktj.plan(sc, options)


DASK = str(Path(sys.executable).parent / "dask")


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def fail(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    return subprocess.Popen(
        args, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True, env=env
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("dask")
    sched_file = tmp / "scheduler.json"
    procs = [
        _start(
            [
                DASK,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(sched_file),
            ],
            tmp / "scheduler.log",
        )
    ]
    try:
        t_end = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < t_end:
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(2):
            procs.append(
                _start(
                    [
                        DASK,
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--death-timeout",
                        "60",
                        "--preload-nanny",
                        "ktj_logistics.dask_nanny",
                        "--local-directory",
                        str(tmp / f"w{i}"),
                    ],
                    tmp / f"worker{i}.log",
                )
            )
        with distributed.Client(address, timeout=30) as c:
            c.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for p in reversed(procs):
            with suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def test_dask_workers_run_parts_without_the_64k_malloc_trim_threshold(cluster: str) -> None:
    # Dask's own default would set it: this is what the preload has to undo.
    assert (
        str(dask.config.get("distributed.nanny.pre-spawn-environ")["MALLOC_TRIM_THRESHOLD_"])
        == DASK_DEFAULT_TRIM
    )
    problem = problem_of(day(per_area=5))
    cfg = SearchConfig(time_limit_s=0.5, deterministic=True, solution_limit=30)
    runner = DaskRunner(cluster)
    try:
        with deadline(120):
            outcomes = runner.run([PartJob(f"p{i}", problem, cfg) for i in range(2)])
    finally:
        runner.close()
    assert {o.pid for o in outcomes} != {os.getpid()}
    assert all(o.malloc_trim_env != DASK_DEFAULT_TRIM for o in outcomes)


def test_local_and_dask_runs_give_the_same_plan(cluster: str) -> None:
    sc = day(per_area=12)
    with deadline(180):
        local = _by_parts(sc, part_size=10)
        remote = _by_parts(sc, part_size=10, scheduler=cluster)
    assert {p.runner for p in remote.parts} == {"dask"}
    assert {p.runner for p in local.parts} == {"inline"}
    assert remote.plan.model_dump(exclude={"solver"}) == local.plan.model_dump(exclude={"solver"})


def test_a_worker_killed_mid_run_has_its_part_rerun_and_the_plan_is_complete(cluster: str) -> None:
    sc = day(per_area=40, vehicles_per_area=2, deterministic=False, time_limit_s=2.0)
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        with distributed.Client(cluster, timeout=30) as c:
            t_end = time.monotonic() + 60
            while time.monotonic() < t_end:
                busy = [w for w, keys in c.processing().items() if keys]
                if busy:
                    time.sleep(0.5)  # well inside the part's 2 s of search
                    pid = c.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
                time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    with deadline(120):
        r = _by_parts(sc, part_size=20, scheduler=cluster, repair=False)
    killer.join(timeout=10)
    assert killed, "no worker was busy to kill"
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)
    assert [o.household_id for o in r.plan.households] == [h.id for h in sc.households]
    assert sum(p.households for p in r.parts) == len(sc.households)
    assert ktj.verify(sc, r.plan) == []

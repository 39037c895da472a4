"""The planning pool: one worker process per core at most, and a bounded queue.

Submissions beyond ``workers + queue`` unfinished jobs are refused at once (HTTP 503 with
Retry-After) rather than queued without end: a coordinator then knows to try again, and
memory stays bounded however many apps submit at once.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .store import JobStore
from .worker import run_job, warm, watch_parent

log = logging.getLogger("ktj_logistics.service")

TASKS_PER_PROCESS = 20
"""A worker process is replaced after this many jobs, so memory a solver kept is freed."""


def _init_worker(parent: int) -> None:
    # Planning takes whatever CPU is left: status polls and uploads must not wait behind a
    # search (its time limit is wall time, so a busy machine costs a little plan quality).
    with contextlib.suppress(OSError):
        os.nice(10)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s worker: %(message)s"))
    service_log = logging.getLogger("ktj_logistics.service")
    service_log.addHandler(handler)
    service_log.setLevel(logging.INFO)
    watch_parent(parent)


class Runner:
    """Runs jobs of ``store`` on a process pool; knows how many are unfinished."""

    def __init__(self, store: JobStore, epoch: int, workers: int, queue: int) -> None:
        self.store, self.epoch = store, epoch
        self.workers, self.queue = workers, queue
        self._lock = threading.Lock()
        self._active: set[str] = set()
        self._durations: list[float] = []
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(os.getpid(),),
            max_tasks_per_child=TASKS_PER_PROCESS,
        )

    def warm_up(self) -> None:
        """Start the worker processes now (imports take seconds), not at the first job."""
        for _ in range(self.workers):
            self._pool.submit(warm)

    @property
    def unfinished(self) -> int:
        with self._lock:
            return len(self._active)

    def has_room(self) -> bool:
        return self.unfinished < self.workers + self.queue

    def retry_after_s(self) -> int:
        """A fair guess of when a place frees: the mean of recent job times."""
        with self._lock:
            recent = self._durations[-20:]
        return max(5, round(sum(recent) / len(recent))) if recent else 30

    def submit(self, job_id: str) -> None:
        with self._lock:
            self._active.add(job_id)
            pool = self._pool
        try:
            future = pool.submit(run_job, str(self.store.root), job_id, self.epoch)
        except (BrokenProcessPool, RuntimeError):
            pool = self._replace(pool)
            future = pool.submit(run_job, str(self.store.root), job_id, self.epoch)
        future.add_done_callback(lambda f: self._done(job_id, pool, f))

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is broken:
                log.warning("a planning process died; starting a new pool")
                self._pool = self._new_pool()
            return self._pool

    def _done(self, job_id: str, pool: ProcessPoolExecutor, future: Future[str]) -> None:
        error = future.exception()
        if isinstance(error, BrokenProcessPool):
            self._replace(pool)
            job = self.store.get(job_id)
            if job is not None and job.status == "queued":  # never started: plan it again
                self.submit(job_id)
                return
            self.store.fail(job_id, "the planning process stopped unexpectedly; submit again")
        elif error is not None:
            log.error("job %s: %s", job_id, type(error).__name__)
            self.store.fail(job_id, f"internal error ({type(error).__name__}); please report it")
        job = self.store.get(job_id)
        with self._lock:
            self._active.discard(job_id)
            if job is not None and job.started and job.finished:
                self._durations.append(job.finished - job.started)

    def shutdown(self) -> None:
        """Stop now: a day being planned is cut (the next start reports it failed)."""
        processes = list((self._pool._processes or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()

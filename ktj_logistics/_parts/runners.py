"""Where parts are solved: in this process, a local process pool, or a Dask cluster.

All three run ``parts.solve_part`` on the same picklable jobs, so with deterministic
search settings they give the same plan. Results come back in job order; ``on_done`` is
called as each part finishes (for progress). A runner raises ``PartsFailed`` when a part
could not be run at all — a missing area is never passed on silently.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

from .._errors import InternalError
from .._solve.child import as_child
from .worker import PartJob, PartOutcome, solve_part

OnDone = Callable[[PartOutcome], None]


class PartsFailed(InternalError):
    """A part could not be solved anywhere (worker crashes, a bug)."""


@runtime_checkable
class PartRunner(Protocol):
    name: str

    def run(self, jobs: Sequence[PartJob], on_done: OnDone | None = None) -> list[PartOutcome]: ...

    def close(self) -> None: ...


class InlineRunner:
    """One part after another in this process (small days, tests, debugging)."""

    name = "inline"

    def run(self, jobs: Sequence[PartJob], on_done: OnDone | None = None) -> list[PartOutcome]:
        out = []
        for job in jobs:
            o = solve_part(job)
            if on_done:
                on_done(o)
            out.append(o)
        return out

    def close(self) -> None:
        return None


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class LocalPoolRunner:
    """A pool of worker processes on this machine (both cores by default).

    Workers are forked where the platform can (Linux): a spawned worker re-imports the
    caller's main module, so an embedding script without an ``if __name__ ==
    "__main__"`` guard would fail, and each would load OR-Tools again (about a second).
    The planning process itself never runs a search while it hands out parts, so a
    child does not inherit a search half-way. Elsewhere they are spawned.
    """

    name = "local"

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=_context(), initializer=as_child
            )
        return self._pool

    def run(self, jobs: Sequence[PartJob], on_done: OnDone | None = None) -> list[PartOutcome]:
        pool = self._executor()
        futures: dict[Future[PartOutcome], int] = {
            pool.submit(solve_part, j): i for i, j in enumerate(jobs)
        }
        out: list[PartOutcome | None] = [None] * len(jobs)
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    o = f.result()
                    out[futures[f]] = o
                    if on_done:
                        on_done(o)
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM through the CLI: stop the searches now
            self._kill()
            raise
        except BrokenProcessPool as exc:
            raise PartsFailed(
                f"a planning process died ({exc}); no plan is written. "
                "Check free memory, or use fewer workers"
            ) from None
        return [o for o in out if o is not None]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _kill(self) -> None:
        """End the workers mid-search: a clean shutdown would wait for their parts."""
        if self._pool is None:
            return
        # No public way before Python 3.14 (terminate_workers); the mapping is stable.
        procs = list((getattr(self._pool, "_processes", None) or {}).values())
        for proc in procs:
            proc.kill()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None


class DaskRunner:
    """Parts as tasks on an existing Dask cluster (``dask scheduler`` + ``dask worker``).

    A worker that dies mid-part has the part re-run on another worker by the scheduler
    (up to ``distributed.scheduler.allowed-failures`` deaths); ``retries`` covers errors
    raised inside the task. Whatever still fails raises ``PartsFailed``.
    """

    name = "dask"

    def __init__(self, address: str, timeout_s: float = 30.0, retries: int = 2) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise PartsFailed("--scheduler needs Dask: pip install 'ktj-route[scale]'") from None
        try:
            self.client: Any = Client(address, timeout=timeout_s)  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise PartsFailed(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.retries = retries
        self._round = 0

    def run(self, jobs: Sequence[PartJob], on_done: OnDone | None = None) -> list[PartOutcome]:
        from distributed import as_completed

        self._round += 1
        futures = [
            self.client.submit(
                solve_part,
                j,
                key=f"ktj-part-{self._round}-{i}-{j.key}",
                pure=False,
                retries=self.retries,
            )
            for i, j in enumerate(jobs)
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        out: list[PartOutcome | None] = [None] * len(jobs)
        failed: list[str] = []
        for f in as_completed(futures):  # type: ignore[no-untyped-call]
            i = index[f.key]
            try:
                o = f.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker, a bug in a task, ...
                failed.append(f"{jobs[i].key}: {type(exc).__name__}: {exc}")
                continue
            out[i] = o
            if on_done:
                on_done(o)
        if failed:
            raise PartsFailed(
                f"{len(failed)} part(s) could not be planned on the cluster ("
                + "; ".join(failed[:3])
                + "); no plan is written"
            )
        return [o for o in out if o is not None]

    def close(self) -> None:
        self.client.close()


def make_runner(scheduler: str | None, workers: int, parts: int) -> PartRunner:
    """Dask if a scheduler is given; else a local pool, or this process for one part."""
    if scheduler:
        return DaskRunner(scheduler)
    if workers <= 1 or parts <= 1:
        return InlineRunner()
    return LocalPoolRunner(min(workers, parts))


class Closing:
    """``with Closing(runner) as r:`` — closes the runner whatever happens."""

    def __init__(self, runner: PartRunner) -> None:
        self.runner = runner

    def __enter__(self) -> PartRunner:
        return self.runner

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.runner.close()

"""What a worker process does with one job: load, plan, write, and say how it went.

It runs in a process of the service's pool (spawned, so it shares nothing with the
server but the state folder). Everything it reports goes through the job table: its
progress (from ``PlanOptions.progress``, at most twice a second), then done with the
plan's totals or failed with a reason. The result is written to a temporary folder and
renamed into place before the job is marked done, so a reader never sees half of it.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import threading
import time
import traceback
import zipfile
from dataclasses import asdict
from pathlib import Path

from .._engine import plan
from .._errors import InputError, KtjError
from .._load import load
from .._options import PlanOptions, Progress
from .._report import ReportOptions, write_outputs
from .store import JobStore

log = logging.getLogger("ktj_logistics.service")

ZIP_NAME = "all.zip"


def watch_parent(parent: int) -> None:
    """Start a thread that ends this process when the server process is gone.

    A worker outliving a killed server would go on planning a job the next server
    reports failed; its writes are refused anyway (see ``JobStore``), this saves the CPU.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="ktj-watch-parent", daemon=True).start()


def warm() -> int:
    """Nothing but the imports above: a pool's processes start before the first job."""
    return os.getpid()


class _ProgressWriter:
    """``PlanOptions.progress`` for a job: counts only, written at most every 0.5 s."""

    def __init__(self, store: JobStore, job_id: str, epoch: int) -> None:
        self.store, self.job_id, self.epoch = store, job_id, epoch
        self.last = 0.0

    def stage(self, name: str, households: int, limit: float = 0.0) -> None:
        self.store.progress(
            self.job_id,
            self.epoch,
            {"stage": name, "households": households, "time_limit_s": limit},
        )

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        fields = asdict(p)
        fields.pop("objective", None)
        self.store.progress(self.job_id, self.epoch, fields)


def zip_folder(folder: Path, dest: Path) -> None:
    """Every file under ``folder`` into one zip, with paths relative to it."""
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(folder).as_posix())


def run_job(state_dir: str, job_id: str, epoch: int) -> str:
    """Plan one job to the end; the job's final status ("done"/"failed"/"skipped")."""
    store = JobStore(Path(state_dir))
    job = store.get(job_id)
    if job is None or not store.start(job_id, epoch):
        return "skipped"  # deleted, expired or taken over by a newer start
    folder = store.folder(job_id)
    tmp = folder / f".result-{secrets.token_hex(4)}"
    report = _ProgressWriter(store, job_id, epoch)
    try:
        report.stage("loading", job.households)
        loaded = load(folder / "input" / job.scenario_file)
        opts = job.options
        options = PlanOptions(
            time_limit_s=opts.time_limit_s,
            workers=1,  # one job per core: the pool has as many processes as cores
            progress=report,
            base_dir=folder / "input",
        )
        result = plan(loaded.scenario, options)
        report.stage("writing", job.households)
        write_outputs(
            result, tmp / "out", options=ReportOptions(lang=opts.lang, redact=opts.redact)
        )
        # The job keeps the one run folder (with its manifest), not the switching layout.
        os.rename((tmp / "out" / "latest").resolve(), tmp / "files")
        shutil.rmtree(tmp / "out")
        zip_folder(tmp / "files", tmp / ZIP_NAME)
        os.replace(tmp, store.result(job_id))
        if store.finish(job_id, epoch, result.plan.totals.model_dump(mode="json")):
            log.info("job %s done in %.1f s", job_id, time.time() - (job.created or 0))
            return "done"
        shutil.rmtree(store.result(job_id), ignore_errors=True)
        return "skipped"
    except InputError as exc:
        store.fail(job_id, str(exc), exc.issues, epoch=epoch)
    except KtjError as exc:  # no plan found, a plugin failed, a plan failed verification
        store.fail(job_id, str(exc), epoch=epoch)
        log.info("job %s failed: %s", job_id, type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - a bug: the job fails, the worker lives on
        store.fail(job_id, f"internal error ({type(exc).__name__}); please report it", epoch=epoch)
        frames = traceback.extract_tb(exc.__traceback__)
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-5:]))
        log.error("job %s: internal error %s at %s", job_id, type(exc).__name__, where)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "failed"

"""The running service's parts, shared by the API and the page, and how a job is shown."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import Request

from .._plan import Totals
from .config import ServiceConfig
from .models import FINAL, JobProgress, JobStatus
from .runner import Runner
from .security import Auth
from .store import JobRow, JobStore

API = "/api/v1"


@dataclass
class Service:
    config: ServiceConfig
    store: JobStore
    runner: Runner
    auth: Auth
    loading: asyncio.Semaphore  # submissions being checked at once (each loads a day)


def service(request: Request) -> Service:
    ktj: Service = request.app.state.ktj
    return ktj


def current_user(request: Request) -> str:
    """FastAPI dependency: the user of the request, or 401/403."""
    return service(request).auth.user(request)


def progress_of(job: JobRow) -> JobProgress:
    """Where a job is, with a fraction a progress bar can show."""
    if job.status == "done":
        return JobProgress(stage="done", fraction=1.0, households=job.households)
    p = dict(job.progress or {})
    stage = str(p.pop("stage", "queued" if job.status == "queued" else "loading"))
    if job.status == "failed":
        stage = "queued" if job.started is None else "loading"
    fraction = 0.0
    if job.status == "running":
        limit = float(p.get("time_limit_s") or 0)
        fraction = 0.02
        if stage == "parts" and p.get("parts_total"):
            fraction = 0.9 * p.get("parts_done", 0) / p["parts_total"]
        elif stage in ("search", "parts") and limit > 0:
            fraction = min(0.9, 0.9 * float(p.get("elapsed_s", 0)) / limit)
        elif stage == "writing":
            fraction = 0.95
    known = {k: v for k, v in p.items() if k in JobProgress.model_fields}
    known.setdefault("households", job.households)
    return JobProgress(stage=stage, fraction=round(max(fraction, 0.0), 3), **known)


def links_of(job: JobRow) -> dict[str, str]:
    base = f"{API}/jobs/{job.id}"
    links = {"self": base}
    if job.status == "done":
        links |= {
            "plan": f"{base}/plan.json",
            "verify": f"{base}/verify",
            "explain": f"{base}/explain/{{household_id}}",
            "files": f"{base}/files",
            "zip": f"{base}/all.zip",
        }
    return links


def status_of(job: JobRow, ttl_s: float) -> JobStatus:
    return JobStatus(
        id=job.id,
        status=job.status,
        created=job.created,
        started=job.started,
        finished=job.finished,
        expires=job.created + ttl_s,
        options=job.options,
        households=job.households,
        progress=progress_of(job),
        totals=Totals.model_validate(job.totals) if job.totals else None,
        error=job.error,
        issues=job.issues,
        warnings=job.warnings,
        links=links_of(job),
    )


def is_final(job: JobRow) -> bool:
    return job.status in FINAL

"""A job and what it made: status, plan, verify, explain, every artefact, the zip.

A job belongs to the user who submitted it; to anyone else it does not exist (404, the
same answer as for an id never issued, so ids cannot be probed). Results are served only
from a finished job's whole result folder.
"""

from __future__ import annotations

import difflib
import mimetypes
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import ValidationError

from .._engine import verify
from .._errors import InputError, Issue
from .._explain import explain
from .._load import load
from .._plan import Plan, StopKind
from .context import API, Service, current_user, is_final, service, status_of
from .models import (
    Artefact,
    Artefacts,
    ErrorOut,
    ExplanationOut,
    InputProblems,
    JobStatus,
    Officer,
    VerifyReport,
)
from .security import ARTEFACT_CSP
from .store import JobRow
from .submit import problems
from .worker import ZIP_NAME

router = APIRouter(prefix=API, tags=["jobs"])

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")
NOT_YOURS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No or wrong token"},
    404: {"model": ErrorOut, "description": "No such job of yours"},
    409: {"model": ErrorOut, "description": "The job has not finished (or failed)"},
}
PLAN_OK: dict[int | str, dict[str, Any]] = {
    200: {"model": Plan, "description": "The plan (ktj-route schema plan)"}
}
MEDIA = {".geojson": "application/geo+json", ".json": "application/json", ".csv": "text/csv"}
VIEWABLE = (".html", ".txt")

User = Annotated[str, Depends(current_user)]


def own_job(svc: Service, job_id: str, user: str) -> JobRow:
    job = svc.store.get(job_id, owner=user) if JOB_ID.match(job_id) else None
    if job is None:
        raise HTTPException(404, "no such job")
    return job


def done_job(svc: Service, job_id: str, user: str) -> JobRow:
    job = own_job(svc, job_id, user)
    if job.status != "done" or not svc.store.result(job_id).is_dir():
        raise HTTPException(409, f"the job is {job.status}, not done")
    return job


def media_type(path: Path) -> str:
    guessed = MEDIA.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = guessed or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


@router.get("/jobs", response_model=list[JobStatus], responses=NOT_YOURS)
def list_jobs(request: Request, user: User) -> list[JobStatus]:
    """Your jobs, newest first (at most 50)."""
    svc = service(request)
    return [status_of(j, svc.config.limits.ttl_s) for j in svc.store.of(user)]


@router.get("/jobs/{job_id}", response_model=JobStatus, responses=NOT_YOURS)
def job_status(request: Request, job_id: str, user: User) -> JobStatus:
    """Status and progress; poll it until ``status`` is ``done`` or ``failed``."""
    svc = service(request)
    return status_of(own_job(svc, job_id, user), svc.config.limits.ttl_s)


@router.delete("/jobs/{job_id}", status_code=204, responses=NOT_YOURS)
def delete_job(request: Request, job_id: str, user: User) -> Response:
    """Delete a finished job and every file of it now (they go anyway after the TTL)."""
    svc = service(request)
    job = own_job(svc, job_id, user)
    if not is_final(job):
        raise HTTPException(409, f"the job is {job.status}; delete it when it has finished")
    svc.store.delete(job_id)
    return Response(status_code=204)


@router.get(
    "/jobs/{job_id}/plan.json",
    responses=PLAN_OK | NOT_YOURS,
)
def plan_json(request: Request, job_id: str, user: User) -> FileResponse:
    """The whole plan: every household served or unserved with its reason."""
    svc = service(request)
    done_job(svc, job_id, user)
    path = svc.store.result(job_id) / "files" / "plan.json"
    return FileResponse(path, media_type="application/json")


def _verify(svc: Service, job: JobRow, plan: Plan) -> VerifyReport:
    loaded = load(svc.store.folder(job.id) / "input" / job.scenario_file)
    violations = verify(loaded.scenario, plan, base_dir=loaded.path.parent)
    return VerifyReport(
        ok=not violations,
        households=plan.totals.households,
        routes=len(plan.routes),
        violations=[str(v) for v in violations],
    )


@router.get("/jobs/{job_id}/verify", response_model=VerifyReport, responses=NOT_YOURS)
async def verify_plan(request: Request, job_id: str, user: User) -> VerifyReport:
    """Check the job's plan against its scenario with the independent checker."""
    svc = service(request)
    job = done_job(svc, job_id, user)
    text = (svc.store.result(job_id) / "files" / "plan.json").read_bytes()
    return await run_in_threadpool(_verify, svc, job, Plan.model_validate_json(text))


@router.post(
    "/jobs/{job_id}/verify",
    response_model=VerifyReport,
    responses=NOT_YOURS | {422: {"model": InputProblems}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Plan"}}},
        }
    },
)
async def verify_other_plan(request: Request, job_id: str, user: User) -> Any:
    """Check a plan you send (a hand-edited ``plan.json``) against this job's scenario."""
    svc = service(request)
    job = own_job(svc, job_id, user)
    if not is_final(job) or job.status != "done":
        raise HTTPException(409, f"the job is {job.status}, not done")
    try:
        plan = Plan.model_validate_json(await request.body())
    except ValidationError as exc:
        fix = "send a plan.json written by ktj-route plan (see ktj-route schema)"
        issues = [
            Issue("plan.json", ".".join(str(p) for p in e["loc"]) or "(file)", e["msg"], fix)
            for e in exc.errors(include_url=False)[:20]
        ]
        return problems(InputError(issues))
    return await run_in_threadpool(_verify, svc, job, plan)


@router.get(
    "/jobs/{job_id}/explain/{household_id}", response_model=ExplanationOut, responses=NOT_YOURS
)
def explain_household(
    request: Request, job_id: str, household_id: str, user: User
) -> ExplanationOut:
    """Why a household was served when it was, or why not (by household id)."""
    svc = service(request)
    done_job(svc, job_id, user)
    plan = Plan.model_validate_json((svc.store.result(job_id) / "files" / "plan.json").read_bytes())
    try:
        e = explain(plan, household_id)
    except KeyError:
        ids = [o.household_id for o in plan.households]
        close = difflib.get_close_matches(household_id, ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise HTTPException(404, f"no household of this id in the plan{hint}") from None
    return ExplanationOut(
        household_id=e.household_id, served=e.served, headline=e.headline, lines=list(e.lines)
    )


@router.get("/jobs/{job_id}/files", response_model=Artefacts, responses=NOT_YOURS)
def list_files(request: Request, job_id: str, user: User) -> Artefacts:
    """Every artefact of the plan, and each officer's sheet."""
    svc = service(request)
    done_job(svc, job_id, user)
    base = svc.store.result(job_id) / "files"
    url = f"{API}/jobs/{job_id}/files/"
    files = [
        Artefact(
            path=p.relative_to(base).as_posix(),
            size=p.stat().st_size,
            media_type=media_type(p),
            url=url + p.relative_to(base).as_posix(),
        )
        for p in sorted(base.rglob("*"))
        if p.is_file()
    ]
    plan = Plan.model_validate_json((base / "plan.json").read_bytes())
    return Artefacts(
        files=files, zip_url=f"{API}/jobs/{job_id}/all.zip", officers=officers(plan, base)
    )


def officers(plan: Plan, base: Path) -> list[Officer]:
    """Each route's sheet, named as the sheet exporter names it (routes with deliveries)."""
    from .._report.runs import slugs

    out = []
    routes = [r for r in plan.routes if any(s.kind == StopKind.delivery for s in r.stops)]
    for route, slug in zip(routes, slugs([r.vehicle_id for r in routes]), strict=True):
        if (base / "sheets" / f"{slug}.html").is_file():
            out.append(
                Officer(
                    vehicle_id=route.vehicle_id,
                    officer=route.officer,
                    sheet=f"sheets/{slug}.html",
                    text=f"whatsapp/{slug}.txt",
                )
            )
    return out


@router.get("/jobs/{job_id}/files/{path:path}", responses=NOT_YOURS)
def download(
    request: Request, job_id: str, path: str, user: User, view: bool = False
) -> FileResponse:
    """One artefact; ``?view=true`` shows a map or sheet in the page (sandboxed)."""
    svc = service(request)
    done_job(svc, job_id, user)
    base = (svc.store.result(job_id) / "files").resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise HTTPException(404, "no such file")
    if view and target.suffix.lower() in VIEWABLE:
        headers = {"content-security-policy": ARTEFACT_CSP, "x-frame-options": "SAMEORIGIN"}
        return FileResponse(target, media_type=media_type(target), headers=headers)
    return FileResponse(
        target,
        media_type=media_type(target),
        filename=target.name,
        content_disposition_type="attachment",
    )


@router.get("/jobs/{job_id}/all.zip", responses=NOT_YOURS)
def download_zip(request: Request, job_id: str, user: User) -> FileResponse:
    """Every artefact in one zip."""
    svc = service(request)
    done_job(svc, job_id, user)
    return FileResponse(
        svc.store.result(job_id) / ZIP_NAME,
        media_type="application/zip",
        filename=f"ktj-route-{job_id}.zip",
    )

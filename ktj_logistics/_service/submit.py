"""Submitting a day: a scenario as JSON, or the scenario file with its tables as uploads.

Either way the answer comes at once: 202 with the job (planning goes on in a worker),
422 with every input problem, 413 when the upload is too large or has too many files,
or 503 with Retry-After when every worker is busy and the queue is full.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from .._errors import InputError, Issue
from .context import API, Service, current_user, service, status_of
from .inputs import Checked, bad_name, check_folder, scenario_of, upload_name
from .models import ErrorOut, InputProblems, IssueOut, JobOptions, JobStatus

log = logging.getLogger("ktj_logistics.service")

router = APIRouter(prefix=API, tags=["submit"])

REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No or wrong token"},
    413: {"model": ErrorOut, "description": "Upload too large or too many files"},
    422: {"model": InputProblems, "description": "Problems in the input, all of them"},
    503: {"model": ErrorOut, "description": "Busy: retry after the Retry-After seconds"},
}

SCENARIO_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}},
    }
}


def problems(exc: InputError) -> JSONResponse:
    """HTTP 422 with the loader's issues (the same as ``ktj-route validate``)."""
    body = InputProblems(
        detail=str(exc),
        issues=[IssueOut.of(i) for i in exc.issues],
        warnings=[IssueOut.of(i) for i in exc.warnings],
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


def busy(svc: Service) -> HTTPException:
    retry = svc.runner.retry_after_s()
    return HTTPException(
        503,
        f"every planner is busy and the queue is full; retry in {retry} s",
        headers={"Retry-After": str(retry)},
    )


async def _accept(
    svc: Service, user: str, job_id: str, folder: Path, scenario_file: str, options: JobOptions
) -> JSONResponse:
    """Check the files in ``folder``; queue them as job ``job_id`` if they load."""
    try:
        async with svc.loading:
            checked: Checked = await run_in_threadpool(
                check_folder, folder, scenario_file, svc.config.networks
            )
    except InputError as exc:
        shutil.rmtree(folder.parent, ignore_errors=True)
        log.info("submission by %s refused: %d input problem(s)", user, len(exc.issues))
        return problems(exc)
    except BaseException:
        shutil.rmtree(folder.parent, ignore_errors=True)
        raise
    if not svc.runner.has_room():  # filled up while the files were being checked
        shutil.rmtree(folder.parent, ignore_errors=True)
        raise busy(svc)
    households = len(checked.loaded.scenario.households)
    svc.store.add(
        job_id, user, svc.runner.epoch, scenario_file, options, households, checked.loaded.warnings
    )
    svc.runner.submit(job_id)
    log.info("job %s queued for %s: %d households", job_id, user, households)
    job = svc.store.get(job_id)
    assert job is not None
    body = status_of(job, svc.config.limits.ttl_s).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers={"Location": f"{API}/jobs/{job_id}"})


def _new_folder(svc: Service) -> tuple[str, Path]:
    job_id = secrets.token_urlsafe(12)
    folder = svc.store.folder(job_id) / "input"
    folder.mkdir(parents=True)
    return job_id, folder


def _check_limit(svc: Service, options: JobOptions) -> None:
    limit = svc.config.limits.max_time_limit_s
    if options.time_limit_s is not None and options.time_limit_s > limit:
        raise InputError(
            [
                Issue(
                    "(request)",
                    "time_limit_s",
                    f"more than this service allows ({limit:g} s)",
                    f"ask for at most {limit:g} s",
                    value=f"{options.time_limit_s:g}",
                )
            ]
        )


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobStatus,
    responses=REFUSALS,
    openapi_extra=SCENARIO_BODY,
    summary="Submit a scenario as JSON",
)
async def submit_json(
    request: Request,
    options: Annotated[JobOptions, Query()],
    user: Annotated[str, Depends(current_user)],
) -> JSONResponse:
    """A whole scenario in one JSON document (the ``Scenario`` schema, records inline)."""
    svc = service(request)
    try:
        _check_limit(svc, options)
    except InputError as exc:
        return problems(exc)
    if not svc.runner.has_room():
        raise busy(svc)
    body = await request.body()
    job_id, folder = _new_folder(svc)
    (folder / "scenario.json").write_bytes(body)
    return await _accept(svc, user, job_id, folder, "scenario.json", options)


@router.post(
    "/jobs/upload",
    status_code=202,
    response_model=JobStatus,
    responses=REFUSALS,
    summary="Submit the scenario file and its tables",
)
async def submit_files(
    request: Request,
    files: Annotated[
        list[UploadFile],
        File(description="The scenario (.yaml/.yml/.json) and the CSV or XLSX files it names"),
    ],
    options: Annotated[JobOptions, Query()],
    user: Annotated[str, Depends(current_user)],
) -> JSONResponse:
    """The day as a coordinator keeps it: ``scenario.yaml`` plus ``households.csv``, …"""
    svc = service(request)
    limits = svc.config.limits
    if len(files) > limits.max_files:
        raise HTTPException(413, f"at most {limits.max_files} files per submission")
    try:
        _check_limit(svc, options)
        names = [upload_name(f.filename) for f in files]
        issues = [bad_name(f.filename) for f, n in zip(files, names, strict=True) if n is None]
        kept = [n for n in names if n is not None]
        issues += [
            Issue("(upload)", "files", "the same file name twice", "upload it once", value=n)
            for n in sorted({n for n in kept if kept.count(n) > 1})
        ]
        scenario_file, more = scenario_of(kept)
        if issues or more or scenario_file is None:
            raise InputError(issues + more)
    except InputError as exc:
        return problems(exc)
    if not svc.runner.has_room():
        raise busy(svc)
    job_id, folder = _new_folder(svc)
    try:
        for upload, name in zip(files, kept, strict=True):
            with (folder / name).open("wb") as out:
                while chunk := await upload.read(1 << 20):
                    out.write(chunk)
    except BaseException:
        shutil.rmtree(folder.parent, ignore_errors=True)
        raise
    return await _accept(svc, user, job_id, folder, scenario_file, options)

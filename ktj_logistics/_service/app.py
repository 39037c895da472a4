"""The service as one ASGI app: API, page, security layers, the pool and the clean-up.

Requests pass, outermost first: the security headers, the body-size limit, the access
log (method, route pattern, status, time: never a household id or a file name), then
FastAPI. The pool is started with the app and stopped with it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._plan import Plan
from .._scenario import Scenario
from .._version import __version__
from . import jobs, submit, web
from .config import ServiceConfig
from .context import API, Service, current_user
from .models import InputProblems, IssueOut
from .runner import Runner
from .security import Auth, BodyLimit, SecurityHeaders, server_secret
from .store import JobStore

log = logging.getLogger("ktj_logistics.service")


class AccessLog:
    """One line per request, with the route's pattern instead of the path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.monotonic()
        status = 500

        async def seen(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await seen(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:  # noqa: BLE001 - already answered 500 and logged without data
            if not started:
                await JSONResponse({"detail": "internal error"}, status_code=500)(
                    scope, receive, send
                )
        finally:
            route = getattr(scope.get("route"), "path", "-")
            ms = (time.monotonic() - t0) * 1000
            log.info("%s %s %d %.0f ms", scope["method"], route, status, ms)


async def _expire(svc: Service) -> None:
    """Delete jobs (rows and files) older than the TTL, and ended sessions, every minute
    or sooner."""
    ttl = svc.config.limits.ttl_s
    every = max(1.0, min(60.0, ttl / 4))
    while True:
        for job_id in svc.store.expired(time.time() - ttl):
            svc.store.delete(job_id)
            log.info("job %s deleted after its time to live", job_id)
        svc.store.drop_expired_sessions()
        await asyncio.sleep(every)


def _lifespan(config: ServiceConfig) -> Any:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = JobStore(config.state_dir)
        epoch, queued = store.recover()
        runner = Runner(store, epoch, config.workers, config.limits.queue)
        runner.warm_up()
        auth = Auth(config.users, store, server_secret(config.state_dir))
        svc = Service(config, store, runner, auth, asyncio.Semaphore(2))
        app.state.ktj = svc
        for job_id in queued:
            runner.submit(job_id)
        log.info("service start %d: %d queued job(s) resumed", epoch, len(queued))
        cleaner = asyncio.create_task(_expire(svc))
        try:
            yield
        finally:
            cleaner.cancel()
            with suppress(asyncio.CancelledError):
                await cleaner
            runner.shutdown()

    return lifespan


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, plus the ``Scenario`` and ``Plan`` models the bodies refer to."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title="ktj-route planning service",
            version=__version__,
            description="Plan sembako deliveries over HTTP; see docs/service.md.",
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Scenario, Plan):
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in found.pop("$defs", {}).items():
                components.setdefault(name, sub)
            components.setdefault(model.__name__, found)
        schema["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        schema["security"] = [{"bearer": []}]
        app.openapi_schema = schema
    return app.openapi_schema


def create_app(config: ServiceConfig) -> ASGIApp:
    """The service for ``config``; run it with any ASGI server (``ktj-route serve``)."""
    app = FastAPI(
        title="ktj-route planning service",
        version=__version__,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(config),
    )
    app.include_router(submit.router)
    app.include_router(jobs.router)
    app.include_router(web.router)

    @app.get(f"{API}/openapi.json", include_in_schema=False)
    def openapi(user: str = Depends(current_user)) -> JSONResponse:
        return JSONResponse(_openapi(app))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [
            IssueOut(
                file="(request)",
                field=".".join(str(p) for p in e.get("loc", ())) or "(request)",
                message=str(e.get("msg", "not valid")),
                fix="see docs/service.md or /api/v1/openapi.json",
            )
            for e in exc.errors()[:20]
        ]
        body = InputProblems(detail=f"{len(issues)} problem(s) in the request", issues=issues)
        return JSONResponse(body.model_dump(mode="json"), status_code=422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        frames = traceback.extract_tb(exc.__traceback__)
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-5:]))
        log.error("internal error %s at %s", type(exc).__name__, where)
        return JSONResponse({"detail": "internal error; please report it"}, status_code=500)

    limited = BodyLimit(AccessLog(app), config.limits.max_upload_bytes)
    return SecurityHeaders(limited, hsts=config.secure_cookies)

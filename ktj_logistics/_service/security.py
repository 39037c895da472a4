"""Who is asking, and the headers and limits every answer carries.

Two ways in: an app sends ``Authorization: Bearer <token>``; a coordinator's browser
logs in once with the same token and then holds a session cookie (HttpOnly,
SameSite=Strict). A cookie is sent by the browser on its own, so a request that changes
anything with a cookie must also carry the session's CSRF token in ``X-CSRF-Token`` (a
header another site cannot set without a CORS preflight this service never grants) and,
when the browser says where it came from, come from this origin.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from pathlib import Path

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import Users
from .store import JobStore

SESSION_COOKIE = "ktj_session"
LOGIN_COOKIE = "ktj_login"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
ARTEFACT_CSP = (
    "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
    "script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: https://tile.openstreetmap.org; frame-ancestors 'self'"
)
"""A map or sheet viewed inside the page runs its own inline script in a sandbox: an
opaque origin (no cookies, no API), no network but the base-map tiles."""

HEADERS = {
    "content-security-policy": PAGE_CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make the Origin of our own forms "null"
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cache-control": "no-store",
}


def server_secret(state_dir: Path) -> bytes:
    """The key CSRF tokens are derived with, kept in the state folder (mode 600)."""
    path = state_dir / "secret"
    if not path.exists():
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def session_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Auth:
    """Answers "who is this request from?" for every protected route."""

    def __init__(self, users: Users, store: JobStore, secret: bytes) -> None:
        self.users, self.store, self.secret = users, store, secret

    def csrf_token(self, session_key: str) -> str:
        return hmac.new(self.secret, session_key.encode(), hashlib.sha256).hexdigest()

    def session_user(self, request: Request) -> str | None:
        key = request.cookies.get(SESSION_COOKIE)
        return self.store.session_user(session_key_hash(key)) if key else None

    def user(self, request: Request) -> str:
        """The user, or HTTP 401 (no or wrong credentials) / 403 (a cross-site write)."""
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, token = header.partition(" ")
            user = self.users.who(token.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                raise unauthorized("the token is not valid")
            return user
        key = request.cookies.get(SESSION_COOKIE)
        user = self.store.session_user(session_key_hash(key)) if key else None
        if key is None or user is None:
            raise unauthorized("log in or send Authorization: Bearer <token>")
        if request.method not in SAFE_METHODS:
            given = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(given, self.csrf_token(key)) or not same_origin(request):
                raise HTTPException(403, "a change from the page needs its CSRF token")
        return user


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer realm="ktj-route"'})


def same_origin(request: Request) -> bool:
    """False only when the browser names another origin than the one it asked."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


class SecurityHeaders:
    """Adds ``HEADERS`` to every response that did not set its own."""

    def __init__(self, app: ASGIApp, hsts: bool) -> None:
        self.app = app
        self.extra = dict(HEADERS)
        if hsts:
            self.extra["strict-transport-security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode().lower() for k, _ in headers}
                for k, v in self.extra.items():
                    if k not in present:
                        headers.append((k.encode(), v.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """HTTP 413 for a request body over ``limit`` bytes, before it is all read.

    A declared ``Content-Length`` over the limit is refused at once; a body sent without
    one is counted as it arrives and cut off when it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def refuse(self, send: Send) -> None:
        body = json.dumps(
            {"detail": f"the upload is larger than {self.limit // (1024 * 1024)} MiB"}
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.refuse(send)
            return
        seen, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if not over:
                started = True
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self.refuse(send)

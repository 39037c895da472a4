"""The coordinator's page: log in with the token, then upload, watch, look and download.

The page is one HTML document and one script that talks to the same API as any app, with
the session cookie and the page's CSRF token. Words come from the one message catalogue
(``_i18n``): Bahasa Indonesia unless ``?lang=en`` asks for English (remembered in a
cookie). Only the login form and the static files are served without a session; they
carry no data.
"""

from __future__ import annotations

import hmac
import secrets
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .._i18n import DEFAULT_LANG, LANGS, MESSAGES, Translator
from .context import service
from .security import LOGIN_COOKIE, SESSION_COOKIE, same_origin, session_key_hash

router = APIRouter(include_in_schema=False)

HERE = Path(__file__).parent
STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
LANG_COOKIE = "ktj_lang"

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in LANGS else DEFAULT_LANG


def _render(name: str, lang: str, status: int = 200, **values: Any) -> HTMLResponse:
    page = _env.get_template(name).render(
        lang=lang, other="en" if lang == "id" else "id", tr=Translator(lang), **values
    )
    return HTMLResponse(page, status_code=status)


def _remember_lang(request: Request, response: Response, lang: str) -> Response:
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict")
    return response


def _login_page(request: Request, lang: str, error: str = "", status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(24)
    response = _render("login.html.j2", lang, status, csrf=nonce, error=error)
    secure = service(request).config.secure_cookies
    response.set_cookie(
        LOGIN_COOKIE, nonce, max_age=3600, httponly=True, samesite="strict", secure=secure
    )
    return _remember_lang(request, response, lang)


@router.get("/")
def page(request: Request) -> Response:
    svc = service(request)
    lang = lang_of(request)
    user = svc.auth.session_user(request)
    key = request.cookies.get(SESSION_COOKIE)
    if user is None or key is None:
        return _login_page(request, lang)
    texts = {k: v[lang] for k, v in MESSAGES.items() if k.startswith(("web.", "reason."))}
    response = _render(
        "page.html.j2",
        lang,
        user=user,
        csrf=svc.auth.csrf_token(key),
        texts=texts,
        max_time_limit=int(svc.config.limits.max_time_limit_s),
        max_files=svc.config.limits.max_files,
    )
    return _remember_lang(request, response, lang)


@router.post("/login")
async def login(request: Request) -> Response:
    svc = service(request)
    lang = lang_of(request)
    form = await request.form(max_files=0, max_fields=4)
    token, given = str(form.get("token", "")), str(form.get("csrf", ""))
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    tr = Translator(lang)
    if not nonce or not hmac.compare_digest(given, nonce) or not same_origin(request):
        return _login_page(request, lang, tr("web.stale_form"), 403)
    user = svc.auth.users.who(token) if token else None
    if user is None:
        return _login_page(request, lang, tr("web.bad_token"), 401)
    key = secrets.token_urlsafe(32)
    svc.store.add_session(session_key_hash(key), user, time.time() + svc.config.session_s)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        key,
        max_age=int(svc.config.session_s),
        httponly=True,
        samesite="strict",
        secure=svc.config.secure_cookies,
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    svc = service(request)
    key = request.cookies.get(SESSION_COOKIE)
    form = await request.form(max_files=0, max_fields=4)
    given = str(form.get("csrf", ""))
    if key is None or not hmac.compare_digest(given, svc.auth.csrf_token(key)):
        raise HTTPException(403, "a change from the page needs its CSRF token")
    svc.store.drop_session(session_key_hash(key))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    if name not in STATIC:
        raise HTTPException(404, "no such file")
    return FileResponse(HERE / "static" / name, media_type=STATIC[name])

"""The fleet console: a login page and one page for admins, served by the gateway at ``/fleet/``.

Plain HTML, CSS and JavaScript from this folder (no build step, nothing from outside the
gateway: the Content-Security-Policy allows only this origin). The page's script talks to the
admin API under ``/api/v1/fleet`` with the session cookie and the session's CSRF token.

Login forms carry a CSRF token too: an HMAC of a random pre-login cookie, so another site cannot
log a browser into the console behind its back.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from gateway import fleet_admin
from gateway.context import GatewayContext, get_context
from gateway.forwarded import client_source, through_tls
from gateway.routers.fleet import SESSION_COOKIE

log = logging.getLogger("fleet")

HERE = Path(__file__).parent
PRE_LOGIN_COOKIE = "fleet_login"
MAX_FORM_BYTES = 4096
_STATIC = {"console.js": "text/javascript", "console.css": "text/css"}
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

router = APIRouter(include_in_schema=False)


def _cookie_options(request: Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "strict", "secure": through_tls(request), "path": "/"}


def _page(name: str, **values: str) -> str:
    html = (HERE / name).read_text(encoding="utf-8")
    for key, value in values.items():
        html = html.replace("{{" + key + "}}", escape(value))
    return html


def _login_page(request: Request, ctx: GatewayContext, message: str = "", status: int = 200) -> HTMLResponse:
    nonce = request.cookies.get(PRE_LOGIN_COOKIE) or secrets.token_urlsafe(24)
    no_password = fleet_admin.password_hash(ctx.db) is None
    if no_password and not message:
        message = ("尚未设置管理员密码 · No admin password is set: run `kiosk-gateway admin set-password` "
                   "or start the gateway with --admin-password-file")
    response = HTMLResponse(_page("login.html", csrf=fleet_admin.login_csrf(ctx.db, nonce), message=message),
                            status_code=status, headers=_HEADERS)
    response.set_cookie(PRE_LOGIN_COOKIE, nonce, max_age=3600, **_cookie_options(request))
    return response


@router.get("/fleet")
def fleet_root() -> RedirectResponse:
    return RedirectResponse("/fleet/", status_code=307)


@router.get("/fleet/", response_class=HTMLResponse)
def console(request: Request, ctx: GatewayContext = Depends(get_context)) -> Response:
    csrf = fleet_admin.session_csrf(ctx.db, request.cookies.get(SESSION_COOKIE), ctx.settings.now().timestamp())
    if csrf is None:
        return _login_page(request, ctx)
    return HTMLResponse(_page("console.html", csrf=csrf), headers=_HEADERS)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {key: values[0] for key, values in fields.items()}


@router.post("/fleet/login")
async def login(request: Request, ctx: GatewayContext = Depends(get_context)) -> Response:
    form = await _form(request)
    db, now_ts, source = ctx.db, ctx.settings.now().timestamp(), client_source(request)
    nonce = request.cookies.get(PRE_LOGIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(form.get("csrf", ""), fleet_admin.login_csrf(db, nonce)):
        return _login_page(request, ctx, "页面已过期，请重新登录 · The form expired; please log in again", 403)
    wait = fleet_admin.locked_for(db, source, now_ts)
    if wait:
        return _login_page(request, ctx, f"密码错误次数过多，请 {wait:.0f} 秒后再试 · Too many wrong passwords; "
                                         f"try again in {wait:.0f} s", 429)
    if not fleet_admin.login(db, form.get("password", "")):
        lock = fleet_admin.note_failure(db, source, now_ts)
        log.warning("wrong console password from %s", source)
        text = "密码错误 · Wrong password"
        if lock:
            text += f"；已锁定 {lock:.0f} 秒 · locked for {lock:.0f} s"
        return _login_page(request, ctx, text, 429 if lock else 401)
    fleet_admin.note_success(db, source)
    session_id, _ = fleet_admin.open_session(db, now_ts)
    log.info("console login from %s", source, extra={"event": "console_login"})
    response = RedirectResponse("/fleet/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(fleet_admin.SESSION_MAX_S), **_cookie_options(request))
    response.delete_cookie(PRE_LOGIN_COOKIE, path="/")
    return response


@router.post("/fleet/logout")
async def logout(request: Request, ctx: GatewayContext = Depends(get_context)) -> Response:
    """End the session on the server, whatever the form says: a copied cookie must stop working too.

    (Another site cannot log the admin out: the cookie is SameSite=Strict, so its posts come without it.)
    """
    fleet_admin.close_session(ctx.db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/fleet/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=through_tls(request), httponly=True, samesite="strict")
    return response


@router.get("/fleet/static/{name}")
def static(name: str) -> Response:
    if name not in _STATIC:
        return Response(status_code=404)
    return FileResponse(HERE / name, media_type=_STATIC[name], headers=_HEADERS)

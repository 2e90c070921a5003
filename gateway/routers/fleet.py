"""Fleet endpoints: kiosks fetch bundles and report on them; admins publish, promote and watch.

Heartbeats arrive through the outbox (``POST /outbox/telemetry``), which hands them to
:mod:`gateway.fleet_book`. Admin endpoints accept either an admin token (``kiosk-admin publish``:
``Authorization: Bearer …``) or a fleet console session cookie, with its CSRF token echoed in
``X-CSRF-Token`` on every request that changes something.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from config.bundle import MAX_CONFIG_VERSION
from contract.base import ErrorBody
from contract.enrolment import KIOSK_ID_PATTERN, EnrolAnswer, EnrolRequest, KioskAccess, KioskToken
from contract.fleet import BundleReport, PublishRequest, ReportAck, RolloutView
from gateway import enrolment, fleet_admin, fleet_book, fleet_pages
from gateway.auth import require_kiosk
from gateway.context import GatewayContext, get_context
from gateway.forwarded import client_source
from gateway.kiosks import KioskIdentity
from gateway.problems import Problem
from gateway.routers.common import AUTH_ERRORS, CONFLICT, NOT_FOUND, Responses

log = logging.getLogger("fleet")

SESSION_COOKIE = "fleet_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

router = APIRouter(prefix="/fleet", tags=["fleet"], responses=AUTH_ERRORS)

_admin_bearer = HTTPBearer(auto_error=False, scheme_name="AdminToken",
                           description="an admin token made by `kiosk-gateway admin new-token`")
_session = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, scheme_name="ConsoleSession",
                        description="the fleet console's session cookie (HttpOnly, SameSite=Strict)")
_csrf = APIKeyHeader(name=CSRF_HEADER, auto_error=False, scheme_name="ConsoleCsrf",
                     description="the console session's CSRF token, required with the cookie on changes")
_FORBIDDEN: Responses = {403: {"model": ErrorBody, "description": "console request without its CSRF token"}}


def require_admin(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_admin_bearer),
    session_id: str | None = Depends(_session),
    csrf: str | None = Depends(_csrf),
    ctx: GatewayContext = Depends(get_context),
) -> str:
    """The admin (``token`` or ``console``) making the request, or 401/403/429."""
    db, now_ts, source = ctx.db, ctx.settings.now().timestamp(), client_source(request)
    wait = fleet_admin.locked_for(db, source, now_ts)
    if wait:
        raise Problem(429, "locked_out", f"too many wrong passwords or tokens; try again in {wait:.0f} s",
                      {"retry_after_s": round(wait)}, headers={"Retry-After": str(max(1, round(wait)))})
    if credentials is not None:
        if credentials.scheme.lower() == "bearer" and fleet_admin.check_token(db, credentials.credentials):
            return "token"
        fleet_admin.note_failure(db, source, now_ts)
        log.warning("wrong admin token from %s", source)
        raise Problem(401, "bad_credentials", "wrong admin token", headers={"WWW-Authenticate": "Bearer"})
    expected = fleet_admin.session_csrf(db, session_id, now_ts)
    if expected is None:
        raise Problem(401, "unauthenticated", "log in to the fleet console (/fleet/) or send an admin token")
    if request.method not in _SAFE_METHODS and not (csrf and hmac.compare_digest(csrf, expected)):
        raise Problem(403, "csrf_failed", f"send the console's CSRF token in {CSRF_HEADER}")
    return "console"


# -- kiosks ------------------------------------------------------------------------------------------------

@router.get("/bundle", status_code=200, responses={
    200: {"content": {"application/json": {}}, "description": "the signed bundle file, exactly as stored"},
    204: {"description": "nothing newer than `installed` for this group at the current roll-out stage"},
}, summary="The newest configuration bundle this kiosk's group may have now")
async def fetch_bundle(
    group: str = Query(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$", description="the kiosk's roll-out group"),
    installed: int = Query(0, ge=0, le=MAX_CONFIG_VERSION, description="highest bundle version the kiosk has accepted"),
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> Response:
    return bundle_answer(ctx, kiosk, group, installed)


def bundle_answer(ctx: GatewayContext, kiosk: KioskIdentity, group: str, installed: int) -> Response:
    """The answer to a kiosk's bundle poll (validated and authenticated): 204 or the bundle's file."""
    with ctx.db.read() as conn:  # short, and never the write lock: answered on the event loop
        found = fleet_book.bundle_for(conn, group, installed)
    if found is None:
        return Response(status_code=204)
    version, data = found
    log.info("bundle version %d sent to kiosk %s (group %s)", version, kiosk.kiosk_id, group)
    return Response(data, media_type="application/json",
                    headers={"X-Bundle-Version": str(version), "Cache-Control": "no-store"})


@router.post("/reports", response_model=ReportAck, summary="A kiosk says what it did with a bundle")
def report(
    body: BundleReport,
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> dict[str, Any]:
    with ctx.db.transaction() as conn:
        fleet_book.record_report(conn, kiosk.kiosk_id, body, ctx.settings.now())
    return {"recorded": True}


# -- admins ------------------------------------------------------------------------------------------------

@router.post("/bundles", response_model=RolloutView, status_code=201, responses={**CONFLICT, **_FORBIDDEN},
             summary="Publish a signed bundle to a first roll-out group (canary), or * for everyone")
def publish_bundle(
    body: PublishRequest,
    admin: str = Depends(require_admin),
    ctx: GatewayContext = Depends(get_context),
) -> JSONResponse:
    data = fleet_book.document_bytes(body.bundle)
    keys = fleet_admin.trusted_keys(ctx.db)
    with ctx.db.transaction() as conn:
        before = conn.row("SELECT count(*) AS n FROM fleet_bundles")["n"]
        view = fleet_book.publish(conn, data, body.group, keys, ctx.settings.now())
        created = conn.row("SELECT count(*) AS n FROM fleet_bundles")["n"] > before
    log.info("publish by %s: version %d to %s (%s)", admin, view["version"], body.group,
             "new" if created else "already there")
    return JSONResponse(view, status_code=201 if created else 200)


@router.post("/bundles/{version}/promote", response_model=RolloutView,
             responses={**NOT_FOUND, **CONFLICT, **_FORBIDDEN},
             summary="Roll a canary bundle out to everyone")
def promote_bundle(
    version: int = Path(ge=1, le=MAX_CONFIG_VERSION),
    admin: str = Depends(require_admin),
    ctx: GatewayContext = Depends(get_context),
) -> dict[str, Any]:
    with ctx.db.transaction() as conn:
        return fleet_book.promote(conn, version, ctx.settings.now())


@router.get("/rollouts", response_model=list[RolloutView], summary="Published bundles and their roll-out stage, newest first")
def list_bundles(admin: str = Depends(require_admin), ctx: GatewayContext = Depends(get_context)) -> list[dict[str, Any]]:
    with ctx.db.read() as conn:  # a snapshot: never the write lock
        return fleet_book.rollouts(conn)


_KNOWN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


def _known(text: str) -> frozenset[str]:
    ids = [part for part in text.split(",") if part]
    if len(ids) > fleet_pages.MAX_PER_PAGE or not all(_KNOWN_ID.fullmatch(part) for part in ids):
        raise Problem(422, "bad_known", f"known: at most {fleet_pages.MAX_PER_PAGE} kiosk ids, separated by commas")
    return frozenset(ids)


@router.get("/kiosks", response_model=dict[str, Any],
            summary="One page of kiosks, filtered and sorted: online by heartbeat age, versions, paper, outbox, alerts")
def list_kiosks(
    hall: str | None = Query(None, min_length=1, max_length=64),
    group: str | None = Query(None, pattern=r"^[a-z0-9][a-z0-9-]{0,31}$"),
    status: Literal["online", "offline"] | None = Query(None),
    alert: str | None = Query(None, pattern=r"^[a-z][a-z0-9_]{1,39}$", description="one alert kind"),
    alerting: bool = Query(False, description="only kiosks with any alert (the alerts view)"),
    version: str | None = Query(None, min_length=1, max_length=40, description="app version"),
    q: str | None = Query(None, max_length=40, description="part of the kiosk id"),
    sort: fleet_pages.SortKey = Query("kiosk"),
    order: Literal["asc", "desc"] = Query("asc"),
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(50, ge=1, le=fleet_pages.MAX_PER_PAGE),
    since: float | None = Query(None, ge=0, le=1e11, description="the cursor of the answer before: send what changed"),
    known: str = Query("", max_length=fleet_pages.MAX_PER_PAGE * 41, description="kiosk ids the console holds"),
    admin: str = Depends(require_admin),
    ctx: GatewayContext = Depends(get_context),
) -> dict[str, Any]:
    query = fleet_pages.KioskQuery(hall=hall, group=group, status=status, alert=alert, alerting=alerting,
                                   version=version, search=q or None, sort=sort, descending=order == "desc",
                                   page=page, per_page=per_page, since=since, known=_known(known))
    with ctx.db.read() as conn:  # a snapshot: never the write lock
        return fleet_pages.page(conn, query, ctx.settings.now())


@router.get("/kiosks/{kiosk_id}", response_model=dict[str, Any], responses=NOT_FOUND,
            summary="One kiosk with its latest heartbeat, recent heartbeats and bundle reports")
def kiosk_detail(kiosk_id: str, admin: str = Depends(require_admin),
                 ctx: GatewayContext = Depends(get_context)) -> dict[str, Any]:
    with ctx.db.read() as conn:  # a snapshot: never the write lock
        return fleet_pages.kiosk_detail(conn, kiosk_id, ctx.settings.now())


@router.get("/trusted-keys", response_model=list[str], summary="Ids of the keys uploaded bundles must be signed with")
def trusted_keys(admin: str = Depends(require_admin), ctx: GatewayContext = Depends(get_context)) -> list[str]:
    return fleet_admin.trusted_keys(ctx.db).ids()


# -- enrolment ---------------------------------------------------------------------------------------------

@router.post("/enrolments", response_model=EnrolAnswer, status_code=201, responses={**CONFLICT, **_FORBIDDEN},
             summary="Enrol kiosks (id, hall, group): each gets a new secret token, shown only in this answer")
def enrol_kiosks(
    body: EnrolRequest,
    admin: str = Depends(require_admin),
    ctx: GatewayContext = Depends(get_context),
) -> JSONResponse:
    try:
        tokens = enrolment.enrol(ctx.db, body.kiosks, ctx.now_iso())
    except enrolment.EnrolmentRefused as exc:
        raise Problem(409 if exc.already_enrolled else 422, "enrolment_refused", "nothing enrolled",
                      exc.problems[:enrolment.SHOWN_PROBLEMS]) from None
    log.info("enrolment by %s: %d kiosks", admin, len(tokens), extra={"event": "kiosks_enrolled"})
    return JSONResponse({"kiosks": [{"kiosk_id": k, "token": t} for k, t in tokens]}, status_code=201,
                        headers={"Cache-Control": "no-store"})


_KIOSK = Path(pattern=KIOSK_ID_PATTERN, description="the kiosk's fleet id")


@router.post("/kiosks/{kiosk_id}/token", response_model=KioskToken, responses={**NOT_FOUND, **_FORBIDDEN},
             summary="Give a kiosk a new token; the old one stops working within seconds")
def rotate_token(kiosk_id: str = _KIOSK, admin: str = Depends(require_admin),
                 ctx: GatewayContext = Depends(get_context)) -> JSONResponse:
    token = enrolment.rotate(ctx.db, kiosk_id, ctx.now_iso())
    ctx.tokens.forget(kiosk_id)  # other worker processes follow within the cache's seconds
    if token is None:
        raise Problem(404, "no_such_kiosk", f"no kiosk {kiosk_id!r} is enrolled")
    log.info("token of kiosk %s rotated by %s", kiosk_id, admin, extra={"event": "kiosk_token_rotated"})
    return JSONResponse({"kiosk_id": kiosk_id, "token": token}, headers={"Cache-Control": "no-store"})


@router.post("/kiosks/{kiosk_id}/disable", response_model=KioskAccess, responses={**NOT_FOUND, **_FORBIDDEN},
             summary="Refuse a kiosk from now on (within seconds); its token is kept")
def disable_kiosk(kiosk_id: str = _KIOSK, admin: str = Depends(require_admin),
                  ctx: GatewayContext = Depends(get_context)) -> dict[str, Any]:
    return _set_enabled(ctx, kiosk_id, False, admin)


@router.post("/kiosks/{kiosk_id}/enable", response_model=KioskAccess, responses={**NOT_FOUND, **_FORBIDDEN},
             summary="Accept a disabled kiosk again")
def enable_kiosk(kiosk_id: str = _KIOSK, admin: str = Depends(require_admin),
                 ctx: GatewayContext = Depends(get_context)) -> dict[str, Any]:
    return _set_enabled(ctx, kiosk_id, True, admin)


def _set_enabled(ctx: GatewayContext, kiosk_id: str, enabled: bool, admin: str) -> dict[str, Any]:
    found = enrolment.set_enabled(ctx.db, kiosk_id, enabled)
    ctx.tokens.forget(kiosk_id)
    if not found:
        raise Problem(404, "no_such_kiosk", f"no kiosk {kiosk_id!r} is enrolled")
    log.info("kiosk %s %s by %s", kiosk_id, "enabled" if enabled else "disabled", admin)
    return {"kiosk_id": kiosk_id, "enabled": enabled}

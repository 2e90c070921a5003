"""Kiosk authentication and per-kiosk rate limits, as one FastAPI dependency.

A kiosk sends ``X-Kiosk-Id`` and ``Authorization: Bearer <token>``. A good token is remembered for a
few seconds (:mod:`gateway.token_cache`); otherwise one short indexed read checks it. Either way
the check runs on the event loop, without a hand-off to a worker thread. Unknown kiosk, wrong token
or a disabled kiosk: 401. Over its rate: 429 with Retry-After. Failed attempts for one kiosk id
are limited too (guessing tokens); only failures count, so a stranger cannot lock a kiosk out.
"""

from __future__ import annotations

import logging
import re

from fastapi import Depends
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from contract import KIOSK_ID_HEADER
from gateway.context import GatewayContext, get_context
from gateway.kiosks import KioskIdentity, verify_kiosk
from gateway.problems import Problem

log = logging.getLogger("gateway.server")

_kiosk_id = APIKeyHeader(name=KIOSK_ID_HEADER, auto_error=False, scheme_name="KioskId",
                         description="the kiosk's fleet id, e.g. XM-HALL-001")
_bearer = HTTPBearer(auto_error=False, scheme_name="KioskToken", description="the kiosk's secret token")

_KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="hall-gateway"'}


async def require_kiosk(
    kiosk_id: str | None = Depends(_kiosk_id),
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    ctx: GatewayContext = Depends(get_context),
) -> KioskIdentity:
    """The calling kiosk, authenticated and within its rate limit."""
    if not kiosk_id or credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "unauthenticated", f"send {KIOSK_ID_HEADER} and Authorization: Bearer <token>",
                      headers=_CHALLENGE)
    identity = known_kiosk(ctx, kiosk_id, credentials.credentials)
    if identity is None:
        shown = kiosk_id[:40] if _KIOSK_ID.fullmatch(kiosk_id[:40]) else "(not a kiosk id)"
        log.warning("refused credentials for kiosk id %r", shown)  # the log filter masks ID-number-like ids
        wait = ctx.failed_logins.take(kiosk_id[:40])
        if wait:
            raise Problem(429, "rate_limited", f"too many failed logins for this kiosk id; retry in {wait} s",
                          {"retry_after_s": wait}, headers={"Retry-After": str(wait)})
        raise Problem(401, "bad_credentials", "unknown kiosk, wrong token or kiosk disabled",
                      headers=_CHALLENGE)
    over = over_rate(ctx, identity)
    if over is not None:
        raise over
    return identity


def known_kiosk(ctx: GatewayContext, kiosk_id: str, token: str) -> KioskIdentity | None:
    """The kiosk if ``token`` is its good token: remembered (:mod:`gateway.token_cache`), else one indexed read."""
    identity = ctx.tokens.get(kiosk_id, token)
    if identity is None:  # not checked since the last token change: one indexed read, here on the event loop
        identity = verify_kiosk(ctx.db, kiosk_id, token)
        if identity is not None:
            ctx.tokens.put(kiosk_id, token, identity)
    return identity


def over_rate(ctx: GatewayContext, identity: KioskIdentity) -> Problem | None:
    """Takes one request from the kiosk's rate; the 429 to answer when it is used up."""
    wait = ctx.limiter.take(identity.kiosk_id)
    if wait:
        return Problem(429, "rate_limited", f"too many requests from this kiosk; retry in {wait} s",
                       {"retry_after_s": wait}, headers={"Retry-After": str(wait)})
    return None

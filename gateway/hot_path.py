"""The kiosks' two frequent requests answered before FastAPI: a heartbeat and a bundle poll.

Every kiosk sends a heartbeat a minute (``POST /api/v1/outbox/telemetry``, a ``heartbeat``
payload) and polls for a configuration bundle every few minutes (``GET /api/v1/fleet/bundle``).
Routed through FastAPI each paid for its dependency solving, its middleware stack and its
response machinery, a few times the cost of the work itself. This pure-ASGI layer (inside the
load shedding, so it is bounded like everything else) answers them directly with the same code
the routes run (:func:`gateway.routers.outbox.answer`, :func:`gateway.routers.fleet.bundle_answer`,
:func:`gateway.auth.known_kiosk`), the same pydantic models and the same body limit.

It takes a request only when nothing about it can go wrong before the work starts: the headers
are there, once each, and well formed; the body is JSON of the declared length within the limit
and valid against the models; the kiosk's token is good. Anything else (a missing header, bad
JSON, an oversized or chunked body, an unknown token, a query it does not expect) falls through
untouched to FastAPI, which answers it exactly as it always has: the fast path never writes an
error of its own before that point, so error bodies and their order (401 before 422 …) stay
FastAPI's. After it, the refusals (429 over the rate, 409 for a reused key, 422 for a clock too
far off) come from the same :class:`gateway.problems.Problem` and the same error answers. The
FastAPI routes stay declared: the OpenAPI document does not change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.bundle import MAX_CONFIG_VERSION
from contract import API_PREFIX
from contract.fleet import Heartbeat
from contract.outbox import OutboxEntry
from gateway.auth import known_kiosk, over_rate
from gateway.context import GatewayContext
from gateway.error_handlers import error_answer
from gateway.idempotency import KEY_PATTERN
from gateway.kiosks import KioskIdentity
from gateway.routers import fleet, outbox
from gateway.routers.common import IdempotentPost

HEARTBEAT_PATH = f"{API_PREFIX}/outbox/telemetry"
BUNDLE_PATH = f"{API_PREFIX}/fleet/bundle"

_KEY = re.compile(KEY_PATTERN)
_GROUP = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")  # the route's pattern for ``group``
_INSTALLED = re.compile(r"[0-9]{1,16}")
_WANTED = {b"content-length": "length", b"content-type": "type", b"x-kiosk-id": "kiosk",
           b"authorization": "auth", b"idempotency-key": "key"}


class _Fall(Exception):
    """Not for the fast path: FastAPI answers (the body read so far goes with it)."""


class HotPath:
    def __init__(self, app: ASGIApp, ctx: GatewayContext, max_bytes: int) -> None:
        self.app = app
        self.ctx = ctx
        self.max_bytes = max_bytes
        self.taken = 0  # requests answered here (tests look)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            path, method = scope["path"], scope["method"]
            if path == HEARTBEAT_PATH and method == "POST":
                await self._heartbeat(scope, receive, send)
                return
            if path == BUNDLE_PATH and method == "GET":
                await self._bundle(scope, receive, send)
                return
        await self.app(scope, receive, send)

    # -- heartbeats -------------------------------------------------------------------------------------

    async def _heartbeat(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        try:
            headers = _headers(scope)
            body = await self._body(headers, receive)
            entry, heartbeat = _heartbeat_entry(headers, body)
            kiosk, key = self._kiosk(headers), headers["key"]
        except _Fall:
            await self.app(scope, _replay(body, receive), send)
            return
        await self._answer(scope, receive, send, kiosk, lambda: outbox.answer(
            IdempotentPost(self.ctx, kiosk, key), "telemetry", entry, heartbeat))

    async def _answer(self, scope: Scope, receive: Receive, send: Send, kiosk: KioskIdentity,
                      work: Callable[[], Response]) -> None:
        """A request taken by the fast path: the kiosk's rate limit, then ``work``; errors as the app's."""
        self.taken += 1
        try:
            over = over_rate(self.ctx, kiosk)
            if over is not None:
                raise over
            response = work()
        except Exception as exc:  # noqa: BLE001 - answered as the app's error handlers would
            response = error_answer(exc, scope["method"], scope["path"])
        await response(scope, receive, send)

    async def _body(self, headers: dict[str, str], receive: Receive) -> bytes:
        """The whole body when it is declared, within the limit and sent as JSON; else :class:`_Fall`."""
        length, kind = headers.get("length"), headers.get("type", "")
        if length is None or not length.isdigit() or int(length) > self.max_bytes or int(length) == 0:
            raise _Fall
        if kind.partition(";")[0].strip().lower() != "application/json":
            raise _Fall
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                raise _Fall  # gone: FastAPI sees the same disconnect
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        return b"".join(chunks)

    def _kiosk(self, headers: dict[str, str]) -> KioskIdentity:
        """The authenticated kiosk; anything else falls through (FastAPI logs it and counts the failure)."""
        kiosk_id, auth = headers.get("kiosk"), headers.get("auth")
        if not kiosk_id or not auth:
            raise _Fall
        scheme, _, token = auth.partition(" ")
        token = token.strip()
        if not scheme or not token or scheme.lower() != "bearer":
            raise _Fall
        identity = known_kiosk(self.ctx, kiosk_id, token)
        if identity is None:
            raise _Fall
        return identity

    # -- bundle polls -----------------------------------------------------------------------------------

    async def _bundle(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            headers = _headers(scope)
            if "length" in headers and headers["length"] != "0":
                raise _Fall  # a GET with a body: unusual, FastAPI's
            group, installed = _poll_query(scope.get("query_string", b""))
            kiosk = self._kiosk(headers)
        except _Fall:
            await self.app(scope, receive, send)
            return
        await self._answer(scope, receive, send, kiosk, lambda: fleet.bundle_answer(self.ctx, kiosk, group, installed))


def _headers(scope: Scope) -> dict[str, str]:
    """The headers the fast path reads, each at most once (a repeated one falls through)."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        field = _WANTED.get(name.lower())
        if field is not None:
            if field in found:
                raise _Fall
            found[field] = value.decode("latin-1")
    return found


def _heartbeat_entry(headers: dict[str, str], body: bytes) -> tuple[OutboxEntry, Heartbeat]:
    """The entry and its heartbeat when both are valid and the Idempotency-Key is well formed."""
    if not _KEY.fullmatch(headers.get("key", "")):
        raise _Fall
    try:
        document = json.loads(body)
        if not isinstance(document, dict):
            raise _Fall
        entry = OutboxEntry.model_validate(document)
        if entry.payload.get("kind") != "heartbeat":
            raise _Fall  # another telemetry sample: not the hot path
        return entry, Heartbeat.model_validate(entry.payload)
    except (ValueError, ValidationError, RecursionError):  # json's errors are ValueErrors
        raise _Fall from None


def _poll_query(query: bytes) -> tuple[str, int]:
    """``group`` and ``installed`` from a plain query string (each at most once, nothing else)."""
    group, installed = None, 0
    seen: set[bytes] = set()
    for part in query.split(b"&") if query else ():
        name, eq, value = part.partition(b"=")
        if not eq or name in seen:
            raise _Fall
        seen.add(name)
        text = value.decode("ascii", "replace")
        if name == b"group" and _GROUP.fullmatch(text):
            group = text
        elif name == b"installed" and _INSTALLED.fullmatch(text) and int(text) <= MAX_CONFIG_VERSION:
            installed = int(text)
        else:
            raise _Fall  # escaped, out of range, or a parameter the route does not take
    if group is None:
        raise _Fall
    return group, installed


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` with the body already read given back first."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again if body else receive


def install(app: Any, ctx: GatewayContext, max_bytes: int) -> None:
    """Put the fast path in front of ``app``'s routes (inside its load shedding: add that after)."""
    app.add_middleware(HotPath, ctx=ctx, max_bytes=max_bytes)

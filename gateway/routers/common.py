"""What every router shares: documented error answers, JSON replies, idempotent POSTs.

Every POST that takes an ``Idempotency-Key`` asks for :func:`idempotent` (key optional) or
:func:`idempotent_required` and runs its work through :meth:`IdempotentPost.answer`: one short
transaction, the work done once per (kiosk, key), a repeat answered from what the first kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Header, Request, Response
from fastapi.responses import JSONResponse

from contract.base import ErrorBody
from gateway.auth import require_kiosk
from gateway.context import GatewayContext, get_context
from gateway.idempotency import KEY_PATTERN
from gateway.kiosks import KioskIdentity
from gateway.storage import Transaction

Work = Callable[[Transaction], tuple[int, dict[str, Any]]]
Replay = Callable[[Transaction, dict[str, Any]], dict[str, Any]]

Responses = dict[int | str, dict[str, Any]]  # a route's answers besides its own, for the OpenAPI document

_E = {"model": ErrorBody}
AUTH_ERRORS: Responses = {
    400: {**_E, "description": "the request cannot be read (e.g. a body that is not UTF-8)"},
    401: {**_E, "description": "missing or wrong kiosk credentials"},
    413: {**_E, "description": "request body too large"},
    422: {**_E, "description": "the request does not match the contract"},
    429: {**_E, "description": "this kiosk is over its rate limit; see Retry-After"},
}
NOT_FOUND: Responses = {404: {**_E, "description": "no such thing"}}
CONFLICT: Responses = {409: {**_E, "description": "refused: the state does not allow it"}}


async def optional_key(
    # Typed ``str`` (not ``str | None``) so the document says "a string, optional": a header is never null.
    idempotency_key: str = Header(
        None, alias="Idempotency-Key", pattern=KEY_PATTERN,
        description="chosen by the kiosk before the first attempt; a repeat returns the stored result",
    ),
) -> str | None:
    return idempotency_key


async def required_key(
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", pattern=KEY_PATTERN,
        description="chosen by the kiosk before the first attempt; a repeat returns the stored result",
    ),
) -> str:
    return idempotency_key


def reply(status: int, body: dict[str, Any], replayed: bool = False) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return JSONResponse(body, status_code=status, headers=headers)


@dataclass(frozen=True)
class IdempotentPost:
    """One kiosk's POST with its (optional) Idempotency-Key: the work runs once, a repeat gets the same answer."""

    ctx: GatewayContext
    kiosk: KioskIdentity
    key: str | None

    @property
    def kiosk_id(self) -> str:
        return self.kiosk.kiosk_id

    def run(self, scope: str, body: Any, work: Work, replay: Replay | None = None,
            lock: str | None = "hall") -> tuple[int, dict[str, Any], bool]:
        """(status, answer, replayed) of ``work(conn)`` done once for this key in ``scope``.

        ``body`` is what the key stands for (a reuse with another body is a 409); ``replay(conn, kept)``
        rebuilds the answer from the ids kept the first time. ``lock=None``: only the calling kiosk's
        lock (its own heartbeats and entries), not the hall's.
        """
        with self.ctx.db.transaction(lock=lock) as conn:
            again = (lambda kept: replay(conn, kept)) if replay is not None else None
            return self.ctx.once(conn, self.kiosk.kiosk_id, self.key, scope, body, lambda: work(conn), again)

    def answer(self, scope: str, body: Any, work: Work, replay: Replay | None = None,
               replayed_status: int | None = None) -> JSONResponse:
        """:meth:`run` as the JSON reply (``Idempotent-Replayed: true`` on a repeat)."""
        status, result, replayed = self.run(scope, body, work, replay)
        return reply(replayed_status if replayed and replayed_status else status, result, replayed)


async def idempotent(kiosk: KioskIdentity = Depends(require_kiosk), key: str | None = Depends(optional_key),
                     ctx: GatewayContext = Depends(get_context)) -> IdempotentPost:
    return IdempotentPost(ctx, kiosk, key)


async def idempotent_required(kiosk: KioskIdentity = Depends(require_kiosk), key: str = Depends(required_key),
                              ctx: GatewayContext = Depends(get_context)) -> IdempotentPost:
    return IdempotentPost(ctx, kiosk, key)


def versioned(request: Request, document: dict[str, Any]) -> Response:
    """The document with its ETag, or 304 when the kiosk already holds this version."""
    etag = f'"{document["version"]}"'
    wanted = request.headers.get("if-none-match", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
    return JSONResponse(document, headers={"ETag": etag, "Cache-Control": "no-cache"})


NOT_MODIFIED: Responses = {304: {"description": "not modified: the If-None-Match version is current"}}

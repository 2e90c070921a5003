"""What every router shares: documented error answers, JSON replies, the idempotency header."""

from __future__ import annotations

from typing import Any

from fastapi import Header, Request, Response
from fastapi.responses import JSONResponse

from contract.base import ErrorBody
from gateway.idempotency import KEY_PATTERN

_E = {"model": ErrorBody}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_E, "description": "the request cannot be read (e.g. a body that is not UTF-8)"},
    401: {**_E, "description": "missing or wrong kiosk credentials"},
    413: {**_E, "description": "request body too large"},
    422: {**_E, "description": "the request does not match the contract"},
    429: {**_E, "description": "this kiosk is over its rate limit; see Retry-After"},
}
NOT_FOUND = {404: {**_E, "description": "no such thing"}}
CONFLICT = {409: {**_E, "description": "refused: the state does not allow it"}}


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


def versioned(request: Request, document: dict[str, Any]) -> Response:
    """The document with its ETag, or 304 when the kiosk already holds this version."""
    etag = f'"{document["version"]}"'
    wanted = request.headers.get("if-none-match", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
    return JSONResponse(document, headers={"ETag": etag, "Cache-Control": "no-cache"})


NOT_MODIFIED = {304: {"description": "not modified: the If-None-Match version is current"}}

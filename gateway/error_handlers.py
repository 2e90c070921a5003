"""Every failure answers with :class:`contract.base.ErrorBody` JSON; nothing escapes as a bare 500.

Validation errors keep the location and reason but drop the offending input: it may be an ID
number, and error bodies end up in logs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.problems import Problem

log = logging.getLogger("gateway.server")

_HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 413: "body_too_large", 415: "unsupported_media_type",
    422: "invalid_request", 429: "rate_limited",
}


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "detail": detail}, status_code=status,
                        headers=headers)


def clean_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"loc": [str(part) for part in e.get("loc", ())], "type": str(e.get("type", "")), "msg": str(e.get("msg", ""))}
        for e in errors
    ]


def error_answer(exc: Exception, method: str, path: str) -> JSONResponse:
    """The answer for an exception a request's work raised (the routes' and the hot path's alike)."""
    if isinstance(exc, Problem):
        return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)
    # SQLite stores 64-bit integers, PostgreSQL says "integer out of range" (22003): a schema-valid
    # but huge number is the client's mistake, not ours; other data errors are ours.
    if isinstance(exc, OverflowError) or (isinstance(exc, DataError) and getattr(exc.orig, "sqlstate", None) == "22003"):
        return error_response(422, "number_out_of_range", "a number in the request is too large to store")
    log.error("unexpected error on %s %s", method, path, exc_info=exc)
    return error_response(500, "internal_error", "the gateway failed unexpectedly; see its log")


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = clean_errors(list(exc.errors()))
        if any(e["type"] == "json_invalid" for e in errors):
            return error_response(422, "malformed_json", "the body is not valid JSON", errors)
        return error_response(422, "invalid_request", "the request does not match the contract", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    for kind in (Problem, OverflowError, DataError, Exception):
        app.add_exception_handler(kind, _answer)


async def _answer(request: Request, exc: Exception) -> JSONResponse:
    return error_answer(exc, request.method, request.url.path)

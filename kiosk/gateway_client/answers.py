"""What the gateway's answers mean: a body checked against the contract, a refusal as the error it is."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from contract.base import ErrorBody
from kiosk.gateway_client.errors import (
    GatewayAuthError,
    GatewayError,
    GatewayRateLimited,
    GatewayRefused,
    GatewayServerError,
)
from kiosk.gateway_client.transport import Answer
from kiosk.system.privacy import redact

M = TypeVar("M", bound=BaseModel)


def parse(answer: Answer, model: type[M]) -> M | None:
    """The answer's body as ``model`` (None for 304 Not Modified); a refusal or a body off the contract raises."""
    if answer.status_code == 304:
        return None
    if answer.status_code >= 400:
        raise refusal(answer)
    try:
        return model.model_validate(answer.json())
    except (ValueError, ValidationError) as exc:
        reason = "not JSON" if not isinstance(exc, ValidationError) else f"{exc.error_count()} contract errors"
        raise GatewayServerError("invalid_response", f"answer does not match {model.__name__}: {reason}",
                                 status=answer.status_code) from None


def refusal(answer: Answer) -> GatewayError:
    """The gateway's refusal as the error that says what it means (auth, rate limit, server, refused)."""
    try:
        error = ErrorBody.model_validate(answer.json())
        code, message, detail = error.code, error.message, error.detail
    except (ValueError, ValidationError):
        code, message, detail = f"http_{answer.status_code}", "answer without an error body", None
    message = redact(message)[:300]
    status = answer.status_code
    if status in (401, 403):
        return GatewayAuthError(code, message, status=status)
    if status == 429:
        return GatewayRateLimited(code, message, status=status, retry_after_s=retry_after(answer))
    if status >= 500:
        return GatewayServerError(code, message, status=status)
    return GatewayRefused(code, message, status=status, detail=detail)


def retry_after(answer: Answer) -> float:
    """Seconds the gateway asks to wait before trying again (``Retry-After``, default 1)."""
    try:
        return max(0.0, float(answer.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def busy(answer: Answer) -> GatewayRateLimited:
    """A 503 with Retry-After: the gateway is up and shedding load; come back after the wait it asked."""
    return GatewayRateLimited("busy", "the gateway is busy (HTTP 503, Retry-After)", status=answer.status_code,
                              retry_after_s=retry_after(answer))

"""Request bodies and path segments, checked before anything leaves the kiosk."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kiosk.gateway_client.errors import GatewayRefused

M = TypeVar("M", bound=BaseModel)


def build(model: type[M], **fields: Any) -> M:
    """The request body, checked against the contract before it leaves the kiosk."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        where = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise GatewayRefused("invalid_request", f"{model.__name__} not valid: {where}", permanent=True) from None


def segment(value: str) -> str:
    """A path segment that cannot step out of its route."""
    if not value or not all(c.isalnum() or c in "-_" for c in value):
        raise GatewayRefused("invalid_request", "identifier with characters not allowed in a path", permanent=True)
    return value

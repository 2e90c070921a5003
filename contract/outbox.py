"""Outbox entries the kiosk could not send at the time, replayed later and deduplicated on their key."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from contract.base import Request, Response

OutboxKind = Literal["feedback", "mailing", "payment-reconciliation", "telemetry", "event"]
OUTBOX_KINDS: tuple[str, ...] = ("feedback", "mailing", "payment-reconciliation", "telemetry", "event")


class OutboxEntry(Request):
    """Body of ``POST /outbox/{kind}``; the idempotency key travels in the header."""

    payload: dict[str, Any]
    created_at: str | None = Field(None, description="when the kiosk first recorded the entry")


class ReconciliationPayload(Request):
    order_id: str = Field(min_length=1, max_length=64)
    kiosk_status: str = Field(max_length=32, description="what the kiosk last knew: open, paid, closed, unknown")
    note: str = Field("", max_length=200)


class OutboxAck(Response):
    kind: str
    key: str
    duplicate: bool = Field(description="True when this key was seen before; the stored result is returned")
    result: dict[str, Any] | None = None

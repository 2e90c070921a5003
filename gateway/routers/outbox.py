"""The kiosk's outbox, replayed: entries recorded while offline, deduplicated on their key.

Feedback and mailing entries use the same idempotency scope as the direct endpoints, so an entry
whose first direct attempt did reach the gateway is recognised and not recorded twice. Every kind
is checked against its schema (:mod:`contract.outbox`); only ``telemetry`` samples and ``event``
entries are kept as entries, in their validated form, for the replay window.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from contract.citizen import FeedbackRequest, MailingRequest
from contract.fleet import Heartbeat
from contract.outbox import (
    EventPayload,
    OutboxAck,
    OutboxEntry,
    OutboxKind,
    ReconciliationPayload,
    TelemetrySample,
)
from gateway import citizen_book, fleet_book, payments_book, staff_calls
from gateway.context import GatewayContext
from gateway.error_handlers import clean_errors
from gateway.problems import Problem
from gateway.routers.common import (
    AUTH_ERRORS,
    CONFLICT,
    NOT_FOUND,
    IdempotentPost,
    idempotent_required,
    reply,
)
from gateway.storage import Transaction, dumps

router = APIRouter(prefix="/outbox", tags=["outbox"], responses=AUTH_ERRORS)

_PAYLOADS: dict[str, type[BaseModel]] = {
    "feedback": FeedbackRequest, "mailing": MailingRequest, "payment-reconciliation": ReconciliationPayload,
    "heartbeat": Heartbeat, "telemetry": TelemetrySample, "event": EventPayload,
}


def _validated(kind: str, payload: dict[str, Any]) -> Any:
    model = _PAYLOADS[kind]
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise Problem(422, "invalid_payload", f"the payload is not a valid {kind} entry",
                      clean_errors(list(exc.errors()))) from None


def _reconcile(ctx: GatewayContext, conn: Transaction, payload: ReconciliationPayload,
               kiosk_id: str) -> dict[str, Any]:
    try:  # another kiosk's order reads as unknown, like one that never existed
        order = payments_book.order_view(ctx, conn, payload.order_id, kiosk_id)
    except Problem:
        return {"order_id": payload.order_id, "status": "unknown_order"}
    return {"order_id": order["order_id"], "status": order["status"], "transaction_ref": order["transaction_ref"]}


@router.post("/{kind}", response_model=OutboxAck, responses={**NOT_FOUND, **CONFLICT},
             summary="Deliver one outbox entry; a key seen before returns the stored result")
async def deliver(
    kind: OutboxKind,
    body: OutboxEntry,
    post: IdempotentPost = Depends(idempotent_required),
) -> JSONResponse:
    is_heartbeat = kind == "telemetry" and body.payload.get("kind") == "heartbeat"
    entry = _validated("heartbeat" if is_heartbeat else kind, body.payload)
    return answer(post, kind, body, entry)


def answer(post: IdempotentPost, kind: str, body: OutboxEntry, entry: Any) -> JSONResponse:
    """The reply to an outbox entry whose payload ``entry`` is valid (the hot path answers heartbeats with it too)."""
    ctx, kiosk, key = post.ctx, post.kiosk, post.key
    is_heartbeat = isinstance(entry, Heartbeat)

    def work(conn: Transaction) -> tuple[int, dict[str, Any]]:
        if kind == "feedback":
            return 201, citizen_book.record_feedback(ctx, conn, entry, kiosk.kiosk_id)
        if kind == "mailing":
            return 201, citizen_book.record_mailing(ctx, conn, entry, kiosk.kiosk_id)
        if is_heartbeat:  # kept by the fleet book, not stored as entries
            latest = fleet_book.record_heartbeat(conn, kiosk.kiosk_id, entry, ctx.settings.now(),
                                                 ctx.settings.heartbeat_skew_s)
            return 200, {"latest": latest}
        if kind == "payment-reconciliation":  # answered now from the order; nothing to keep
            return 200, _reconcile(ctx, conn, entry, kiosk.kiosk_id)
        now = ctx.settings.now()
        if kind == "event" and entry.event == staff_calls.EVENT and staff_calls.called_recently(
                conn, kiosk.kiosk_id, now.timestamp()):
            return 200, {"stored": False, "reason": "staff_already_called"}  # one alert, not a flood
        conn.execute("INSERT INTO outbox_entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (kiosk.kiosk_id, kind, key, dumps(entry.model_dump(mode="json")), body.created_at,
                      now.isoformat(timespec="seconds"), now.timestamp()))
        return 200, {"stored": True}

    def again(conn: Transaction, kept: dict[str, Any]) -> dict[str, Any]:
        if kind == "feedback":
            return citizen_book.feedback_receipt(conn, kept["feedback_id"])
        if kind == "mailing":
            return citizen_book.mailing_receipt(conn, kept["mailing_id"])
        if kind == "payment-reconciliation":  # the order's state now, as the first answer was
            return _reconcile(ctx, conn, entry, kiosk.kiosk_id)
        return kept  # {"latest": …} or {"stored": True}

    scope = kind if kind in ("feedback", "mailing") else f"outbox:{kind}"
    # One short transaction on the event loop (no worker-thread hand-off). Everything here belongs to
    # the calling kiosk, so on PostgreSQL it holds that kiosk's lock only (taken by ctx.once), not the hall's.
    _, result, replayed = post.run(scope, entry.model_dump(mode="json"), work, again, lock=None)
    return reply(200, {"kind": kind, "key": key, "duplicate": replayed, "result": result}, replayed)

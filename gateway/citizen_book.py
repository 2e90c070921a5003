"""Feedback (好差评) and EMS mailing requests; shared by the direct endpoints and the outbox replay."""

from __future__ import annotations

import secrets
from typing import Any

from contract.citizen import FeedbackRequest, MailingRequest
from gateway.context import GatewayContext
from gateway.problems import Problem
from gateway.storage import Transaction


def record_feedback(ctx: GatewayContext, conn: Transaction, body: FeedbackRequest, kiosk_id: str) -> dict[str, Any]:
    if body.service_id not in ctx.services:
        raise Problem(404, "service_not_found", "no service with this id in the catalogue")
    feedback_id = f"FB{secrets.token_hex(8).upper()}"
    received = ctx.now_iso()
    phone = body.follow_up_phone if body.follow_up_consent else None
    conn.execute("INSERT INTO feedback (feedback_id, service_id, rating, comment, kiosk_id, received_at, "
                 "record_number, follow_up_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (feedback_id, body.service_id, body.rating, body.comment, kiosk_id, received, body.record_number,
                  phone))
    return feedback_receipt(conn, feedback_id)


def feedback_receipt(conn: Transaction, feedback_id: str) -> dict[str, Any]:
    """The receipt of recorded feedback (what a replay of its request answers)."""
    row = conn.one("SELECT feedback_id, received_at FROM feedback WHERE feedback_id = ?", (feedback_id,))
    if row is None:
        raise Problem(404, "feedback_not_found", "the feedback this key recorded is gone")
    return {"feedback_id": row["feedback_id"], "received_at": row["received_at"]}


def record_mailing(ctx: GatewayContext, conn: Transaction, body: MailingRequest, kiosk_id: str) -> dict[str, Any]:
    mailing_id = f"EMS{secrets.token_hex(6).upper()}"
    received = ctx.now_iso()
    conn.execute("INSERT INTO mailings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (mailing_id, body.document_number, body.recipient_name, body.phone, body.address, body.postcode,
                  kiosk_id, received))
    return mailing_receipt(conn, mailing_id)


def mailing_receipt(conn: Transaction, mailing_id: str) -> dict[str, Any]:
    """The receipt of a recorded mailing request: its id and when, nothing of the recipient."""
    row = conn.one("SELECT mailing_id, received_at FROM mailings WHERE mailing_id = ?", (mailing_id,))
    if row is None:
        raise Problem(404, "mailing_not_found", "the mailing request this key recorded is gone")
    return {
        "mailing_id": row["mailing_id"], "received_at": row["received_at"],
        "expected_dispatch_zh": "办结后1个工作日内由EMS寄出，寄递费用由政府承担。",
        "expected_dispatch_en": "Sent by EMS within one working day of completion; postage is paid by the government.",
    }

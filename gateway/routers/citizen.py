"""What a citizen leaves with the center: a rating of a service and EMS mailing requests."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from contract.citizen import FeedbackReceipt, FeedbackRequest, MailingReceipt, MailingRequest
from gateway import citizen_book
from gateway.auth import require_kiosk
from gateway.context import GatewayContext, get_context
from gateway.kiosks import KioskIdentity
from gateway.routers.common import AUTH_ERRORS, CONFLICT, NOT_FOUND, optional_key, reply

router = APIRouter(tags=["citizen"], responses=AUTH_ERRORS)


@router.post("/feedback", response_model=FeedbackReceipt, status_code=201, responses={**NOT_FOUND, **CONFLICT},
             summary="Rate a service 1–5 with an optional comment (好差评)")
def feedback(
    body: FeedbackRequest,
    kiosk: KioskIdentity = Depends(require_kiosk),
    key: str | None = Depends(optional_key),
    ctx: GatewayContext = Depends(get_context),
) -> JSONResponse:
    with ctx.db.transaction() as conn:
        status, result, replayed = ctx.once(
            conn, kiosk.kiosk_id, key, "feedback", body.model_dump(),
            lambda: (201, citizen_book.record_feedback(ctx, conn, body, kiosk.kiosk_id)),
            lambda kept: citizen_book.feedback_receipt(conn, kept["feedback_id"]),
        )
    return reply(status, result, replayed)


@router.post("/mailing", response_model=MailingReceipt, status_code=201, responses=CONFLICT,
             summary="Ask for a result or licence to be sent by EMS")
def mailing(
    body: MailingRequest,
    kiosk: KioskIdentity = Depends(require_kiosk),
    key: str | None = Depends(optional_key),
    ctx: GatewayContext = Depends(get_context),
) -> JSONResponse:
    with ctx.db.transaction() as conn:
        status, result, replayed = ctx.once(
            conn, kiosk.kiosk_id, key, "mailing", body.model_dump(),
            lambda: (201, citizen_book.record_mailing(ctx, conn, body, kiosk.kiosk_id)),
            lambda kept: citizen_book.mailing_receipt(conn, kept["mailing_id"]),
        )
    return reply(status, result, replayed)

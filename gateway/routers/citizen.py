"""What a citizen leaves with the center: a rating of a service and EMS mailing requests."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from contract.citizen import FeedbackReceipt, FeedbackRequest, MailingReceipt, MailingRequest
from gateway import citizen_book
from gateway.routers.common import AUTH_ERRORS, CONFLICT, NOT_FOUND, IdempotentPost, idempotent

router = APIRouter(tags=["citizen"], responses=AUTH_ERRORS)


@router.post("/feedback", response_model=FeedbackReceipt, status_code=201, responses={**NOT_FOUND, **CONFLICT},
             summary="Rate a service 1–5 with an optional comment (好差评)")
def feedback(body: FeedbackRequest, post: IdempotentPost = Depends(idempotent)) -> JSONResponse:
    return post.answer("feedback", body.model_dump(),
                       lambda conn: (201, citizen_book.record_feedback(post.ctx, conn, body, post.kiosk_id)),
                       lambda conn, kept: citizen_book.feedback_receipt(conn, kept["feedback_id"]))


@router.post("/mailing", response_model=MailingReceipt, status_code=201, responses=CONFLICT,
             summary="Ask for a result or licence to be sent by EMS")
def mailing(body: MailingRequest, post: IdempotentPost = Depends(idempotent)) -> JSONResponse:
    return post.answer("mailing", body.model_dump(),
                       lambda conn: (201, citizen_book.record_mailing(post.ctx, conn, body, post.kiosk_id)),
                       lambda conn, kept: citizen_book.mailing_receipt(conn, kept["mailing_id"]))

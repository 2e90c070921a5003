"""Queue: who waits where, take a number, follow a ticket, and (for the demo) call the next one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse

from contract.queue import (
    AppointmentLookup,
    BookedAppointment,
    CallNextResult,
    QueueOverview,
    Ticket,
    TicketRequest,
)
from gateway import queue_book
from gateway.auth import require_kiosk
from gateway.context import GatewayContext, get_context
from gateway.kiosks import KioskIdentity
from gateway.problems import Problem
from gateway.routers.common import AUTH_ERRORS, CONFLICT, NOT_FOUND, IdempotentPost, idempotent
from gateway.storage import Transaction

router = APIRouter(prefix="/queue", tags=["queue"], responses=AUTH_ERRORS)


@router.get("/services", response_model=QueueOverview, summary="Ticket-taking services with waits")
def services(_: KioskIdentity = Depends(require_kiosk), ctx: GatewayContext = Depends(get_context)) -> QueueOverview:
    with ctx.db.transaction() as conn:
        return QueueOverview.model_validate(queue_book.overview(ctx, conn))


@router.post("/appointments/find", response_model=BookedAppointment, responses={**NOT_FOUND, **CONFLICT},
             summary="Find the booking to check in (by its code or the ID card read at the kiosk)")
def find_appointment(
    body: AppointmentLookup,
    _: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> BookedAppointment:
    with ctx.db.transaction() as conn:
        return BookedAppointment.model_validate(
            queue_book.find_appointment(ctx, conn, body.appointment_code, body.id_number))


@router.post("/tickets", response_model=Ticket, status_code=201, responses={**NOT_FOUND, **CONFLICT},
             summary="Take a number (green channel, or check in today's booking)")
def issue_ticket(body: TicketRequest, post: IdempotentPost = Depends(idempotent)) -> JSONResponse:
    ctx = post.ctx

    def work(conn: Transaction) -> tuple[int, dict[str, Any]]:
        return 201, queue_book.issue(ctx, conn, body.model_dump(), post.kiosk_id)

    def again(conn: Transaction, kept: dict[str, Any]) -> dict[str, Any]:  # the stored ticket, with today's progress rather than back then's
        row = conn.one("SELECT * FROM tickets WHERE ticket_id = ?", (kept["ticket_id"],))
        return queue_book.ticket_view(ctx, conn, row)

    return post.answer("ticket", body.model_dump(), work, again)


@router.get("/tickets/{ticket_id}", response_model=Ticket, responses=NOT_FOUND,
            summary="A ticket's progress (only the kiosk that issued it may ask)")
def ticket(
    ticket_id: str = Path(pattern=r"^[A-Za-z0-9_-]{8,40}$"),
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> Ticket:
    with ctx.db.transaction() as conn:
        row = conn.one("SELECT * FROM tickets WHERE ticket_id = ? AND kiosk_id = ?", (ticket_id, kiosk.kiosk_id))
        if row is None:  # another kiosk's ticket reads as unknown: the same 404
            raise Problem(404, "ticket_not_found", "no ticket with this id")
        return Ticket.model_validate(queue_book.ticket_view(ctx, conn, row))


@router.post("/services/{service_id}/call-next", response_model=CallNextResult, responses=NOT_FOUND,
             summary="Call the next number at a window service of this kiosk's zone (a window's action; "
                     "used by the demo)")
def call_next(
    service_id: str = Path(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$"),
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> CallNextResult:
    if not queue_book.may_call(ctx, kiosk.zone, service_id):
        raise Problem(404, "service_not_found", "no ticket-taking service with this id")
    with ctx.db.transaction() as conn:
        return CallNextResult.model_validate(queue_book.call_next(ctx, conn, service_id))

"""Non-tax fee payment: look up a notice, open an order (idempotent), follow it, close it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse

from contract.payments import (
    NOTICE_NUMBER_PATTERN,
    Notice,
    Order,
    OrderRequest,
    ReceiptCopy,
    ReceiptCopyRequest,
)
from gateway import payments_book, receipt_copies
from gateway.auth import require_kiosk
from gateway.context import GatewayContext, get_context
from gateway.kiosks import KioskIdentity
from gateway.routers.common import AUTH_ERRORS, CONFLICT, NOT_FOUND, IdempotentPost, idempotent_required

router = APIRouter(prefix="/payments", tags=["payments"], responses=AUTH_ERRORS)

_ORDER_ID = r"^PO\d{8}[0-9A-F]{12}$"


@router.get("/notices/{number}", response_model=Notice, responses=NOT_FOUND, summary="A payment notice (缴款通知书)")
def notice(
    number: str = Path(pattern=NOTICE_NUMBER_PATTERN, description="the notice's 16 digits"),
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> Notice:
    with ctx.db.transaction() as conn:
        return Notice.model_validate(payments_book.notice_view(ctx, conn, number, kiosk.kiosk_id))


@router.post("/orders", response_model=Order, status_code=201,
             responses={200: {"model": Order, "description": "the order this Idempotency-Key opened before"},
                        **NOT_FOUND, **CONFLICT},
             summary="Open an order for a notice; the same Idempotency-Key returns the same order")
def create_order(body: OrderRequest, post: IdempotentPost = Depends(idempotent_required)) -> JSONResponse:
    ctx = post.ctx
    return post.answer(
        "order", body.model_dump(),
        lambda conn: (201, payments_book.create_order(ctx, conn, body.notice_number, post.kiosk_id)),
        # the same order, in its current state (it may be paid by now)
        lambda conn, kept: payments_book.order_view(ctx, conn, kept["order_id"], post.kiosk_id),
        replayed_status=200)


@router.get("/orders/{order_id}", response_model=Order, responses=NOT_FOUND,
            summary="An order's state (only the kiosk that opened it may ask)")
def order(
    order_id: str = Path(pattern=_ORDER_ID),
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> Order:
    with ctx.db.transaction() as conn:
        return Order.model_validate(payments_book.order_view(ctx, conn, order_id, kiosk.kiosk_id))


@router.post("/orders/{order_id}/close", response_model=Order, responses={**NOT_FOUND, **CONFLICT},
             summary="Close an unpaid order this kiosk opened (the citizen cancelled or the kiosk gave up waiting)")
def close_order(
    order_id: str = Path(pattern=_ORDER_ID),
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> Order:
    with ctx.db.transaction() as conn:
        return Order.model_validate(payments_book.close_order(ctx, conn, order_id, kiosk.kiosk_id))


@router.post("/receipt-copies", response_model=ReceiptCopy, responses=NOT_FOUND,
             summary="A paid notice's receipt again (补打), for the card of its payer; any other card: 404")
def receipt_copy(
    body: ReceiptCopyRequest,
    kiosk: KioskIdentity = Depends(require_kiosk),
    ctx: GatewayContext = Depends(get_context),
) -> ReceiptCopy:
    receipt_copies.check_rate(ctx, kiosk.kiosk_id, body.notice_number)
    with ctx.db.read() as conn:
        return ReceiptCopy.model_validate(receipt_copies.receipt_copy(ctx, conn, body.notice_number, body.id_number))

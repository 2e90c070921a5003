"""Non-tax fee payment: notices, orders, and the cashier that marks an order paid.

Amounts are integers in fen (1/100 yuan) so nothing is lost to floating point; ``yuan()`` formats.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contract.base import IdNumber, Request, Response

NoticeStatus = Literal["unpaid", "paid", "overdue"]
OrderStatus = Literal["open", "paid", "closed", "expired"]
NOTICE_NUMBER_PATTERN = r"^\d{16}$"
_UNIT = "the collecting unit (执收单位) that issued the notice; empty from gateways that do not send it"


def yuan(fen: int) -> str:
    """``8000`` → ``"80.00"``."""
    return f"{fen // 100}.{fen % 100:02d}"


class Notice(Response):
    number: str
    item_zh: str
    item_en: str = ""
    payer_masked: str
    amount_fen: int = Field(ge=0)
    due_date: str
    status: NoticeStatus
    payable_here: bool = Field(description="False when the kiosk must send the citizen elsewhere")
    message_zh: str = ""
    message_en: str = ""
    open_order_id: str | None = None
    collecting_unit_zh: str = Field(default="", description=_UNIT)
    collecting_unit_en: str = ""
    collecting_unit_code: str = Field(default="", description="the unit's code, when the notice gives one")


class OrderRequest(Request):
    notice_number: str = Field(pattern=NOTICE_NUMBER_PATTERN)


class Order(Response):
    order_id: str
    notice_number: str
    item_zh: str
    item_en: str = ""
    amount_fen: int = Field(ge=0)
    status: OrderStatus
    created_at: str
    expires_at: str
    pay_url: str = Field(description="the payment QR code's content: the cashier page")
    paid_at: str | None = None
    transaction_ref: str | None = None
    receipt_url: str | None = None
    collecting_unit_zh: str = Field(default="", description=_UNIT)
    collecting_unit_en: str = ""
    collecting_unit_code: str = ""


class ReceiptCopyRequest(Request):
    """Asking for a paid notice's receipt again: the notice and the ID number read from the payer's card."""

    notice_number: str = Field(pattern=NOTICE_NUMBER_PATTERN)
    id_number: IdNumber


class ReceiptCopy(Response):
    """A paid notice's receipt, for its payer only (any other card gets the same 404 as an unknown notice)."""

    order: Order
    payer_masked: str

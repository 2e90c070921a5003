"""A paid notice's receipt, printed again for its payer (补打): the notice number and the payer's card.

The answer never tells whether a notice exists to anyone but its payer: an unknown number, an
unpaid notice, a notice without a recorded payer and someone else's card all get the same 404.
Attempts are counted per kiosk and per notice number (:attr:`GatewayContext.reprints`), so a
flood from one kiosk or a guess of card numbers against one notice is stopped with 429.
"""

from __future__ import annotations

import hmac
from typing import Any

from contract.identity import is_valid_id_number
from contract.masking import mask_name
from gateway import payments_book
from gateway.context import GatewayContext
from gateway.problems import Problem
from gateway.storage import Transaction

NOT_FOUND = Problem(404, "receipt_not_found", "no paid notice with this number for this card")


def check_rate(ctx: GatewayContext, kiosk_id: str, notice_number: str) -> None:
    """429 with Retry-After when this kiosk, or anyone asking for this notice, has asked too often."""
    wait = max(ctx.reprints.take(f"kiosk:{kiosk_id}"), ctx.reprints.take(f"notice:{notice_number}"))
    if wait:
        raise Problem(429, "rate_limited", f"too many receipt copies asked for; retry in {wait} s",
                      {"retry_after_s": wait}, headers={"Retry-After": str(wait)})


def receipt_copy(ctx: GatewayContext, conn: Transaction, notice_number: str, id_number: str) -> dict[str, Any]:
    if not is_valid_id_number(id_number):
        raise Problem(422, "id_number_invalid", "the ID number's check digit is wrong (damaged or forged card?)")
    row = conn.one("SELECT payer_name, payer_id_number, status FROM notices WHERE number = ?", (notice_number,))
    payer_id = row["payer_id_number"] if row is not None else ""
    # compared in constant time, and compared even when there is no notice, so timing says nothing either
    matches = hmac.compare_digest((payer_id or "-").encode(), id_number.encode())
    if row is None or not matches or row["status"] != "paid":
        raise NOT_FOUND
    paid = conn.one("SELECT order_id FROM orders WHERE notice_number = ? AND status = 'paid' "
                    "ORDER BY paid_at DESC LIMIT 1", (notice_number,))
    if paid is None:  # paid elsewhere (at a counter): there is no kiosk receipt to print again
        raise NOT_FOUND
    return {"order": payments_book.order_view(ctx, conn, paid["order_id"], None),
            "payer_masked": mask_name(row["payer_name"])}

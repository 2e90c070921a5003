"""Payment notices and orders. One notice has at most one open order, and is paid at most once.

An order expires when its time is up and nobody paid; the cashier page (the stand-in for the
payment platform) is the only thing that marks an order paid.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from contract.masking import mask_name
from gateway.context import GatewayContext
from gateway.problems import Problem
from gateway.storage import Transaction


def _expire(ctx: GatewayContext, conn: Transaction, notice_number: str | None = None, order_id: str | None = None) -> None:
    now = ctx.now_iso()
    rows = conn.all(
        "SELECT order_id, expires_at FROM orders WHERE status = 'open' AND (notice_number = ? OR order_id = ?)",
        (notice_number, order_id),
    )
    for row in rows:
        if datetime.fromisoformat(row["expires_at"]) <= datetime.fromisoformat(now):
            conn.execute("UPDATE orders SET status = 'expired' WHERE order_id = ?", (row["order_id"],))


_PAYING_ELSEWHERE = ("该缴款通知书正在另一台自助终端支付中，请稍候几分钟再试。",
                     "This notice is being paid at another kiosk; please try again in a few minutes.")


def notice_row(conn: Transaction, number: str) -> Any:
    row = conn.one("SELECT * FROM notices WHERE number = ?", (number,))
    if row is None:
        raise Problem(404, "notice_not_found", "no payment notice with this number")
    return row


def notice_view(ctx: GatewayContext, conn: Transaction, number: str, kiosk_id: str) -> dict[str, Any]:
    """The notice as ``kiosk_id`` may see it: an open order's id only when that kiosk opened it."""
    _expire(ctx, conn, notice_number=number)
    row = notice_row(conn, number)
    status = row["status"]
    if status == "unpaid" and row["due_date"] < ctx.today():
        status = "overdue"
    open_order = conn.one("SELECT order_id, kiosk_id FROM orders WHERE notice_number = ? AND status = 'open'",
                          (number,))
    elsewhere = open_order is not None and open_order["kiosk_id"] != kiosk_id
    messages = {
        "unpaid": ("", ""),
        "paid": ("该缴款通知书已缴费，无需重复缴纳。", "This notice has already been paid; nothing more to pay."),
        "overdue": ("该缴款通知书已逾期，需计算滞纳金，请到财政窗口办理。",
                    "This notice is overdue and a late fee applies: please go to the finance window."),
    }
    zh, en = messages[status]
    if elsewhere and status == "unpaid":
        zh, en = _PAYING_ELSEWHERE
    return {
        "number": row["number"], "item_zh": row["item_zh"], "item_en": row["item_en"],
        "payer_masked": mask_name(row["payer_name"]), "amount_fen": row["amount_fen"], "due_date": row["due_date"],
        "status": status, "payable_here": status == "unpaid" and not elsewhere, "message_zh": zh, "message_en": en,
        "open_order_id": open_order["order_id"] if open_order and not elsewhere else None,
        **collecting_unit(row),
    }


def collecting_unit(row: Any) -> dict[str, str]:
    """The notice's collecting unit (执收单位) as the contract carries it (empty for notices from before it was kept)."""
    return {key: row[key] or "" for key in ("collecting_unit_zh", "collecting_unit_en", "collecting_unit_code")}


def order_view(ctx: GatewayContext, conn: Transaction, order_id: str, kiosk_id: str | None) -> dict[str, Any]:
    """The order, for the kiosk that opened it (``kiosk_id``) or, with None, for the payment platform's pages.

    Another kiosk's order answers 404 exactly like an unknown one: its id is printed in a QR code,
    and knowing it must not let a second kiosk read, close or reconcile it.
    """
    _expire(ctx, conn, order_id=order_id)
    row = conn.one("SELECT o.*, n.item_zh, n.item_en, n.collecting_unit_zh, n.collecting_unit_en, "
                   "n.collecting_unit_code FROM orders o JOIN notices n ON n.number = o.notice_number "
                   "WHERE o.order_id = ?", (order_id,))
    if row is None or (kiosk_id is not None and row["kiosk_id"] != kiosk_id):
        raise Problem(404, "order_not_found", "no order with this id")
    paid = row["status"] == "paid"
    return {
        "order_id": row["order_id"], "notice_number": row["notice_number"], "item_zh": row["item_zh"],
        "item_en": row["item_en"], "amount_fen": row["amount_fen"], "status": row["status"],
        "created_at": row["created_at"], "expires_at": row["expires_at"],
        "pay_url": ctx.settings.public(f"/cashier/{row['order_id']}"), "paid_at": row["paid_at"],
        "transaction_ref": row["transaction_ref"],
        "receipt_url": ctx.settings.public(f"/receipts/{row['order_id']}") if paid else None,
        **collecting_unit(row),
    }


def create_order(ctx: GatewayContext, conn: Transaction, notice_number: str, kiosk_id: str) -> dict[str, Any]:
    notice = notice_view(ctx, conn, notice_number, kiosk_id)
    if notice["status"] == "paid":
        raise Problem(409, "notice_paid", "this notice is already paid")
    if notice["open_order_id"]:
        # Never two orders (and so never two charges) for one notice: the kiosk closes or waits on this one.
        raise Problem(409, "order_already_open", "an unpaid order for this notice is still open",
                      {"order_id": notice["open_order_id"]})
    if notice["status"] == "unpaid" and not notice["payable_here"]:
        # Another kiosk's open order: the same refusal, but its id stays with that kiosk.
        raise Problem(409, "order_already_open", "an unpaid order for this notice is open at another kiosk")
    if not notice["payable_here"]:
        raise Problem(409, "notice_not_payable_here", "this notice cannot be paid at a kiosk",
                      {"status": notice["status"]})
    now = ctx.settings.now()
    order_id = f"PO{now:%Y%m%d}{secrets.token_hex(6).upper()}"
    conn.execute(
        "INSERT INTO orders (order_id, notice_number, amount_fen, status, created_at, expires_at, kiosk_id) "
        "VALUES (?, ?, ?, 'open', ?, ?, ?)",
        (order_id, notice_number, notice["amount_fen"], now.isoformat(timespec="seconds"),
         (now + timedelta(seconds=ctx.settings.order_ttl_s)).isoformat(timespec="seconds"), kiosk_id),
    )
    return order_view(ctx, conn, order_id, kiosk_id)


def close_order(ctx: GatewayContext, conn: Transaction, order_id: str, kiosk_id: str) -> dict[str, Any]:
    order = order_view(ctx, conn, order_id, kiosk_id)
    if order["status"] == "paid":
        raise Problem(409, "order_paid", "this order is paid and cannot be closed; refunds go through the finance window",
                      {"transaction_ref": order["transaction_ref"]})
    if order["status"] == "open":
        conn.execute("UPDATE orders SET status = 'closed' WHERE order_id = ?", (order_id,))
    return order_view(ctx, conn, order_id, kiosk_id)


def pay(ctx: GatewayContext, conn: Transaction, order_id: str) -> dict[str, Any]:
    """What the payment platform does when the citizen confirms: the order and its notice become paid."""
    order = order_view(ctx, conn, order_id, None)
    if order["status"] == "paid":
        return order
    if order["status"] != "open":
        raise Problem(409, f"order_{order['status']}", f"this order is {order['status']} and can no longer be paid")
    now = ctx.settings.now()
    reference = f"FS{now:%Y%m%d%H%M%S}{secrets.randbelow(10**6):06d}"
    conn.execute("UPDATE orders SET status = 'paid', paid_at = ?, transaction_ref = ? WHERE order_id = ?",
                 (now.isoformat(timespec="seconds"), reference, order_id))
    conn.execute("UPDATE notices SET status = 'paid' WHERE number = ?", (order["notice_number"],))
    return order_view(ctx, conn, order_id, None)

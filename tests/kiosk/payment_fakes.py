"""A payments gateway and devices that behave like the real ones, with switches to make them fail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from contract.payments import Notice, Order
from kiosk.gateway_client.errors import GatewayOffline, GatewayRefused
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.system.clock import HALL_ZONE

NOW = dt.datetime(2026, 11, 18, 10, 5, tzinfo=HALL_ZONE)
UNPAID = "3502002611000001"
UNPAID_2 = "3502002611000002"
PAID = "3502002611000003"
OVERDUE = "3502002611000004"
UNKNOWN = "3502002699999999"

_NOTICES = {
    UNPAID: ("机动车驾驶证工本费", "Driving licence fee", "王晓明", 1000, "2026-12-31", "unpaid"),
    UNPAID_2: ("不动产登记费", "Property registration fee", "林秀英", 8000, "2026-12-31", "unpaid"),
    PAID: ("普通护照工本费", "Passport fee", "陈嘉欣", 12000, "2026-12-31", "paid"),
    OVERDUE: ("城市道路占用费", "Road occupation fee", "张建国", 45000, "2026-10-01", "overdue"),
}


@dataclass
class FakePayments:
    """The gateway's payment endpoints: one open order per notice, idempotent create, cashier ``pay``."""

    notices: dict[str, list[Any]] = field(default_factory=lambda: {k: list(v) for k, v in _NOTICES.items()})
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # idempotency key -> order id
    calls: list[tuple[str, Any]] = field(default_factory=list)
    down: bool = False  # every call fails as unreachable
    fail_next: dict[str, int] = field(default_factory=dict)  # method -> unreachable failures to give
    lose_answer: dict[str, int] = field(default_factory=dict)  # method -> do the work, then fail the answer

    def _gate(self, method: str) -> None:
        if self.down:
            raise GatewayOffline("offline", "connection refused")
        if self.fail_next.get(method, 0) > 0:
            self.fail_next[method] -= 1
            raise GatewayOffline("offline", "connection reset")

    def _lost(self, method: str) -> None:
        if self.lose_answer.get(method, 0) > 0:
            self.lose_answer[method] -= 1
            raise GatewayOffline("timeout", "no answer; the outcome is unknown")

    def notice(self, number: str) -> Notice:
        self.calls.append(("notice", number))
        self._gate("notice")
        if number not in self.notices:
            raise GatewayRefused("notice_not_found", "no payment notice with this number", status=404)
        item_zh, item_en, payer, amount, due, status = self.notices[number]
        open_order = next((o["order_id"] for o in self.orders.values()
                           if o["notice_number"] == number and o["status"] == "open"), None)
        messages = {"paid": ("该缴款通知书已缴费，无需重复缴纳。", "This notice has already been paid."),
                    "overdue": ("该缴款通知书已逾期，请到财政窗口办理。", "Overdue: please go to the finance window.")}
        zh, en = messages.get(status, ("", ""))
        return Notice(number=number, item_zh=item_zh, item_en=item_en, payer_masked=payer[0] + "*" * (len(payer) - 1),
                      amount_fen=amount, due_date=due, status=status, payable_here=status == "unpaid",
                      message_zh=zh, message_en=en, open_order_id=open_order)

    def create_order(self, notice_number: str, idempotency_key: str) -> Order:
        self.calls.append(("create_order", (notice_number, idempotency_key)))
        self._gate("create_order")
        if idempotency_key in self.keys:
            order = self._view(self.keys[idempotency_key])
        else:
            notice = self.notice(notice_number)
            self.calls.pop()
            if notice.status == "paid":
                raise GatewayRefused("notice_paid", "already paid", status=409)
            if not notice.payable_here:
                raise GatewayRefused("notice_not_payable_here", "not payable here", status=409)
            if notice.open_order_id:
                raise GatewayRefused("order_already_open", "an order is open", status=409,
                                     detail={"order_id": notice.open_order_id})
            order_id = f"PO20261118{len(self.orders) + 1:012X}"
            self.orders[order_id] = {"order_id": order_id, "notice_number": notice_number, "status": "open",
                                     "amount_fen": notice.amount_fen, "transaction_ref": None, "paid_at": None}
            self.keys[idempotency_key] = order_id
            order = self._view(order_id)
        self._lost("create_order")
        return order

    def order(self, order_id: str) -> Order:
        self.calls.append(("order", order_id))
        self._gate("order")
        if order_id not in self.orders:
            raise GatewayRefused("order_not_found", "no order", status=404)
        return self._view(order_id)

    def close_order(self, order_id: str) -> Order:
        self.calls.append(("close_order", order_id))
        self._gate("close_order")
        if order_id not in self.orders:
            raise GatewayRefused("order_not_found", "no order", status=404)
        row = self.orders[order_id]
        if row["status"] == "paid":
            raise GatewayRefused("order_paid", "paid; cannot close", status=409)
        if row["status"] == "open":
            row["status"] = "closed"
        self._lost("close_order")
        return self._view(order_id)

    # -- what the citizen's phone does ------------------------------------------------------------
    def pay(self, order_id: str) -> None:
        row = self.orders[order_id]
        assert row["status"] == "open", "only an open order can be paid"
        row.update(status="paid", transaction_ref="FS20261118100700123456", paid_at="2026-11-18T10:07:00+08:00")
        self.notices[row["notice_number"]][5] = "paid"

    def _view(self, order_id: str) -> Order:
        row = self.orders[order_id]
        notice = self.notices[row["notice_number"]]
        paid = row["status"] == "paid"
        return Order(order_id=order_id, notice_number=row["notice_number"], item_zh=notice[0], item_en=notice[1],
                     amount_fen=row["amount_fen"], status=row["status"], created_at="2026-11-18T10:05:00+08:00",
                     expires_at="2026-11-18T10:20:00+08:00", pay_url=f"http://127.0.0.1:9/cashier/{order_id}",
                     paid_at=row["paid_at"], transaction_ref=row["transaction_ref"],
                     receipt_url=f"https://zwfw.xm.gov.cn/receipts/{order_id}" if paid else None)

    def count(self, method: str) -> int:
        return sum(1 for name, _ in self.calls if name == method)


@dataclass
class FakePrinterHub:
    """``can_print`` and ``print_receipt(receipt, callback)`` like the device hub, answering at once."""

    ready: bool = True
    fail_jobs: bool = False  # the job starts but the paper runs out on the way
    printed: list[Any] = field(default_factory=list)

    def can_print(self) -> bool:
        return self.ready

    def print_receipt(self, receipt: Any, callback: Any = None) -> None:
        if self.fail_jobs:
            outcome = PrintOutcome.failed(RuntimeError("paper out"))
        else:
            self.printed.append(receipt)
            outcome = PrintOutcome.done()
        if callback is not None:
            callback(outcome)

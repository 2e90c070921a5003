"""What the fee payment journey says and prints: its problems in both languages, the receipt and the
voucher, and how they reach the citizen (printed, else the e-receipt QR on screen; the receipt is
owed from "paid" until one of those happened).

Kept apart from the state machine (kiosk/journeys/payment.py) so the wording and the paper
change in one place; the journey mixes in :class:`PaymentPaper`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from contract.payments import Notice, Order, yuan
from devices.printer.layout import Cut, Feed, QrCode, Receipt, Row, Rule, Text, payment_receipt
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.base import Problem

log = logging.getLogger("kiosk.journeys")

OFFLINE = Problem(
    "缴费服务需要连接财政缴费系统，目前网络中断，暂停缴费。",
    "Fee payment needs the finance payment system, which cannot be reached right now, so payment is paused.",
    "请稍后再试，或到财政窗口缴费。",
    "Please try again later or pay at the finance window.",
    "offline",
)
ORDER_UNRESOLVED = Problem(
    "该缴款通知书有一笔支付结果正在确认中。为避免重复扣款，暂时不能再次支付。",
    "A payment for this notice is still being confirmed. To avoid charging you twice, it cannot be paid again yet.",
    "如已扣款，系统将自动核对，无需重复缴费；请稍后再试或到财政窗口查询。",
    "If you were charged, it will be matched automatically; please try again later or ask at the finance window.",
    "order_unresolved",
)


class PaymentPaper:
    """Mixed into the payment journey, whose state (``env``, ``notice``, ``order``, ``number``, the
    owed-receipt file ``owed``, the order records ``orders``) and steps (``go``, ``fail``) it uses."""

    env: Any
    notice: Notice | None
    order: Order | None
    number: str
    owed: Any
    orders: Any
    finished: bool
    receipt_printed: bool
    voucher_printed: bool
    go: Callable[..., None]
    fail: Callable[..., None]
    framed: Callable[[Receipt], Any]
    _now_iso: Callable[[], str]

    if TYPE_CHECKING:
        @property
        def payer(self) -> str: ...  # the journey's: the payer's name, masked

    @property
    def e_receipt_payload(self) -> str:
        """What the e-receipt QR carries (the gateway's receipt page; the reference if it has none)."""
        if self.order is None:
            return ""
        return self.order.receipt_url or self.order.transaction_ref or self.order.order_id

    @property
    def can_print_receipt(self) -> bool:
        """Whether the printer can print now (a cached status, no I/O); if not, the receipt is shown as a QR."""
        return self._printer_ready()

    # -- outcomes -----------------------------------------------------------------------------------
    def _paid(self, order: Order | None) -> None:
        assert order is not None
        self.order = order
        self.env.session.record_number = order.order_id
        number = self.number
        log.info("payment confirmed", extra={"event": "payment_paid"})
        try:
            # before anything else (a small local file): a kill from here on still leaves the receipt owed
            self.owed.owe(order, self._now_iso())
        except OSError as error:
            log.error("could not record the owed receipt: %r", error)
        self.env.calls.submit(lambda: self.orders.resolve(number), lambda _r: None,
                              lambda error: log.error("could not clear the settled order record: %r", error))
        self._deliver_receipt(order)

    def _deliver_receipt(self, order: Order) -> None:
        """Print the receipt of a paid order, or show it as an e-receipt QR code when the printer cannot."""
        self.order = order
        if not self._printer_ready():
            self._e_receipt()
            return
        self.go("printing")
        self._print(self._receipt(order), self._receipt_printed)

    def _receipt_printed(self, printed: bool) -> None:
        if printed:
            self.receipt_printed = True
            self._receipt_given()
            self.go("receipt")
        else:
            self._e_receipt()

    def _e_receipt(self) -> None:
        self._receipt_given()
        self.fail(printer_problem(), "e_receipt")

    def _receipt_given(self) -> None:
        number = self.order.notice_number if self.order is not None else self.number
        self.env.calls.submit(lambda: self.owed.settle(number), lambda _r: None,
                              lambda error: log.error("could not clear the owed receipt: %r", error))

    def _give_voucher(self) -> None:
        self.go("confirming")
        if not self._printer_ready():
            self.voucher_printed = False
            self.go("voucher")
            return
        self._print(self._voucher(), self._voucher_done)

    def _voucher_done(self, printed: bool) -> None:
        self.voucher_printed = printed
        self.go("voucher")

    # -- devices and the gateway ----------------------------------------------------------------------

    # -- the printer ----------------------------------------------------------------------------------
    def _printer_ready(self) -> bool:
        devices = self.env.devices
        try:
            return bool(devices is not None and devices.can_print())
        except Exception:
            log.exception("printer check failed")
            return False

    def _print(self, receipt: Receipt, done: Callable[[bool], None]) -> None:
        def finished(outcome: PrintOutcome) -> None:
            if self.finished:
                return
            done(outcome.printed)

        try:
            self.env.devices.print_receipt(self.framed(receipt), finished)
        except Exception:
            log.exception("print job could not start")
            done(False)

    def _receipt(self, order: Order) -> Receipt:
        notice = self.notice
        item = notice.item_zh if notice else order.item_zh
        unit = order.collecting_unit_zh or (notice.collecting_unit_zh if notice else "")
        code = order.collecting_unit_code or (notice.collecting_unit_code if notice else "")
        return payment_receipt(
            notice_number=order.notice_number, item=item, payer=self.payer, amount=yuan(order.amount_fen),
            paid_at=moment(order.paid_at) or self.env.clock.now(), transaction_id=order.transaction_ref or "",
            qr_url=self.e_receipt_payload, terminal=self.env.settings.kiosk.id,
            collecting_unit=unit, collecting_unit_code=code,
        )

    def _voucher(self) -> Receipt:
        """The voucher for an unknown outcome: what was being paid and the order reference."""
        assert self.order is not None
        order = self.order
        hotline = self.env.settings.kiosk.hotline
        return Receipt("payment_voucher").add(
            Text("支付结果确认中", "center", bold=True), Text("Payment result being confirmed", "center"), Rule(),
            Row("缴款通知书号 Notice", order.notice_number), Row("项目 Item", order.item_zh),
            Row("金额 Amount", f"￥{yuan(order.amount_fen)}"), Row("订单号 Order", order.order_id),
            Row("时间 Time", f"{self.env.clock.now():%Y-%m-%d %H:%M:%S}"),
            Row("终端编号 Terminal", self.env.settings.kiosk.id), Rule(),
            Text("如已扣款，系统将自动核对，无需重复缴费。"),
            Text("If you were charged, the payment will be matched automatically. Do not pay again."),
            Text(f"咨询 Enquiries：财政窗口 Finance window / {hotline}"),
            QrCode(order.order_id, "订单号 Order reference"), Feed(2), Cut(),
        )


def moment(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def notice_problem(notice: Notice, zh: str, en: str, code: str) -> Problem:
    return Problem(notice.message_zh or zh, notice.message_en or en,
                   "如有疑问，请到财政窗口咨询。", "For questions, please ask at the finance window.", code)


def printer_problem() -> Problem:
    return Problem("缴费成功。打印机暂时无法打印，请用手机拍下电子票据二维码保存。",
                   "Paid. The printer cannot print right now: please photograph the e-receipt QR code with your phone.",
                   "扫码可随时查看和下载电子票据。", "Scan it at any time to view and download the e-receipt.",
                   "printer_unavailable")


def kiosk_fault() -> Problem:
    return Problem("本终端暂时无法办理缴费。", "This kiosk cannot take payments right now.",
                   "请使用其他自助终端或到财政窗口缴费。", "Please use another kiosk or pay at the finance window.",
                   "kiosk_fault")

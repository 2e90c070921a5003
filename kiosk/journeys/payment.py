"""Paying a non-tax fee (非税缴费): notice → confirm → payment QR → paid → receipt. Never twice, never lost.

States (the screen switches on them):

- ``offline`` — the gateway is unreachable: payment is not offered (said plainly, with where to pay).
- ``enter`` — type the 16-digit notice number on the keypad, or scan the notice (a problem, e.g. a
  bad number or a code that is not a notice, is shown on the same page).
- ``looking_up`` → ``notice`` (item, masked payer, amount, due date; confirm) or a clear refusal:
  ``unknown_notice``, ``already_paid``, ``not_payable`` (overdue: finance window),
  ``order_unresolved`` (an earlier payment for this notice is still being settled).
- ``creating`` → ``awaiting_payment`` (the order's cashier URL as a QR, a countdown of
  ``settings.session.payment_timeout_s``; the screen calls :meth:`tick` every second and
  :meth:`poll` every ~2 s) or ``create_failed`` (nothing was charged; try again with the same key).
- ``closing`` — time is up (or the citizen cancelled): close the order, then ask once more.
- ``printing`` → ``receipt`` (printed) or ``e_receipt`` (the printer cannot print: the e-receipt
  QR is shown to photograph).
- ``expired`` — the order was closed unpaid: nothing was charged.
- ``confirming`` → ``voucher`` — the outcome is unknown (gateway unreachable): "payment result
  being confirmed", a voucher with the order reference (printed if possible, else on screen),
  and the order handed to the outbox for reconciliation.
- ``failed`` — anything else, with words and a next step.

Money rules, and how they hold:

- The order's Idempotency-Key is made and written to :class:`UnresolvedOrders` before the first
  attempt; every retry (and a retry after a restart) sends the same key, and the gateway answers
  with the same order.
- While a notice has an order on record that is not known to be paid or closed, no second order
  is opened: a lookup first settles the old one (ask, close) and refuses when it cannot.
- A journey that ends while its order is open (Home, idle, shut-down) closes the order in the
  background; if that cannot be confirmed the order goes to the outbox for reconciliation. A
  kiosk that restarted mid-payment hands such orders over when the next payment journey starts.
- While :attr:`busy` is true (an order is being opened, paid, closed or a receipt printed) the
  screen keeps the idle watch from wiping the session: the citizen is paying on their phone and
  does not touch the kiosk. The voucher and receipt pages are not busy: the normal idle wipe applies.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from typing import Any

from config.catalogue import Service
from contract.payments import Notice, Order, yuan
from kiosk.journeys.base import Journey, JourneyEnv, Problem, error_code
from kiosk.journeys.owed_receipts import OwedReceipts
from kiosk.journeys.payment_paper import OFFLINE, ORDER_UNRESOLVED, PaymentPaper, kiosk_fault, notice_problem
from kiosk.journeys.payment_reprint import ReceiptReprint
from kiosk.journeys.payment_settling import OrderSettling, refused
from kiosk.journeys.unresolved_orders import LedgerDamaged, UnresolvedOrders
from kiosk.system.privacy import mask_name

log = logging.getLogger("kiosk.journeys")

NOTICE_DIGITS = 16

# Where a number may be scanned or typed (not while an order is open).
_ENTRY_STATES = {"enter", "notice", "unknown_notice", "already_paid", "not_payable", "order_unresolved", "expired",
                 "reprint_refused", "reprinted", "reprint_qr"}
# While in these states the citizen is waiting on the kiosk or paying on their phone.
_BUSY_STATES = {"looking_up", "creating", "awaiting_payment", "closing", "printing", "confirming", "reprinting"}

class _CreateUnanswered(Exception):
    """Every attempt to open the order went unanswered; the key is kept for the next try."""


class FeePaymentJourney(ReceiptReprint, OrderSettling, PaymentPaper, Journey):
    """The fee payment state machine. Screens read the attributes below and call the public methods."""

    name = "payment"
    needs_scanner = True
    poll_interval_s = 2.0
    create_attempts = 2  # the gateway client retries each attempt itself, with the same key
    retry_pause_s = 1.0  # between attempts to open an order (tests set 0)

    def __init__(self, env: JourneyEnv, service: Service | None = None) -> None:
        super().__init__(env, service)
        self.orders = UnresolvedOrders.in_state_dir(env.settings.state_dir)
        self.owed = OwedReceipts.in_state_dir(env.settings.state_dir)
        self.number = ""
        self.notice: Notice | None = None
        self.order: Order | None = None
        self.order_key = ""
        self.will_print = False
        self.receipt_printed = False
        self.voucher_printed = False
        self.connection_trouble = False  # the last status query went unanswered
        self.handed_to_reconciliation = False
        self.deadline: dt.datetime | None = None
        self._polling = False
        self._closing_reason = "timeout"

    # -- what the screen reads ---------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while the citizen is waiting on a payment: the idle watch must not wipe the session."""
        return self.state in _BUSY_STATES

    @property
    def remaining_s(self) -> int:
        """Whole seconds until the order is given up (0 when no order is waiting)."""
        if self.state != "awaiting_payment" or self.deadline is None:
            return 0
        return max(0, math.ceil((self.deadline - self.env.clock.now()).total_seconds()))

    @property
    def amount_text(self) -> str:
        """The amount in yuan, e.g. ``80.00``."""
        source = self.order or self.notice
        return yuan(source.amount_fen) if source is not None else ""

    @property
    def payer(self) -> str:
        return mask_name(self.notice.payer_masked) if self.notice is not None else ""

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self._hand_over_leftovers()
        if self._reachable():
            self.go("enter")
        else:
            self.fail(OFFLINE, "offline")

    def restart(self) -> None:
        """Back to the keypad for another notice (not while an order is open)."""
        if self.state in _BUSY_STATES:
            return
        self._forget()
        if self._reachable():
            self.go("enter")
        else:
            self.fail(OFFLINE, "offline")

    def cancel(self) -> None:
        """The citizen left: an open order is closed (or handed to reconciliation), personal data forgotten."""
        if self.state == "awaiting_payment" and self.order is not None and not self.finished:
            order_id, number, key = self.order.order_id, self.number, self.order_key
            log.info("payment journey left while its order was open: closing it in the background",
                     extra={"event": "payment_abandoned"})
            self.env.calls.submit(lambda: self._settle_order(number, order_id, key, "open"),
                                  lambda _result: None,
                                  lambda error: log.error("closing an abandoned order failed: %r", error))
        super().cancel()
        self._forget()

    def _forget(self) -> None:
        self.number = ""
        self.notice = None
        self.order = None
        self.order_key = ""
        self.deadline = None
        self.receipt_printed = self.voucher_printed = self.connection_trouble = False
        self.handed_to_reconciliation = False

    # -- the notice -----------------------------------------------------------------------------
    def on_scan(self, code: Any) -> None:
        """A scanned code: a payment notice is looked up; anything else is explained."""
        if self.state not in _ENTRY_STATES:
            log.info("scan ignored while a payment is under way", extra={"event": "scan_ignored"})
            return
        if isinstance(code, BaseException):
            self.on_scan_rejected(code)
            return
        number = getattr(code, "number", None)
        if getattr(code, "kind", "") == "notice" and isinstance(number, str):
            self.look_up(number)
            return
        self.go("enter", Problem(
            "这不是缴款通知书上的二维码，请扫描缴款通知书上的二维码，或输入16位缴款码。",
            "That is not the code on a payment notice. Scan the code on your notice or type its 16-digit number.",
            code="not_a_notice"))

    def on_scan_rejected(self, error: BaseException) -> None:
        """The scanner read something it could not accept (junk, a foreign site)."""
        if self.state not in _ENTRY_STATES:
            return
        self.go("enter", Problem.from_error(error, "请扫描缴款通知书上的二维码，或输入16位缴款码。",
                                            "Scan the code on your notice or type its 16-digit number.",
                                            code="scan_rejected"))

    def look_up(self, number: str) -> None:
        """Look up the notice typed (spaces allowed) or scanned."""
        if self.state not in _ENTRY_STATES | {"offline", "failed"}:
            return
        digits = number.replace(" ", "")
        if len(digits) != NOTICE_DIGITS or not digits.isdigit() or not digits.isascii():
            self.go("enter", Problem(
                f"缴款码应为16位数字，您输入了{len(digits)}位。",
                f"The notice number has 16 digits; you entered {len(digits)}.",
                "请核对缴款通知书后重新输入。", "Please check your notice and enter it again.",
                "bad_number"))
            return
        if not self._reachable():
            self.fail(OFFLINE, "offline")
            return
        self._forget()
        self.number = digits
        self.go("looking_up")
        self.call(lambda: self._fetch_notice(digits), self._notice_arrived, self._lookup_failed)

    def _fetch_notice(self, number: str) -> tuple[Notice, Order | None] | None:
        """(worker) Settle an earlier order of ours for this notice, then fetch it (with a receipt owed
        for it, if any); None if unsettled."""
        record = self.orders.get(number)
        if record is not None and self._settle_record(record) == "unknown":
            return None
        notice = self._gateway_notice(number)
        return notice, self.owed.get(number) if notice.status == "paid" else None

    def _notice_arrived(self, found: tuple[Notice, Order | None] | None) -> None:
        if found is None:
            self.fail(ORDER_UNRESOLVED, "order_unresolved")
            return
        notice, owed = found
        self.notice = notice
        if owed is not None:  # paid here, but the receipt never came out (e.g. a restart): give it now
            log.info("receipt owed for this notice: giving it now", extra={"event": "receipt_reissued"})
            self._deliver_receipt(owed)
        elif notice.status == "paid":
            self.fail(notice_problem(notice, "该缴款通知书已缴费，无需重复缴纳。",
                                      "This notice has already been paid; there is nothing more to pay.",
                                      "already_paid"), "already_paid")
        elif not notice.payable_here:
            self.fail(notice_problem(notice, "该缴款通知书不能在自助终端缴纳。",
                                      "This notice cannot be paid at a kiosk.", notice.status), "not_payable")
        elif notice.open_order_id:
            self.fail(ORDER_UNRESOLVED, "order_unresolved")
        else:
            self.go("notice")

    def _lookup_failed(self, error: BaseException) -> None:
        code = error_code(error)
        if code == "notice_not_found":
            self.fail(Problem.from_error(error, "请核对缴款通知书上的16位缴款码后重新输入。",
                                         "Please check the 16-digit number on your notice and try again.",
                                         code), "unknown_notice")
        elif isinstance(error, LedgerDamaged):
            self.fail(kiosk_fault(), "failed")
        elif not refused(error):
            self.fail(OFFLINE, "offline")
        else:
            self.fail(Problem.from_error(error, "请稍后再试，或到财政窗口缴费。",
                                         "Please try again later or pay at the finance window.", code))

    # -- the order --------------------------------------------------------------------------------
    def confirm(self) -> None:
        """The citizen confirmed the notice: open the order (same key on every retry)."""
        if self.state not in ("notice", "create_failed") or self.notice is None:
            return
        if not self._reachable():
            self.fail(OFFLINE, "offline")
            return
        self.will_print = self._printer_ready()
        number = self.number
        self.go("creating")
        self.call(lambda: self._open_order(number), self._order_opened, self._order_failed)

    retry = confirm

    def _open_order(self, number: str) -> tuple[str, Order]:
        """(worker) Write the key down, then ask for the order, retrying unanswered attempts with that key."""
        record = self.orders.begin(number, self._now_iso())
        last: BaseException | None = None
        for attempt in range(self.create_attempts):
            if attempt and self.retry_pause_s:
                time.sleep(self.retry_pause_s * attempt)  # a short back-off on a worker thread
            try:
                order = self._gateway_create(number, record.key)
            except Exception as error:
                if refused(error):
                    self.orders.resolve(number)  # refused: no order exists under this key
                    raise
                last = error
                continue
            self.orders.opened(number, order.order_id, order.expires_at)
            return record.key, order
        raise _CreateUnanswered(record.key) from last

    def _order_opened(self, result: tuple[str, Order]) -> None:
        self.order_key, order = result
        self.order = order
        if order.status == "paid":  # a replay of an order paid meanwhile
            self._paid(order)
            return
        if order.status != "open":
            self._closing_reason = "timeout"
            self._close()
            return
        now = self.env.clock.now()
        self.deadline = now + dt.timedelta(seconds=self.env.settings.session.payment_timeout_s)
        self.connection_trouble = False
        log.info("payment order opened", extra={"event": "payment_order_opened"})
        self.go("awaiting_payment")

    def _order_failed(self, error: BaseException) -> None:
        code = error_code(error)
        if isinstance(error, _CreateUnanswered):
            self.fail(Problem(
                "暂时无法发起支付，未产生任何扣款。", "The payment could not be started. Nothing has been charged.",
                "请点击“重试”，或到财政窗口缴费。", "Tap \u201cTry again\u201d or pay at the finance window.",
                "create_unanswered"), "create_failed")
        elif code == "notice_paid":
            self.fail(Problem.from_error(error, code=code), "already_paid")
        elif code == "notice_not_payable_here":
            self.fail(Problem.from_error(error, code=code), "not_payable")
        elif code == "order_already_open" or isinstance(error, ValueError):
            self.fail(ORDER_UNRESOLVED, "order_unresolved")
        elif isinstance(error, LedgerDamaged):
            self.fail(kiosk_fault(), "failed")
        else:
            self.fail(Problem.from_error(error, "请稍后再试，或到财政窗口缴费。",
                                         "Please try again later or pay at the finance window.", code))

    # -- waiting for the citizen to pay ------------------------------------------------------------
    def tick(self) -> int:
        """Called every second by the screen: gives up the order when its time is up; returns seconds left."""
        remaining = self.remaining_s
        if self.state == "awaiting_payment" and remaining <= 0:
            self._closing_reason = "timeout"
            self._close()
        return remaining

    def poll(self) -> None:
        """Ask the gateway whether the order is paid (never blocks; one query at a time)."""
        if self.state != "awaiting_payment" or self.order is None or self._polling:
            return
        self._polling = True
        order_id = self.order.order_id
        self.call(lambda: self._gateway_order(order_id), self._polled, self._poll_failed)

    def _polled(self, order: Order) -> None:
        self._polling = False
        if self.state != "awaiting_payment":
            return
        trouble, self.connection_trouble = self.connection_trouble, False
        if order.status == "paid":
            self._paid(order)
        elif order.status in ("closed", "expired"):
            self._closing_reason = "timeout"
            self._close()
        elif trouble:
            self._notify()

    def _poll_failed(self, error: BaseException) -> None:
        self._polling = False
        if self.state != "awaiting_payment":
            return
        log.warning("order status query failed: %s", error_code(error) or type(error).__name__,
                    extra={"event": "payment_poll_failed"})
        if not self.connection_trouble:
            self.connection_trouble = True
            self._notify()

    def cancel_payment(self) -> None:
        """The citizen gave up on the QR page: close the order (if they paid meanwhile, that wins)."""
        if self.state == "awaiting_payment":
            self._closing_reason = "cancelled"
            self._close()

    def _close(self) -> None:
        assert self.order is not None
        order_id, number, key = self.order.order_id, self.number, self.order_key
        self.go("closing")
        self.call(lambda: self._settle_order(number, order_id, key, "open"), self._settled)

    def _settled(self, result: tuple[str, Order | None, bool]) -> None:
        outcome, order, handed = result
        if order is not None:
            self.order = order
        if outcome == "paid":
            self._paid(self.order)
        elif outcome == "closed":
            if self._closing_reason == "cancelled":
                self.fail(Problem("支付已取消，订单已关闭，未产生扣款。", "Payment cancelled. The order is closed; nothing was charged.",
                                  "如需缴费，请重新开始。", "To pay, please start again.", "cancelled"), "expired")
            else:
                self.fail(Problem("支付已超时，订单已关闭，未产生扣款。", "Time ran out. The order is closed; nothing was charged.",
                                  "如需缴费，请重新开始。", "To pay, please start again.", "expired"), "expired")
        else:
            self.handed_to_reconciliation = handed
            self._give_voucher()

    # -- devices and the gateway ----------------------------------------------------------------------
    def _reachable(self) -> bool:
        return self.env.gateway is not None and bool(self.env.online())

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)



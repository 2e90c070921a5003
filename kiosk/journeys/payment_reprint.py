"""A paid notice's receipt printed again (补打) for a citizen who lost it: the notice, then the payer's card.

A base of :class:`~kiosk.journeys.payment.FeePaymentJourney`. A notice looked up and found paid
(``already_paid``) offers it; the card reader is armed only for this step and the card's number is
sent once, never kept. The gateway gives the receipt to the payer's card alone: another card, an
unknown notice or one paid at a counter all come back as the same "not found", so nothing about a
notice is said to a card that is not its payer's. The copy prints with 补打 and when; with no paper
the e-receipt QR is shown instead.

States: ``reprint_card`` (lay the payer's card on the reader; a card that cannot be an ID number is
said on the same page) → ``reprinting`` → ``reprinted`` (the copy came out) or ``reprint_qr`` (no
paper: the e-receipt QR), or ``reprint_refused`` (not this card's, or too many tries) and ``offline``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from contract.identity import IdNumberError, is_valid_id_number, normalise_id_number
from contract.payments import Order, ReceiptCopy, yuan
from devices.printer.layout import Receipt, payment_receipt
from kiosk.journeys.base import Journey, Problem, error_code
from kiosk.journeys.payment_paper import OFFLINE, moment

log = logging.getLogger("kiosk.journeys")

REPRINT_STATES = ("reprint_card", "reprinting", "reprinted", "reprint_qr", "reprint_refused")

NOT_THE_PAYERS = Problem(
    "未能补打：没有找到这张身份证缴纳的该缴款通知书。",
    "Cannot reprint: no payment of this notice was found for this ID card.",
    "补打凭条须使用缴款人本人的身份证；在柜台缴纳的款项请到财政窗口补打。",
    "A receipt is reprinted only for the payer's own ID card; payments made at a counter are reprinted at the "
    "finance window.",
    "receipt_not_found",
)
TOO_MANY = Problem(
    "补打次数过多，请稍后再试。", "Too many reprints were asked for. Please try again later.",
    "如需帮助，请点击“呼叫工作人员”。", "If you need help, tap “Call staff”.", "rate_limited",
)
NOT_AN_ID = Problem(
    "这张证件的号码无法识别，请使用缴款人的居民身份证或居住证。",
    "The number on this card cannot be read as an ID number. Please use the payer's ID card or residence permit.",
    code="id_number_invalid",
)


class ReceiptReprint(Journey):
    """The reprint steps of the payment journey: a :class:`Journey` (its steps ``go``, ``fail``,
    ``call`` and ``cancel``, which these extend) that uses the payment journey's ``number``,
    ``order``, reachability and printer (``_printer_ready``, ``_print``)."""

    number: str
    order: Order | None
    reprint_payer = ""
    reprinted_at: Any = None
    _printer_ready: Callable[[], bool]
    _print: Callable[[Receipt, Callable[[bool], None]], None]
    _reachable: Callable[[], bool]

    @property
    def can_reprint(self) -> bool:
        """Whether the page may offer 补打 (a notice found paid, or a refused try to be made again)."""
        return self.state in ("already_paid", "reprint_refused") and len(self.number) == 16

    def start_reprint(self) -> None:
        if not self.can_reprint:
            return
        if not self._reachable():
            self.fail(OFFLINE, "offline")
            return
        self.go("reprint_card")
        self._reader("arm_card_reader")

    def on_card(self, card: Any) -> None:
        if self.state != "reprint_card":
            return  # a card means nothing to paying a notice
        try:
            id_number = normalise_id_number(getattr(card, "id_number", None))
        except IdNumberError:
            id_number = ""
        if not is_valid_id_number(id_number):
            self.go("reprint_card", NOT_AN_ID)
            return
        number = self.number
        self.go("reprinting")
        self.call(lambda: self._gateway_copy(number, id_number), self._copy_arrived, self._copy_failed)

    def on_card_error(self, error: BaseException) -> None:
        if self.state == "reprint_card":
            self.go("reprint_card", Problem.from_error(
                error, "请取下身份证，再将它平放在感应区，直到听到提示音。",
                "Lift the card, then lay it flat on the reader until you hear the beep.", code="read_failed"))

    def go(self, state: str, problem: Problem | None = None) -> None:
        if self.state == "reprint_card" and state != "reprint_card":
            self._reader("disarm_card_reader")  # the reader is armed for this one step only
        super().go(state, problem)

    def cancel(self) -> None:
        if self.state == "reprint_card":
            self._reader("disarm_card_reader")
        super().cancel()
        self.reprint_payer = ""

    # -- the answer ---------------------------------------------------------------------------------
    def _gateway_copy(self, number: str, id_number: str) -> ReceiptCopy:
        answer = self.env.gateway.receipt_copy(number, id_number)
        return answer if isinstance(answer, ReceiptCopy) else ReceiptCopy.model_validate(answer)

    def _copy_arrived(self, copy: ReceiptCopy) -> None:
        self.order = copy.order
        self.reprint_payer = copy.payer_masked
        self.reprinted_at = self.env.clock.now()
        log.info("receipt copy found for its payer", extra={"event": "receipt_reprint"})
        if not self._printer_ready():
            self.go("reprint_qr")
            return
        self.go("printing")
        self._print(self.reprint_receipt(), self._copy_printed)

    def _copy_printed(self, printed: bool) -> None:
        if printed:
            self.go("reprinted")
        else:
            self.go("reprint_qr")  # the paper ran out on the way: the e-receipt QR instead

    def _copy_failed(self, error: BaseException) -> None:
        code = error_code(error)
        if code in ("receipt_not_found", "id_number_invalid"):
            self.fail(NOT_THE_PAYERS, "reprint_refused")
        elif code == "rate_limited" or getattr(error, "status", None) == 429:
            self.fail(TOO_MANY, "reprint_refused")
        else:
            log.warning("receipt copy not answered (%s)", type(error).__name__, extra={"event": "receipt_reprint"})
            self.fail(OFFLINE, "offline")

    def reprint_receipt(self) -> Receipt:
        """The receipt as first printed, marked 补打 with the time of this copy and this kiosk's id."""
        order = self.order
        assert order is not None
        return payment_receipt(  # framed with the hall's header and footer when printed
            notice_number=order.notice_number, item=order.item_zh, payer=self.reprint_payer,
            amount=yuan(order.amount_fen), paid_at=moment(order.paid_at) or self.reprinted_at,
            transaction_id=order.transaction_ref or "", qr_url=order.receipt_url or order.transaction_ref or "",
            terminal=self.env.settings.kiosk.id, collecting_unit=order.collecting_unit_zh,
            collecting_unit_code=order.collecting_unit_code, reprinted_at=self.reprinted_at,
        )

    def _reader(self, action: str) -> None:
        hub = self.env.devices
        method = getattr(hub, action, None)
        if callable(method):
            try:
                method()
            except Exception:
                log.warning("card reader could not %s", action.split("_")[0], exc_info=True)



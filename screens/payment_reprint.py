"""The payment screen's reprint pages (补打): the payer's card on the reader, and the copy given.

Mixed into :class:`screens.payment.FeePaymentScreen`; the journey's side is
:mod:`kiosk.journeys.payment_reprint`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.journeys.payment import FeePaymentJourney
from kiosk.shell.i18n import _, pick
from screens.card_reader_art import CardReaderArt
from screens.journey_screen import JourneyScreen
from screens.payment_done import E_RECEIPT_QR_SIZE, SMALL_QR_SIZE
from screens.status_panel import StatusPanel
from screens.theme import is_high_contrast
from screens.widgets import TouchButton, label, page_column


class PaymentReprintPage(JourneyScreen[FeePaymentJourney]):
    """Builds the card page and fills it; fills the done page for a copy."""

    # the host screen's (declared, not defined: the host's own, or another part's, are found first)
    page: dict[str, QWidget]
    _restart: Callable[[], None]
    _set_qr: Callable[..., None]
    _qr_side: Callable[[int], int]
    _finish: Callable[[], None]
    done_panel: StatusPanel
    done_rows: QLabel
    done_qr: QLabel
    done_qr_caption: QLabel
    finish_button: TouchButton

    def _build_reprint(self) -> None:
        page, column = page_column(22)
        self.reprint_title = label(role="subtitle", centered=True)
        self.reprint_art = CardReaderArt()
        self.reprint_hint = label(role="hint", centered=True)
        self.reprint_problem = label(role="error")
        self.reprint_back = TouchButton(on_tap=self._restart)
        for widget in (self.reprint_title, self.reprint_art, self.reprint_hint, self.reprint_problem,
                       self.reprint_back):
            column.addWidget(widget)
        column.addStretch(1)
        self.page["reprint_card"] = page

    def _build_reprint_offer(self, column: QVBoxLayout) -> None:
        """The message page's 补打 button (shown for a notice found paid)."""
        self.reprint_button = TouchButton(role="primary", on_tap=self._reprint)
        column.addWidget(self.reprint_button)

    def _show_reprint_card(self, journey: FeePaymentJourney) -> None:
        self.reprint_art.set_elderly(self.context.elderly or is_high_contrast(self.context.services.remote_config))
        self.reprint_title.setText(_("补打缴费凭条：请将缴款人的身份证放在感应区"))
        self.reprint_hint.setText(_("补打凭条须使用缴款人本人的身份证，身份证号码只用于本次核对，不会保存。"))
        problem = journey.problem
        self.reprint_problem.setText(problem.what() if problem else "")
        self.reprint_problem.setVisible(problem is not None)
        self.reprint_back.setText(_("输入其他缴款码"))

    def _show_reprint_done(self, journey: FeePaymentJourney) -> bool:
        """The done page for a copy (True), or False when the journey is not giving one."""
        order = journey.order
        if journey.state not in ("reprinted", "reprint_qr") or order is None:
            return False
        printed = journey.state == "reprinted"
        self.done_panel.show_status(
            "done", self.context.elderly, _("请取走补打的缴费凭条。") if printed
            else _("打印机暂时无法打印，请用手机拍下或扫描电子票据二维码保存。"),
            headline=_("凭条已补打") if printed else _("电子票据"))
        at = journey.reprinted_at
        self.done_rows.setText("\n".join((
            _("缴费项目：{item}").format(item=pick(order.item_zh, order.item_en)),
            _("交易流水号：{ref}").format(ref=order.transaction_ref or ""),
            _("缴款时间：{at}").format(at=(order.paid_at or "").replace("T", " ")[:19]),
            _("补打时间：{at}").format(at=f"{at:%Y-%m-%d %H:%M:%S}" if at else ""))))
        # a copy's page has one line more (补打时间): in elderly mode the smaller code leaves it the room
        side = SMALL_QR_SIZE if printed or self.context.elderly else E_RECEIPT_QR_SIZE
        self._set_qr(self.done_qr, journey.e_receipt_payload, self._qr_side(side))
        self.done_qr_caption.setText(_("扫码查看和下载电子票据"))
        self.finish_button.setText(_("完成"))
        return True

    def _show_reprint_offer(self, journey: FeePaymentJourney) -> None:
        self.reprint_button.setText(_("补打缴费凭条"))
        self.reprint_button.setVisible(journey.can_reprint)

    def _reprint(self) -> None:
        journey = self.journey
        if isinstance(journey, FeePaymentJourney):
            journey.start_reprint()

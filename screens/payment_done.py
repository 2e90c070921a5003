"""The payment screen's last page: paid (receipt printed, or the e-receipt QR when no paper came out) or the voucher."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from kiosk.journeys.payment import FeePaymentJourney
from kiosk.shell.i18n import _, pick
from screens.journey_screen import JourneyScreen
from screens.status_panel import StatusPanel
from screens.widgets import Card, TouchButton, label, page_column

E_RECEIPT_QR_SIZE = 420  # to photograph or scan when no paper came out
SMALL_QR_SIZE = 300
ELDERLY_QR_SHARE = 0.65


def grouped(digits: str) -> str:
    """``3502002611000001`` → ``3502 0026 1100 0001`` (how the notice prints it)."""
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


class PaymentDonePage(JourneyScreen[FeePaymentJourney]):
    """Mixed into the payment screen: builds and fills the done page."""

    # the host screen's (declared, not defined: the host's own, or another part's, are found first)
    page: dict[str, QWidget]
    _finish: Callable[[], None]
    _set_qr: Callable[..., None]

    def _build_done(self) -> None:
        page, column = page_column()
        # one panel filling the page: the mark, the amount paid, what to take, the facts, the QR code
        self.done_panel = StatusPanel()
        self.done_title, self.done_what = self.done_panel.headline, self.done_panel.what
        self.done_next = self.done_panel.next_step
        facts = Card()
        facts.setObjectName("Facts")
        self.done_rows = label(role="fact")
        facts.body.addWidget(self.done_rows)
        self.done_qr = label(centered=True)
        self.done_qr_caption = label(role="hint", centered=True)
        for widget in (facts, self.done_qr, self.done_qr_caption):
            self.done_panel.add(widget)
        self.finish_button = TouchButton(role="primary", on_tap=self._finish)
        self.finish_button.setMinimumHeight(130)
        column.addWidget(self.done_panel, 1)
        column.addWidget(self.finish_button)
        self.page["done"] = page

    def _qr_side(self, side: int) -> int:
        """The code's side: smaller in elderly mode, where the words around it take the room (still ≥ 250 px)."""
        return round(side * ELDERLY_QR_SHARE) if self.context.elderly else side

    def _show_done(self, journey: FeePaymentJourney) -> None:
        order = journey.order
        if order is None:
            return
        amount = f"¥{journey.amount_text}"
        item = pick(order.item_zh, order.item_en)
        elderly = self.context.elderly
        if journey.state == "voucher":
            self.done_panel.show_status(
                "wait", elderly, _("暂时无法确认本次支付结果。如已扣款，系统将自动核对，无需重复缴费。"),
                _("请取走打印的凭条。") if journey.voucher_printed
                else _("打印机暂时无法打印，请拍下下方二维码和订单号保存。"),
                headline=_("支付结果确认中") + "  " + amount)
            self.done_rows.setText("\n".join((
                _("缴款码：{number}").format(number=grouped(order.notice_number)),
                _("缴费项目：{item}").format(item=item),
                _("订单号：{order}").format(order=order.order_id))))  # (the hotline is in the footer)
            self._set_qr(self.done_qr, order.order_id, self._qr_side(SMALL_QR_SIZE))
            self.done_qr_caption.setText(_("订单号二维码（可供工作人员查询）"))
        else:
            printed = journey.state == "receipt"
            self.done_panel.show_status(
                "done", elderly, _("请取走缴费凭条。") if printed
                else _("打印机暂时无法打印，请用手机拍下或扫描电子票据二维码保存。"),
                headline=_("缴费成功") + "  " + amount)
            self.done_rows.setText("\n".join((
                _("缴费项目：{item}").format(item=item),
                _("交易流水号：{ref}").format(ref=order.transaction_ref or ""),
                _("缴款时间：{at}").format(at=(order.paid_at or "").replace("T", " ")[:19]))))
            self._set_qr(self.done_qr, journey.e_receipt_payload,
                         self._qr_side(E_RECEIPT_QR_SIZE if not printed else SMALL_QR_SIZE))
            self.done_qr_caption.setText(_("扫码查看和下载电子票据"))
        self.finish_button.setText(_("完成"))

"""Fee payment screen (非税缴费): keypad, the notice, the payment QR with its countdown, the outcome.

The screen renders :class:`kiosk.journeys.payment.FeePaymentJourney` and drives its clock: a
one-second timer calls ``journey.tick()`` (countdown and time-up) and a two-second timer calls
``journey.poll()`` (order status); neither blocks. While the journey is ``busy`` (the citizen is
paying on their phone and does not touch the kiosk) the same timer pokes the idle watch, so the
idle countdown never wipes a session with money in flight; on the receipt or voucher page the
normal idle wipe applies again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from kiosk.journeys.base import Problem
from kiosk.journeys.payment import FeePaymentJourney
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import N_, _, pick
from kiosk.shell.idle import IdleWatch
from kiosk.system.timers import named_timer
from screens import registry
from screens.base import Navigator
from screens.heading_mark import heading_row
from screens.journey_screen import JourneyScreen
from screens.open_counters import closed_now
from screens.payment_done import PaymentDonePage, grouped
from screens.payment_reprint import PaymentReprintPage
from screens.status_panel import StatusPanel
from screens.widgets import Card, Keypad, TouchButton, label, page_column, qr_pixmap

QR_SIZE = 480  # scannable from a phone at arm's length
KEY_MAX_HEIGHT = 170  # the keypad grows with the page up to this
_BUSY_WORDS = {
    "looking_up": N_("正在查询缴款通知书…"),
    "creating": N_("正在生成支付订单…"),
    "closing": N_("正在确认支付结果，请稍候…"),
    "printing": N_("正在打印，请稍候…"),
    "confirming": N_("正在确认支付结果，请稍候…"),
    "reprinting": N_("正在核对缴款人，请稍候…"),
}
_MESSAGE_TITLES = {
    "offline": N_("暂停缴费"),
    "unknown_notice": N_("未找到缴款通知书"),
    "already_paid": N_("无需缴费"),
    "not_payable": N_("请到财政窗口缴费"),
    "order_unresolved": N_("支付结果确认中"),
    "create_failed": N_("未能发起支付"),
    "expired": N_("订单已关闭"),
    "failed": N_("暂时无法缴费"),
    "reprint_refused": N_("未能补打凭条"),
}
_NOT_PAYABLE_CLOSED = N_("不能在自助终端缴纳")  # the title when the finance window is closed (24-hour zone)


def minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class FeePaymentScreen(PaymentReprintPage, PaymentDonePage, JourneyScreen[FeePaymentJourney]):
    name = "payment"

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.layout_.insertLayout(0, heading_row(self.heading, "journey/payment"))
        self.page: dict[str, QWidget] = {}
        self._build_enter()
        self._build_notice()
        self._build_qr()
        self._build_message()
        self._build_busy()
        self._build_done()
        self._build_reprint()
        for widget in self.page.values():
            self.pages.addWidget(widget)
        self.ticker = named_timer(self, "payment-countdown", interval_ms=1000)
        self.ticker.timeout.connect(self.tick)
        self.poller = named_timer(self, "payment-status-poll", interval_ms=2000)
        self.poller.timeout.connect(self.journey_slot(lambda journey: journey.poll()))

    # -- pages --------------------------------------------------------------------------------------
    def _build_enter(self) -> None:
        page, column = page_column(22)
        self.enter_hint = label(role="subtitle")
        self.entry = label(role="entry", wrap=False, centered=True)
        self.enter_problem = label(role="error")
        self.keypad = Keypad(max_length=16)
        self.keypad.changed.connect(self._typed)
        self.look_up_button = TouchButton(role="primary", on_tap=self._look_up)
        for key in self.keypad.buttons.values():  # the keypad takes the page's height: keys a palm can hit
            key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            key.setMaximumHeight(KEY_MAX_HEIGHT)
        for widget in (self.enter_hint, self.entry, self.enter_problem, self.keypad, self.look_up_button):
            column.addWidget(widget, 1 if widget is self.keypad else 0)
        self.look_up_button.setMinimumHeight(130)
        self.page["enter"] = page

    def _build_notice(self) -> None:
        page, column = page_column()
        card = Card()
        self.notice_rows = QGridLayout()
        self.notice_rows.setHorizontalSpacing(24)
        self.notice_rows.setVerticalSpacing(18)
        self.notice_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for row, key in enumerate(("number", "item", "unit", "payer", "due")):
            name, value = label(role="hint"), label(role="fact-large")
            self.notice_rows.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            self.notice_rows.addWidget(value, row, 1)
            self.notice_labels[key] = (name, value)
        self.notice_rows.setColumnStretch(1, 1)
        card.body.addLayout(self.notice_rows)
        self.amount_caption = label(role="subtitle", centered=True)
        self.amount = label(role="big-number", wrap=False, centered=True)
        self.printer_note = label(role="error")
        self.confirm_button = TouchButton(role="primary", on_tap=self.journey_slot(lambda journey: journey.confirm()))
        self.other_notice_button = TouchButton(on_tap=self._restart)
        self.confirm_button.setMinimumHeight(130)
        column.addWidget(card)
        column.addStretch(1)  # the amount in the middle of the room left, the buttons at the foot
        for widget in (self.amount_caption, self.amount, self.printer_note):
            column.addWidget(widget)
        column.addStretch(1)
        column.addWidget(self.confirm_button)
        column.addWidget(self.other_notice_button)
        self.page["notice"] = page

    def _build_qr(self) -> None:
        page, column = page_column(16)
        self.qr_amount = label(role="fact", centered=True)
        self.pay_qr = label(centered=True)
        self.pay_qr.setMinimumSize(QR_SIZE, QR_SIZE)
        self.qr_hint = label(role="subtitle", centered=True)
        self.countdown = label(role="countdown", wrap=False, centered=True)
        self.countdown_caption = label(role="hint", centered=True)
        self.qr_trouble = label(role="error", centered=True)
        self.cancel_button = TouchButton(role="danger", on_tap=self.journey_slot(lambda journey: journey.cancel_payment()))
        card = Card()  # the code to scan and what it pays, in one panel; the time left under it; cancel at the foot
        for widget in (self.qr_amount, self.pay_qr, self.qr_hint):
            card.body.addWidget(widget)
        column.addWidget(card)
        column.addStretch(1)
        for widget in (self.countdown_caption, self.countdown, self.qr_trouble):
            column.addWidget(widget)
        column.addStretch(1)
        column.addWidget(self.cancel_button)
        self.page["awaiting_payment"] = page

    def _build_message(self) -> None:
        page, column = page_column()
        self.message_card = StatusPanel()  # fills the page: mark, what went wrong, what to do; buttons at the foot
        self.message_title = self.message_card.headline
        self.message_what, self.message_next = self.message_card.what, self.message_card.next_step
        self.message_primary = TouchButton(role="primary", on_tap=self._message_action)
        self.message_finish = TouchButton(on_tap=self.nav.finish)
        column.addWidget(self.message_card, 1)
        column.addWidget(self.message_primary)
        self._build_reprint_offer(column)
        column.addWidget(self.message_finish)
        self.page["message"] = page

    def _build_busy(self) -> None:
        self.busy_panel = StatusPanel()  # what the kiosk is doing, with the clock mark, filling the page
        self.busy_words = self.busy_panel.what
        self.page["busy"] = self.busy_panel

    # -- the framework's hooks ----------------------------------------------------------------------
    def title(self) -> str:
        return _("非税缴费")

    def activate(self, **params: Any) -> None:
        self.keypad.set_value("")
        super().activate(**params)
        self.ticker.start()
        self.poller.start()

    def deactivate(self) -> None:
        self.ticker.stop()
        self.poller.stop()
        super().deactivate()

    def step_back(self) -> bool:
        """Back inside the journey: to the keypad, or (on the QR page) cancel and close the order."""
        journey = self.journey
        if not isinstance(journey, FeePaymentJourney):
            return False
        if journey.state == "awaiting_payment":
            journey.cancel_payment()
            return True
        if journey.busy:
            return True  # wait for the answer; leaving now would abandon money in flight
        if journey.state in ("notice", "unknown_notice", "already_paid", "not_payable", "order_unresolved",
                             "expired", "create_failed", "reprint_card", "reprint_refused", "reprinted", "reprint_qr"):
            journey.restart()
            return True
        return False

    def clear_personal(self) -> None:
        self.keypad.set_value("")
        for widget in (self.entry, self.amount, self.qr_amount, self.done_title, self.done_rows, self.done_what,
                       self.countdown, self.message_what, self.message_next):
            widget.clear()
        for _name, value in self.notice_labels.values():
            value.clear()
        self._set_qr(self.pay_qr, "")
        self._set_qr(self.done_qr, "")

    def tick(self) -> None:
        """Every second: let the journey see the time, redraw the countdown, keep the session alive if busy."""
        journey = self.journey
        if not isinstance(journey, FeePaymentJourney):
            return
        remaining = journey.tick()
        if journey.state == "awaiting_payment":
            self.countdown.setText(minutes_seconds(remaining))
        if journey.busy:
            self._keep_session_alive()

    def _keep_session_alive(self) -> None:
        idle = self.context.services.idle or self.window().findChild(IdleWatch)
        if idle is not None:
            idle.poke()

    # -- rendering ----------------------------------------------------------------------------------
    def show_state(self, journey: FeePaymentJourney) -> None:
        state = journey.state
        self.heading.setText(_("非税缴费"))
        if state in ("enter", "start"):
            self._show_enter(journey)
            page = "enter"
        elif state == "notice":
            self._show_notice(journey)
            page = "notice"
        elif state == "awaiting_payment":
            self._show_qr(journey)
            page = "awaiting_payment"
        elif state in _BUSY_WORDS:
            self.busy_panel.show_status("wait", self.context.elderly, _(_BUSY_WORDS[state]))
            page = "busy"
        elif state in ("receipt", "e_receipt", "voucher"):
            self._show_done(journey)
            page = "done"
        elif state == "reprint_card":
            self._show_reprint_card(journey)
            page = "reprint_card"
        elif self._show_reprint_done(journey):
            page = "done"
        else:
            self._show_message(journey)
            page = "message"
        self.pages.setCurrentWidget(self.page[page])

    def _typed(self, digits: str) -> None:
        self.entry.setText(grouped(digits) if digits else "—")
        self.look_up_button.setEnabled(len(digits) == 16)

    def _show_enter(self, journey: FeePaymentJourney) -> None:
        self.enter_hint.setText(_("请输入缴款通知书上的16位缴款码，或将通知书上的二维码对准扫码口"))
        self.keypad.set_labels(_("清除"), _("退格"))
        self._typed(self.keypad.value)
        self.look_up_button.setText(_("查询"))
        problem = journey.problem
        self.enter_problem.setText(_problem_text(problem))
        self.enter_problem.setVisible(problem is not None)

    def _show_notice(self, journey: FeePaymentJourney) -> None:
        notice = journey.notice
        if notice is None:
            return
        texts = {
            "number": (_("缴款码"), grouped(notice.number)),
            "item": (_("缴费项目"), pick(notice.item_zh, notice.item_en)),
            "unit": (_("执收单位"), pick(notice.collecting_unit_zh, notice.collecting_unit_en)),
            "payer": (_("缴款人"), journey.payer),
            "due": (_("缴款期限"), notice.due_date),
        }
        for key, (name, value) in texts.items():
            self.notice_labels[key][0].setText(name)
            self.notice_labels[key][1].setText(value)
            for widget in self.notice_labels[key]:  # an older gateway sends no unit: no empty row
                widget.setVisible(bool(value))
        self.amount_caption.setText(_("应缴金额"))  # the amount below carries its ¥
        self.amount.setText(f"¥{journey.amount_text}")
        printable = journey.can_print_receipt
        self.printer_note.setText("" if printable else _("打印机暂时无法打印：缴费成功后请拍下屏幕上的电子票据二维码"))
        self.printer_note.setVisible(not printable)
        self.confirm_button.setText(_("确认缴费"))
        self.other_notice_button.setText(_("重新输入"))

    def _show_qr(self, journey: FeePaymentJourney) -> None:
        order = journey.order
        if order is None:
            return
        self.qr_amount.setText(_("应缴金额 ¥{amount}　{item}").format(amount=journey.amount_text,
                                                                  item=pick(order.item_zh, order.item_en)))
        self._set_qr(self.pay_qr, order.pay_url, QR_SIZE)
        self.qr_hint.setText(_("请用手机打开支付宝、微信或银行App扫码支付，支付完成后请稍候，本机将自动确认"))
        self.countdown_caption.setText(_("订单剩余时间"))
        self.countdown.setText(minutes_seconds(journey.remaining_s))
        self.qr_trouble.setText(_("网络不稳定，正在继续确认支付结果，请勿重复支付"))
        self.qr_trouble.setVisible(journey.connection_trouble)
        self.cancel_button.setText(_("取消支付"))

    def _show_message(self, journey: FeePaymentJourney) -> None:
        state = journey.state
        title = _MESSAGE_TITLES.get(state, "暂时无法缴费")
        if state == "not_payable" and closed_now(self.context) is not None:
            title = _NOT_PAYABLE_CLOSED  # not "go to the finance window": it is closed now
        problem = journey.problem
        self.message_card.show_status("problem" if problem else "info", self.context.elderly,
                                      problem.what() if problem else "", problem.next_step() if problem else "",
                                      headline=_(title))
        action = {"create_failed": _("重试"), "offline": _("重新查询")}.get(state, _("输入其他缴款码"))
        self.message_primary.setText(action)
        self._show_reprint_offer(journey)
        self.message_finish.setText(_("结束"))

    # -- taps ----------------------------------------------------------------------------------------
    def _look_up(self) -> None:
        if self.journey is not None:
            self.journey.look_up(self.keypad.value)

    def _finish(self) -> None:
        """Done: the rating screen (skippable) when there is one, else the end of the session."""
        journey = self.journey
        service_id = journey.service.id if journey is not None and journey.service is not None else None
        if service_id and "feedback" in self.context.journeys and registry.has("feedback"):
            self.nav.go("feedback", service_id=service_id)
        else:
            self.nav.finish()

    def _restart(self) -> None:
        if self.journey is not None:
            self.journey.restart()

    def _message_action(self) -> None:
        journey = self.journey
        if not isinstance(journey, FeePaymentJourney):
            return
        if journey.state == "create_failed":
            journey.retry()
        elif journey.state == "offline" and self.keypad.value:
            journey.look_up(self.keypad.value)
        else:
            journey.restart()

    @staticmethod
    def _set_qr(target: QLabel, payload: str, size: int = QR_SIZE) -> None:
        target.setPixmap(qr_pixmap(payload, size) if payload else QPixmap())
        target.setProperty("qr_payload", payload)


def _problem_text(problem: Problem | None) -> str:
    if problem is None:
        return ""
    return problem.what() + (("\n" + problem.next_step()) if problem.next_step() else "")

"""The queue-ticket screens: choose a service, check in, green channel, the number on screen and paper."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.journeys.queue_ticket import QueueTicketJourney
from kiosk.shell.context import KioskContext, Offer
from kiosk.shell.i18n import N_, _, pick
from kiosk.system.privacy import mask_name
from screens.base import Navigator
from screens.booking_scan_art import BookingScanArt
from screens.heading_mark import heading_row
from screens.journey_screen import JourneyScreen
from screens.queue_ticket_choice import ServiceChoice
from screens.status_panel import StatusPanel
from screens.widgets import (
    Card,
    KineticScrollArea,
    Tile,
    TileList,
    TouchButton,
    label,
    page_column,
    qr_pixmap,
)

REASON_TEXT: dict[str, str] = {
    "elderly": N_("老年人"),
    "disabled": N_("残疾人"),
    "pregnant": N_("孕妇或带婴幼儿"),
    "urgent": N_("其他紧急情况"),
}
PROBLEM_STATES = ("offline", "unavailable", "card_error", "appointment_problem", "gateway_error")
TICKET_STATES = ("issued", "issued_qr", "already_checked_in")


class QueueTicketScreen(ServiceChoice, JourneyScreen[QueueTicketJourney]):
    name = "queue_ticket"

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.subheading = label(role="subtitle")
        self.layout_.insertLayout(0, heading_row(self.heading, "journey/queue_ticket"))
        self.layout_.insertWidget(1, self.subheading)
        self.page: dict[str, QWidget] = {}
        # choose: popular services as tiles, then by department, then booking check-in
        page, column = page_column()
        self.note = label(role="value")
        self.tile_host = QWidget()
        self.tile_grid = QGridLayout(self.tile_host)
        self.tile_grid.setContentsMargins(0, 0, 0, 0)
        self.tile_grid.setSpacing(24)
        self.by_department = TouchButton(role="primary", on_tap=lambda: self._act("open_departments"))
        self.booking = TouchButton(on_tap=lambda: self._act("open_checkin"))
        column.addWidget(self.note)
        column.addWidget(self.tile_host, 1)
        column.addWidget(self.by_department)
        column.addWidget(self.booking)
        self.page["choose"] = page

        self.department_list = KineticScrollArea()
        self.page["departments"] = self.department_list
        self._departments_built_for: tuple[str, int] | None = None
        self.list = TileList(min_height=150)
        self.page["list"] = self.list

        # check-in: scan the booking's code or place the ID card
        page, column = page_column()
        self.checkin_card = Card()
        self.scan_hint = label(role="value")
        self.card_hint = label(role="value")
        self.scan_art = BookingScanArt()  # the phone at the scan window and the card on the reader, drawn
        self.checkin_card.body.addWidget(self.scan_art, 1)
        for widget in (self.scan_hint, self.card_hint):
            self.checkin_card.body.addWidget(widget)
        self.no_booking = TouchButton(on_tap=lambda: self._act("leave_checkin"))
        column.addWidget(self.checkin_card, 1)
        column.addWidget(self.no_booking)
        self.page["checkin"] = page
        self._build_code_pad()  # the booking code typed from the SMS (screens/queue_ticket_choice.py)

        # confirm: what will be asked for
        page, column = page_column()
        self.confirm_card = Card()
        self.confirm_rows: list[tuple[QLabel, QLabel]] = []
        for _i in range(3):
            key, value = label(role="hint"), label(role="fact-large")  # what will be asked for, in large type
            self.confirm_card.body.addWidget(key)
            self.confirm_card.body.addWidget(value)
            self.confirm_rows.append((key, value))
        self.confirm_note = label(role="hint")
        self.take = TouchButton(role="primary", on_tap=lambda: self._act("take_number"))
        self.take.setMinimumHeight(130)
        self.confirm_booking = TouchButton(on_tap=lambda: self._act("open_checkin"))
        self.other_service = TouchButton(on_tap=lambda: self._act("back_to_choose"))
        column.addWidget(self.confirm_card)
        column.addWidget(self.confirm_note)
        column.addStretch(1)
        for button in (self.take, self.confirm_booking, self.other_service):
            column.addWidget(button)
        self.page["confirm"] = page

        # priority: the green channel, the citizen chooses
        page, column = page_column()
        self.priority_text = label(role="value")
        column.addWidget(self.priority_text)
        self.reason_buttons: dict[str, TouchButton] = {}
        for reason in REASON_TEXT:
            button = TouchButton(on_tap=partial(self._act, "choose_priority", reason))
            self.reason_buttons[reason] = button
            column.addWidget(button)
        column.addStretch(1)
        self.ordinary = TouchButton(role="primary", on_tap=lambda: self._act("choose_priority", None))
        column.addWidget(self.ordinary)
        self.page["priority"] = page

        # no printer: said before a number is taken
        page, column = page_column()
        self.no_printer_card = StatusPanel()
        self.no_printer_text = self.no_printer_card.what
        self.go_on = TouchButton(role="primary", on_tap=lambda: self._act("accept_qr_ticket"))
        self.not_now = TouchButton(on_tap=self.nav.home)
        column.addWidget(self.no_printer_card, 1)
        column.addWidget(self.go_on)
        column.addWidget(self.not_now)
        self.page["no_printer"] = page

        self.busy_panel = StatusPanel()  # the clock mark and what the kiosk is doing, filling the page
        self.busy, self.page["busy"] = self.busy_panel.what, self.busy_panel

        # the ticket
        page, column = page_column(16)
        self.ticket_card = Card()
        self.ticket_message = label(role="value")
        self.number = label(role="big-number", wrap=False, centered=True)
        self.ticket_service = label(role="value", centered=True)
        self.ticket_facts = label(role="value", centered=True)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = label(role="hint", centered=True)
        for widget in (self.number, self.ticket_service, self.ticket_facts, self.qr, self.qr_caption):
            self.ticket_card.body.addWidget(widget)
        self.print_again = TouchButton(on_tap=lambda: self._act("print_again"))
        self.done = TouchButton(role="primary", on_tap=self._finish)
        column.addWidget(self.ticket_message)
        column.addWidget(self.ticket_card, 1)
        column.addWidget(self.print_again)
        column.addWidget(self.done)
        self.page["ticket"] = page

        # problems: what happened and what to do next
        page, column = page_column()
        self.problem_card = StatusPanel()  # fills the page: mark, what happened, what to do; buttons at the foot
        self.problem_what, self.problem_next = self.problem_card.what, self.problem_card.next_step
        self._problem_actions = ["", ""]  # the journey methods the two buttons call in this state
        self.problem_primary = TouchButton(role="primary", on_tap=lambda: self._act(self._problem_actions[0]))
        self.problem_secondary = TouchButton(on_tap=lambda: self._act(self._problem_actions[1]))
        self.problem_home = TouchButton(on_tap=self.nav.home)
        column.addWidget(self.problem_card, 1)
        for button in (self.problem_primary, self.problem_secondary, self.problem_home):
            column.addWidget(button)
        self.page["problem"] = page

        for built in self.page.values():
            self.pages.addWidget(built)
        self._tiles: list[Tile] = []
        self._tiles_for: tuple[bool, tuple[str, ...]] | None = None
        self._tile_services: list[str] = []

    # -- the framework's hooks ------------------------------------------------------------------
    def title(self) -> str:
        return _("排队取号")

    def prepare(self, journey: QueueTicketJourney) -> None:
        journey.offer = self.context.offer  # this kiosk's availability rule, before the journey starts

    def step_back(self) -> bool:
        journey = self.journey
        return isinstance(journey, QueueTicketJourney) and journey.step_back()

    def clear_personal(self) -> None:
        for widget in (self.note, self.ticket_facts, self.number, self.ticket_service, self.problem_what,
                       self.problem_next, self.priority_text, self.ticket_message, self.qr_caption):
            widget.clear()
        for _key, value in self.confirm_rows:
            value.clear()
        self.confirm_note.clear()
        self.qr.clear()
        self.qr.setProperty("qr_payload", "")

    def _act(self, method: str, *args: Any) -> None:
        if self.journey is not None:
            getattr(self.journey, method)(*args)

    def _finish(self) -> None:
        journey = self.journey
        service_id = journey.service.id if journey is not None and journey.service is not None else None
        if service_id and "feedback" in self.context.journeys:
            self.nav.go("feedback", service_id=service_id)
        else:
            self.nav.finish()

    # -- drawing ------------------------------------------------------------------------------------
    def show_state(self, journey: QueueTicketJourney) -> None:
        state = journey.state
        self.heading.setText(_("排队取号"))
        self.subheading.setText("")
        self.subheading.setVisible(True)
        if state in ("choose", "start"):
            self._show_choose(journey)
        elif state in ("departments", "services"):
            self._show_list(journey)
        elif state == "checkin":
            self._show_checkin()
        elif state == "code_pad":
            self._show_code_pad()
        elif state == "confirm":
            self._show_confirm(journey)
        elif state == "priority":
            self._show_priority(journey)
        elif state == "no_printer":
            self._show_no_printer()
        elif state in ("issuing", "printing", "finding"):
            self.busy.setText(_("正在取号，请稍候…") if state == "issuing" else _("正在查找您的预约，请稍候…")
                              if state == "finding" else
                              _("正在打印号票 {number}，请稍候…").format(number=journey.ticket.number if journey.ticket else ""))
            self.busy_panel.show_status("wait", self.context.elderly, self.busy.text())
            self.pages.setCurrentWidget(self.page["busy"])
        elif state in TICKET_STATES:
            self._show_ticket(journey)
        elif state in PROBLEM_STATES:
            self._show_problem(journey)
        self.subheading.setVisible(bool(self.subheading.text()))

    def _card_line(self, journey: QueueTicketJourney) -> str:
        if journey.card_note and self.context.sessions.active and self.context.sessions.current.card is not None:
            name = mask_name(getattr(self.context.sessions.current.card, "name", "") or "")
            return _("已读取身份证：{name}").format(name=name)
        return ""

    def _card_note(self, journey: QueueTicketJourney) -> str:
        notes = []
        if journey.appointment_code:
            notes.append(_("已识别预约码，请选择您预约的业务"))
        notes.append(self._card_line(journey))
        return "\n".join(n for n in notes if n)

    def _show_confirm(self, journey: QueueTicketJourney) -> None:
        service = journey.service
        if service is None:
            return
        self.heading.setText(pick(service.name_zh, service.name_en))
        department = self.context.catalogue.department_of(service.id)
        self.subheading.setText(pick(department.name_zh, department.name_en))
        booking = _("预约签到（{code}）").format(code=journey.appointment_code) if journey.appointment_code else \
            _("现场取号")
        rows = [(_("办理窗口"), pick(service.window_zh, service.window_en)),
                (_("取号方式"), booking),
                (_("证件"), self._card_line(journey) or _("未放置身份证（可不放）"))]
        for (key, value), (key_text, value_text) in zip(self.confirm_rows, rows, strict=True):
            key.setText(key_text)
            value.setText(value_text)
        if journey.redirected_from is not None:
            self.confirm_note.setText(_("您的预约是这项业务，不是“{other}”。请确认后取号。").format(
                other=pick(journey.redirected_from.name_zh, journey.redirected_from.name_en)))
        elif not journey.card_note and not journey.appointment_code:
            self.confirm_note.setText(_("年满{age}周岁或已预约的市民，放置身份证后可走绿色通道。").format(
                age=self.context.settings.session.priority_age))
        else:
            self.confirm_note.setText("")
        self.take.setText(_("确认取号"))
        self.confirm_booking.setText(_("我已预约 · 签到"))
        self.confirm_booking.setVisible(not journey.appointment_code)
        self.other_service.setText(_("重新选择业务"))
        self.pages.setCurrentWidget(self.page["confirm"])

    def _show_priority(self, journey: QueueTicketJourney) -> None:
        self.heading.setText(_("绿色通道"))
        if journey.priority_because == "age":
            self.priority_text.setText(_("您已年满{age}周岁，可以走绿色通道，优先办理。请选择原因，或普通取号。").format(
                age=self.context.settings.session.priority_age))
        else:
            self.priority_text.setText(_("如您符合以下情况，可以走绿色通道，优先办理。窗口工作人员会核验。"))
        for reason, button in self.reason_buttons.items():
            button.setText(_(REASON_TEXT[reason]))
            # for a citizen of the age, the age is the obvious reason: shown as the main choice
            self._set_role(button, "primary" if reason == "elderly" and journey.priority_because == "age" else None)
        self._set_role(self.ordinary, None if journey.priority_because == "age" else "primary")
        self.ordinary.setText(_("不需要，普通取号"))
        self.pages.setCurrentWidget(self.page["priority"])

    @staticmethod
    def _set_role(button: TouchButton, role: str | None) -> None:
        if button.property("role") != role:
            button.setProperty("role", role)
            button.style().unpolish(button)
            button.style().polish(button)

    def _show_no_printer(self) -> None:
        self.heading.setText(_("打印机暂时无法打印"))
        self.no_printer_card.show_status("info", self.context.elderly, _(
            "您仍然可以取号。取号后，号码会以二维码显示在屏幕上，请用手机拍照保存，凭照片到窗口办理。"))
        self.go_on.setText(_("继续取号（用手机拍照）"))
        self.not_now.setText(_("不取了，返回首页"))
        self.pages.setCurrentWidget(self.page["no_printer"])

    def _show_ticket(self, journey: QueueTicketJourney) -> None:
        ticket = journey.ticket
        if ticket is None:
            return
        state = journey.state
        self.heading.setText(_("取号成功") if state != "already_checked_in" else _("您已签到"))
        if state == "issued":
            message = _("请取走下方出纸口的号票。")
        elif state == "already_checked_in":
            message = _("这个预约已经取过号，下面是您的号，请不要重复取号。")
        elif journey.print_problem is not None:
            message = journey.print_problem.what() + " " + journey.print_problem.next_step()
        else:
            message = _("打印机暂时无法打印，请用手机拍下下面的二维码，凭照片到窗口办理。")
        self.ticket_message.setText(message.strip())
        self.number.setText(ticket.number)
        self.ticket_service.setText(pick(ticket.service_name_zh, ticket.service_name_en))
        facts = [_("前面还有 {count} 人，预计等候约 {minutes} 分钟").format(
            count=ticket.people_ahead, minutes=ticket.estimated_wait_min) if ticket.people_ahead else
            _("您是下一位，请留意叫号")]
        window = pick(ticket.window_zh, ticket.window_en)
        if window:
            facts.append(_("请到 {window} 等候叫号").format(window=window))
        if ticket.priority_reason:
            facts.append(_("绿色通道 · 优先办理"))
        elif ticket.appointment is not None:
            facts.append(_("预约签到 · {slot}").format(slot=ticket.appointment.slot))
        self.ticket_facts.setText("\n".join(facts))
        big = state != "issued"
        # big enough to photograph from arm's length; in elderly mode the larger text leaves less room
        self.qr.setPixmap(qr_pixmap(ticket.status_url, (240 if self.context.elderly else 380) if big else 220))
        self.qr.setProperty("qr_payload", ticket.status_url)
        self.qr_caption.setText(_("用手机拍下或扫描二维码，可查看排队进度") if big else _("扫码在手机上查看排队进度"))
        self.print_again.setText(_("打印号票"))
        self.print_again.setVisible(state in ("issued_qr", "already_checked_in") and journey.can_print())
        self.done.setText(_("完成"))
        self.pages.setCurrentWidget(self.page["ticket"])

    def _show_problem(self, journey: QueueTicketJourney) -> None:
        state = journey.state
        problem = journey.problem
        titles = {"offline": _("暂时无法取号"), "unavailable": _("该业务现在不能取号"),
                  "card_error": _("这张证件不能在本机使用") if problem and problem.code == "card_refused" else
                  _("身份证没有读取成功"), "appointment_problem": _("预约签到没有成功"),
                  "gateway_error": _("取号没有成功")}
        self.heading.setText(titles[state])
        if state == "unavailable":
            offer: Offer | None = journey.unavailable_offer
            what = offer.reason() if offer is not None else ""
            nxt = (offer.alternative() if offer is not None else "") or pick(
                self.context.settings.kiosk.nearest_alternative_zh, self.context.settings.kiosk.nearest_alternative_en)
            self.problem_card.show_status("problem", self.context.elderly, what or _("该业务暂停取号"), nxt)
        else:
            self.problem_card.show_status("problem", self.context.elderly, problem.what() if problem else "",
                                          problem.next_step() if problem else "")
        buttons: dict[str, tuple[tuple[str, str] | None, tuple[str, str] | None]] = {
            "offline": ((_("再试一次"), "retry"), None),
            "unavailable": ((_("选择其他业务"), "dismiss"), None),
            "card_error": ((_("不用身份证，继续取号"), "dismiss"), None),
            "appointment_problem": ((_("取普通号"), "forget_appointment"), (_("重新扫码"), "open_checkin")),
            "gateway_error": ((_("重试"), "retry"), None),
        }
        for index, (button, spec) in enumerate(zip((self.problem_primary, self.problem_secondary), buttons[state],
                                                    strict=True)):
            button.setVisible(spec is not None)
            if spec is not None:
                button.setText(spec[0])
                self._problem_actions[index] = spec[1]
        self.problem_home.setText(_("返回首页"))
        self.pages.setCurrentWidget(self.page["problem"])

"""The lookup screens (social security, property, population): card, answer pages, paper, mail, phone.

One screen class draws all three lookups; the journey (``kiosk.journeys.lookup``) decides what
happens, this screen only shows ``journey.state`` and passes on what the citizen tapped. Personal
data arrives already masked from the journey, and ``clear_personal`` empties every widget.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.journeys.base import Problem
from kiosk.journeys.lookup import LookupJourney
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _
from kiosk.system.timers import named_timer
from screens import registry
from screens.base import Navigator
from screens.card_reader_art import CardReaderArt
from screens.heading_mark import heading_row
from screens.journey_screen import JourneyScreen
from screens.lookup_certificate import (
    CERTIFICATE_BUSY_STATES,
    CERTIFICATE_MESSAGE_STATES,
    LookupCertificatePages,
)
from screens.lookup_mailing import LookupMailingPages
from screens.lookup_phone import PHONE_STATES, LookupPhonePages
from screens.lookup_results import LookupResultPages
from screens.open_counters import next_step as counter_step
from screens.roomy_choices import roomy, show_pictograms
from screens.status_panel import StatusPanel
from screens.theme import is_high_contrast
from screens.widgets import Card, TouchButton, discard, label, page_column, page_of

REMINDER_MS = 20_000  # no card after this long: a gentle reminder

CARD_STATES = ("waiting", "reminder", "reading", "lifted", "read_failed", "refused", "unsupported")
BUSY_STATES = ("querying", "printing", "mail_sending")
MESSAGE_STATES = ("no_record", "offline", "failed", "printed", "print_failed", "print_unavailable",
                  "mail_queued", "mail_failed", "mail_unavailable")


class LookupScreen(LookupResultPages, LookupMailingPages, LookupPhonePages, LookupCertificatePages,
                   JourneyScreen[LookupJourney]):
    """Draws a :class:`~kiosk.journeys.lookup.LookupJourney`; subclasses only set ``journey_name``."""

    name = "lookup"
    journey_name = "social_security"

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.layout_.insertLayout(0, heading_row(self.heading, f"journey/{self.journey_name}"))
        self._reminder = named_timer(self, "lookup-card-reminder", single_shot=True, interval_ms=REMINDER_MS)
        self._reminder.timeout.connect(self._remind)
        self._build_card_page()
        self._build_busy_page()
        self._build_results_page()
        self._build_choices_page()
        self._build_message_page()
        self._build_phone_consent_page()
        self._build_qr_page()
        self._build_mail_confirm_page()
        self._build_mail_phone_page()
        self._build_certificate_page()
        self._leaving = False

    # -- pages ---------------------------------------------------------------------------------
    def _page(self) -> QVBoxLayout:
        page, box = page_column()
        self.pages.addWidget(page)
        return box

    def _build_card_page(self) -> None:
        box = self._page()
        self.card_page = page_of(box)
        self.card_instruction = label(role="value")
        self.art = CardReaderArt()
        self.card_hint = label(role="value")
        self.card_problem = Card()
        self.card_problem_what = label(role="error")
        self.card_problem_next = label(role="value")
        self.card_problem.body.addWidget(self.card_problem_what)
        self.card_problem.body.addWidget(self.card_problem_next)
        self.card_retry = TouchButton(role="primary", on_tap=self._retry)
        box.addWidget(self.card_instruction)
        box.addWidget(self.art, 1)
        box.addWidget(self.card_hint)
        box.addWidget(self.card_problem)
        box.addWidget(self.card_retry)

    def _build_busy_page(self) -> None:
        box = self._page()
        self.busy_page = page_of(box)
        self.busy_panel = StatusPanel()  # the clock mark and what the kiosk is doing, filling the page
        self.busy_text, self.busy_hint = self.busy_panel.what, self.busy_panel.next_step
        box.addWidget(self.busy_panel, 1)

    def _build_choices_page(self) -> None:
        box = self._page()
        self.choices_page = page_of(box)
        self.choices_text = label(role="subtitle")
        box.addWidget(self.choices_text)
        self._add_certificate_choice(box)
        self.choice_print = TouchButton(role="primary", on_tap=lambda: self._do("print_result"))
        self.choice_print_note = label(role="hint")
        self.choice_mail = TouchButton(on_tap=lambda: self._do("start_mailing"))
        self.choice_qr = TouchButton(on_tap=lambda: self._do("show_phone_qr"))
        self.choice_back = TouchButton(role="nav", on_tap=lambda: self._do("show_results"))
        self.choice_done = TouchButton(on_tap=lambda: self._do("finish"))
        roomy((self.choice_certificate, self.choice_print, self.choice_mail, self.choice_qr))  # they share the page
        for widget in (self.choice_print, self.choice_print_note, self.choice_mail, self.choice_qr):
            box.addWidget(widget, 1 if isinstance(widget, TouchButton) else 0)
        box.addWidget(self.choice_back)
        box.addWidget(self.choice_done)

    def _build_message_page(self) -> None:
        box = self._page()
        self.message_page = page_of(box)
        self.message_card = StatusPanel()  # fills the page: mark, message, next step; buttons at the foot
        self.message_what, self.message_next = self.message_card.what, self.message_card.next_step
        box.addWidget(self.message_card, 1)
        self.message_buttons = QVBoxLayout()
        self.message_buttons.setSpacing(24)
        box.addLayout(self.message_buttons)
        self._message_button_widgets: list[TouchButton] = []

    # -- journey lifecycle -------------------------------------------------------------------
    @property
    def lookup(self) -> LookupJourney | None:
        journey = self.journey
        return journey if isinstance(journey, LookupJourney) else None

    def title(self) -> str:
        return self.lookup.title() if self.lookup is not None else ""

    def activate(self, **params: Any) -> None:
        self._leaving = False
        self.keypad.set_value("")
        super().activate(**params)

    def deactivate(self) -> None:
        self._reminder.stop()
        self.art.set_running(False)
        super().deactivate()

    def _do(self, method: str) -> None:
        journey = self.lookup
        if journey is not None and not journey.finished:
            getattr(journey, method)()

    def _retry(self) -> None:
        self._do("retry")

    def _remind(self) -> None:
        self._do("remind")

    # -- rendering ---------------------------------------------------------------------------------
    def show_state(self, journey: LookupJourney) -> None:
        state = journey.state
        self.heading.setText(journey.title())
        self.art.set_elderly(self.context.elderly or is_high_contrast(self.context.services.remote_config))
        if state == "waiting":
            self._reminder.start()
        elif state != "reminder":
            self._reminder.stop()
        if state in CARD_STATES:
            self._show_card(journey)
        elif state in BUSY_STATES:
            self._show_busy(state)
        elif state in CERTIFICATE_BUSY_STATES:
            self._show_certificate_progress(journey)
        elif state == "results":
            self._show_results(journey)
        elif state == "choices":
            self._show_choices(journey)
        elif state in MESSAGE_STATES or state in CERTIFICATE_MESSAGE_STATES:
            self._show_message(journey)
        elif state in PHONE_STATES:
            self._show_phone(journey)
        elif state == "mail_confirm":
            self._show_mail_confirm(journey)
        elif state == "mail_phone":
            self._show_mail_phone(journey)
        elif state == "finished":
            self._leave(journey)
        self.art.set_running(state in ("waiting", "reminder", "reading") and self.pages.currentWidget() is self.card_page)

    def _show_card(self, journey: LookupJourney) -> None:
        state = journey.state
        self.pages.setCurrentWidget(self.card_page)
        self.art.reader_label = _("感应区")
        self.card_instruction.setText(_("请将身份证平放在下方读卡器的感应区上"))
        hints = {
            "waiting": _("放好后请不要移动，听到提示音即可"),
            "reminder": _("还没有读到身份证。请把身份证正面朝上，平放在闪烁的感应区上。"),
            "reading": _("正在读取身份证，请不要移动……"),
        }
        problem = journey.problem if state not in hints else None
        self.card_hint.setText(hints.get(state, ""))
        self.card_hint.setVisible(state in hints)
        # the reminder stands out a little (bold), not as an error: nothing went wrong
        self.card_hint.setProperty("role", "value" if state == "reminder" else "subtitle")
        self.card_hint.style().unpolish(self.card_hint)  # a new role only shows after a fresh polish
        self.card_hint.style().polish(self.card_hint)
        self.card_problem.setVisible(problem is not None)
        if problem is not None:
            self.art.phase = 0.3  # the card above the reader, with the arrow: "place it again"
            self.art.update()
            self.card_problem_what.setText(problem.what())
            self.card_problem_next.setText(problem.next_step())
        self.card_retry.setVisible(problem is not None)
        self.card_retry.setText(_("重新放置身份证"))

    def _show_busy(self, state: str) -> None:
        self.pages.setCurrentWidget(self.busy_page)
        texts = {
            "querying": (_("正在查询，请稍候……"), _("您可以取回身份证了")),
            "printing": (_("正在打印，请稍候……"), _("凭条从下方出纸口送出")),
            "mail_sending": (_("正在提交邮寄申请……"), _("请稍候")),
        }
        text, hint = texts[state]
        self.busy_panel.show_status("wait", self.context.elderly, text, hint)

    def _show_choices(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.choices_page)
        self.choices_text.setText(_("您想怎样带走查询结果？"))
        self.choice_print.setText(_("打印凭条"))
        self._show_certificate_choice(journey)
        printable = journey.can_print()
        self.choice_print_note.setText("" if printable else _("打印机暂时不能打印，请选择其他方式"))
        self.choice_print_note.setVisible(not printable)
        self.choice_print.setEnabled(printable)
        self.choice_mail.setText(_("EMS邮寄到户籍地址"))
        self.choice_mail.setVisible(journey.can_mail())  # the configuration bundle can switch mailing off
        self.choice_qr.setText(_("用手机扫码保存"))
        self.choice_back.setText("‹ " + _("返回查看结果"))
        self.choice_done.setText(_("不用了，完成"))
        show_pictograms(((self.choice_certificate, "action/print"), (self.choice_print, "action/print"),
                         (self.choice_mail, "service/hall-ems"), (self.choice_qr, "action/phone")),
                        self.context.elderly, is_high_contrast(self.context.services.remote_config))

    def _message_buttons(self, buttons: list[tuple[str, Callable[[], None], str | None]]) -> None:
        for button in self._message_button_widgets:
            discard(button)
        self._message_button_widgets = []
        for text, action, role in buttons:
            button = TouchButton(text, role=role, on_tap=action)
            self.message_buttons.addWidget(button)
            self._message_button_widgets.append(button)

    def _show_message(self, journey: LookupJourney) -> None:
        state = journey.state
        self.pages.setCurrentWidget(self.message_page)
        problem: Problem | None = journey.problem
        retry = (_("再试一次"), lambda: self._do("retry"), "primary")
        done = (_("完成"), lambda: self._do("finish"), None)
        qr = (_("用手机扫码保存"), lambda: self._do("show_phone_qr"), "primary")
        mail = (_("EMS邮寄到户籍地址"), lambda: self._do("start_mailing"), None)
        choices = (_("返回选择其他方式"), lambda: self._do("show_choices"), "nav")
        if state in CERTIFICATE_MESSAGE_STATES:
            what, next_step, buttons = self._certificate_message(journey)
        elif state == "no_record":
            what, next_step = journey.no_record_message(), counter_step(self.context, "如有疑问，请到人工服务台咨询。")
            buttons = [(_("完成"), lambda: self._do("finish"), "primary")]
        elif state == "printed":
            what = _("打印完成，请取走凭条。")
            next_step = _("凭条上的二维码可以核验查询结果。别忘了取回身份证。")
            buttons = [(_("完成"), lambda: self._do("finish"), "primary"), choices]
        elif state == "mail_queued":
            what = _("邮寄申请已提交。")
            next_step = _("EMS将把查询结果寄到您的户籍地址，快递员会打电话联系您。")
            buttons = [(_("完成"), lambda: self._do("finish"), "primary")]
        else:
            what = problem.what() if problem else ""
            next_step = problem.next_step() if problem else ""
            buttons = {
                "offline": [retry, done],
                "failed": [retry, done],
                "print_failed": [qr, mail, done],
                "print_unavailable": [qr, mail, done],
                "mail_failed": [qr, choices, done],
                "mail_unavailable": [qr, choices, done],
            }[state]
            if not journey.can_mail():
                buttons = [button for button in buttons if button is not mail]
        kind = "problem" if problem is not None else "info" if state == "no_record" else "done"
        self.message_card.show_status(kind, self.context.elderly, what, next_step)
        self._message_buttons(buttons)

    def _leave(self, journey: LookupJourney) -> None:
        """Finished: on to the rating if there is one, else the session ends (and is wiped)."""
        if self._leaving:
            return
        self._leaving = True
        self.clear_personal()
        service_id = journey.service_id

        def go_on() -> None:
            if _rating_screen_exists():
                self.nav.go("feedback", service_id=service_id)
            else:
                self.nav.finish()

        # after the journey's listeners have run, not from inside them
        QTimer.singleShot(0, self, go_on)

    # -- privacy -------------------------------------------------------------------------------
    def clear_personal(self) -> None:
        self._reminder.stop()
        self.art.set_running(False)
        self.sheet.clear()
        self.keypad.set_value("")
        self.phone_entry.clear()
        self._clear_phone()
        for widget in (self.identity, self.mail_address, self.message_what, self.message_next,
                       self.card_problem_what, self.card_problem_next):
            widget.clear()
        self.pages.setCurrentWidget(self.card_page)

    # -- a journey handed in from outside (the tour's sample journeys) -------------------------
    def follow(self, journey: LookupJourney) -> None:
        """Draw ``journey`` in place of the registered one (cancelling the one drawn before) and start it."""
        previous = self.journey
        self.deactivate()
        if previous is not None:
            previous.cancel()
        self.journey = journey
        self._leaving = False
        self._unsubscribe = journey.subscribe(lambda j: self.refresh())
        journey.start()


def _rating_screen_exists() -> bool:
    """The rating screen is registered and its module is installed."""
    if not registry.has("feedback"):
        return False
    return importlib.util.find_spec(registry.SCREENS["feedback"][0]) is not None


class SocialSecurityScreen(LookupScreen):
    name = "social_security"
    journey_name = "social_security"


class PropertyScreen(LookupScreen):
    name = "property"
    journey_name = "property"


class PopulationScreen(LookupScreen):
    name = "population"
    journey_name = "population"

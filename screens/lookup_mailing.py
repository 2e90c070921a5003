"""The lookup screen's EMS mailing pages: confirm the registered address, type a phone number on the keypad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.journeys.lookup import LookupJourney
from kiosk.shell.i18n import _
from screens.journey_screen import JourneyScreen
from screens.open_counters import next_step as counter_step
from screens.widgets import Card, Keypad, TouchButton, label, page_of


class LookupMailingPages(JourneyScreen[LookupJourney]):
    """Mixed into the lookup screen: builds and fills the two mailing pages."""

    # the host screen's (declared, not defined: the host's own, or another part's, are found first)
    _page: Callable[[], QVBoxLayout]
    _do: Callable[[str], None]

    @property
    def lookup(self) -> LookupJourney | None:  # pragma: no cover - the host screen's own comes first
        raise NotImplementedError

    def _build_mail_confirm_page(self) -> None:
        box = self._page()
        self.mail_confirm_page = page_of(box)
        self.mail_card = Card()
        self.mail_to = label(role="hint")
        self.mail_address = label(role="value")
        self.mail_note = label(role="hint")
        for widget in (self.mail_to, self.mail_address, self.mail_note):
            self.mail_card.body.addWidget(widget)
        box.addWidget(self.mail_card)
        box.addStretch(1)
        self.mail_yes = TouchButton(role="primary", on_tap=lambda: self._do("confirm_address"))
        self.mail_no = TouchButton(role="nav", on_tap=lambda: self._do("show_choices"))
        box.addWidget(self.mail_yes)
        box.addWidget(self.mail_no)

    def _build_mail_phone_page(self) -> None:
        box = self._page()
        self.mail_phone_page = page_of(box)
        self.phone_prompt = label(role="subtitle")
        self.phone_entry = label(role="title", wrap=False)
        self.phone_entry.setObjectName("PhoneEntry")
        self.phone_problem = label(role="error")
        self.keypad = Keypad(max_length=11)
        self.keypad.changed.connect(self._phone_changed)
        self.phone_send = TouchButton(role="primary", on_tap=self._send_phone)
        self.phone_cancel = TouchButton(role="nav", on_tap=lambda: self._do("show_choices"))
        box.addWidget(self.phone_prompt)
        box.addWidget(self.phone_entry)
        box.addWidget(self.phone_problem)
        box.addWidget(self.keypad)
        box.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.phone_cancel, 1)
        row.addWidget(self.phone_send, 2)
        box.addLayout(row)

    def _phone_changed(self, value: str) -> None:
        digits = value
        self.phone_entry.setText(" ".join(filter(None, (digits[:3], digits[3:7], digits[7:]))) or "—")
        self.phone_send.setEnabled(len(digits) == 11)

    def _send_phone(self) -> None:
        journey = self.lookup
        if journey is not None and not journey.finished:
            journey.submit_phone(self.keypad.value)

    def _show_mail_confirm(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.mail_confirm_page)
        self.mail_to.setText(_("EMS将寄到您身份证上的户籍地址："))
        self.mail_address.setText(journey.mailing_address_masked())
        self.mail_note.setText(counter_step(self.context, "如需寄到其他地址，请到人工服务台办理。"))
        self.mail_yes.setText(_("寄到这个地址"))
        self.mail_no.setText("‹ " + _("返回选择其他方式"))

    def _show_mail_phone(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.mail_phone_page)
        self.phone_prompt.setText(_("请输入您的手机号码，方便快递员联系您"))
        self._phone_changed(self.keypad.value)
        problem = journey.problem
        self.phone_problem.setText(problem.what() if problem is not None else "")
        self.phone_problem.setVisible(problem is not None)
        self.keypad.set_labels(_("清除"), _("退格"))
        self.phone_send.setText(_("提交邮寄申请"))
        self.phone_cancel.setText("‹ " + _("返回"))

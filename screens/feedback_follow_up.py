"""The rating's follow-up call: a consent toggle on the rating page, and a page with the keypad for the number."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.journeys.feedback import FeedbackJourney
from kiosk.shell.i18n import _
from screens.journey_screen import JourneyScreen
from screens.widgets import Card, Keypad, TouchButton, label, page_column


class FollowUpPages(JourneyScreen[FeedbackJourney]):
    """A part of the rating screen: the toggle (``follow_up_toggle``) and the phone page."""

    # the rating screen's (declared, not defined: the screen's own come first)
    heading: QLabel
    subheading: QLabel
    _act: Callable[..., None]

    def _build_follow_up(self) -> None:
        self.follow_up_toggle = TouchButton(on_tap=self._toggle_follow_up)
        self.follow_up_toggle.setCheckable(True)
        page, box = page_column(20)
        consent = Card()
        self.follow_up_why = label(role="value")
        self.follow_up_keep = label(role="hint")
        consent.body.addWidget(self.follow_up_why)
        consent.body.addWidget(self.follow_up_keep)
        self.follow_up_entry = label(role="title", wrap=False)
        self.follow_up_entry.setObjectName("PhoneEntry")
        self.follow_up_problem = label(role="error")
        self.follow_up_keypad = Keypad(max_length=11)
        self.follow_up_keypad.changed.connect(self._follow_up_typed)
        self.follow_up_save = TouchButton(role="primary", on_tap=self._save_follow_up)
        self.follow_up_cancel = TouchButton(role="nav", on_tap=lambda: self._act("drop_follow_up"))
        for widget in (consent, self.follow_up_entry, self.follow_up_problem, self.follow_up_keypad):
            box.addWidget(widget)
        box.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.follow_up_cancel, 1)
        row.addWidget(self.follow_up_save, 2)
        box.addLayout(row)
        self.follow_up_page = page
        self.pages.addWidget(page)

    def _toggle_follow_up(self) -> None:
        journey = self.journey
        if journey is None:
            return
        if journey.follow_up_phone:
            journey.drop_follow_up()
        else:
            self.follow_up_keypad.set_value("")
            journey.ask_follow_up()

    def _follow_up_typed(self, digits: str) -> None:
        self.follow_up_entry.setText(" ".join(filter(None, (digits[:3], digits[3:7], digits[7:]))) or "—")
        self.follow_up_save.setEnabled(len(digits) == 11)

    def _save_follow_up(self) -> None:
        self._act("save_phone", self.follow_up_keypad.value)

    def _show_follow_up_toggle(self, journey: FeedbackJourney, shown: bool) -> None:
        phone = journey.phone_masked()
        self.follow_up_toggle.setVisible(shown)
        self.follow_up_toggle.setChecked(bool(phone))
        self.follow_up_toggle.setText(("☑ " + _("回访电话 {phone}（轻触取消）").format(phone=phone)) if phone
                                      else ("☐ " + _("同意工作人员就本次评价电话回访我")))

    def _show_follow_up(self, journey: FeedbackJourney) -> None:
        self.heading.setText(_("留下回访电话"))
        self.subheading.setText("")
        self.follow_up_why.setText(_("您的手机号只用于工作人员就本次评价回访您，不会用于其他用途。"))
        self.follow_up_keep.setText(_("号码随评价保存在服务中心，仅供回访使用，30天后删除。"))
        self._follow_up_typed(self.follow_up_keypad.value)
        problem = journey.problem
        # the rule alone (one line, so the keypad keeps its size in elderly mode): "enter 11 digits starting with 1"
        self.follow_up_problem.setText(problem.next_step() if problem else "")
        self.follow_up_problem.setVisible(problem is not None)
        self.follow_up_keypad.set_labels(_("清除"), _("退格"))
        self.follow_up_save.setText(_("同意并保存"))
        self.follow_up_cancel.setText("‹ " + _("不留电话"))
        self.pages.setCurrentWidget(self.follow_up_page)

    def _clear_follow_up(self) -> None:
        self.follow_up_keypad.set_value("")
        self.follow_up_problem.clear()
        self.follow_up_toggle.setText("")

"""呼叫工作人员 on every page: the footer's button raises a staff call and this card tells the citizen what
happens next — someone is coming, or (out of hours) the hotline. The rules are in kiosk/hall/staff_call.py."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk.hall.staff_call import Answer, Outcome, StaffCall
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _, pick
from screens.overlay import CardOverlay
from screens.theme import is_high_contrast, style_sheet
from screens.widgets import TouchButton, label

log = logging.getLogger("screens")

SHOWN_MS = 20_000  # the card closes by itself; the call stands


class StaffCallNotice(CardOverlay):
    """A card over the page; ``call(page)`` raises the call and shows what the citizen is told."""

    def __init__(self, context: KioskContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.title = label(role="title", centered=True)
        self.message = label(role="subtitle", centered=True)
        self.close_button = TouchButton(role="primary", on_tap=self.hide)
        for widget in (self.title, self.message, self.close_button):
            self.body.addWidget(widget)
        self.outcome: Outcome | None = None
        self._staff: StaffCall | None = None
        self._timer = QTimer(self, singleShot=True, interval=SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        context.sessions.on_ended(self._session_ended)
        self.hide()

    def staff(self) -> StaffCall:
        services = self.context.services
        if self._staff is None:
            engine = services.availability
            if engine is not None:
                calendar = engine.calendar
            else:
                from config.calendar import load_calendar

                calendar = load_calendar()
            self._staff = StaffCall(self.context.settings, calendar, services.outbox, self.context.now)
        self._staff.outbox = services.outbox  # opened after the first frame
        sync = services.sync
        self._staff._wake = sync.wake if sync is not None else None
        return self._staff

    def call(self, page: str) -> Outcome:
        self.outcome = self.staff().call(page)
        self.setStyleSheet(style_sheet(self.context.elderly, is_high_contrast(self.context.services.remote_config),
                                       "overlay"))
        self.refresh()
        self.cover_window()
        self.show()
        self.raise_()
        self._timer.start()
        return self.outcome

    def refresh(self) -> None:
        if self.outcome is None:
            return
        coming = self.outcome.answer is not Answer.HOTLINE
        self.title.setText(_("工作人员马上就到") if coming else _("请拨打服务热线"))
        self.message.setText(pick(*self.outcome.wording()))
        self.close_button.setText(_("好的"))

    def _session_ended(self, _reason: str) -> None:
        self.hide()
        if self._staff is not None:
            self._staff.forget()

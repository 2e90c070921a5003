"""The rating at the end of a journey: five big choices, optional preset comments, submit or skip."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.journeys.feedback import FeedbackJourney
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import N_, _, pick
from kiosk.system.timers import named_timer
from screens.base import Navigator
from screens.feedback_follow_up import FollowUpPages
from screens.journey_screen import JourneyScreen
from screens.widgets import TouchButton, discard, label

STARS: tuple[tuple[int, str], ...] = (
    (5, N_("非常满意")), (4, N_("满意")), (3, N_("基本满意")), (2, N_("不满意")), (1, N_("非常不满意")),
)
THANKS_MS = 4000


class FeedbackScreen(FollowUpPages, JourneyScreen[FeedbackJourney]):
    name = "feedback"
    has_back = False  # the journey before it is over; the only ways on are rate, skip or Home

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.subheading = label(role="subtitle")
        self.layout_.insertWidget(0, self.heading)
        self.layout_.insertWidget(1, self.subheading)

        rate = QWidget()
        grid = QGridLayout(rate)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(18)
        self.star_buttons: dict[int, TouchButton] = {}
        for row, (stars, _text) in enumerate(STARS):
            button = TouchButton(on_tap=partial(self._rate, stars))
            button.setCheckable(True)
            button.setMinimumHeight(104)
            grid.addWidget(button, row, 0, 1, 2)
            self.star_buttons[stars] = button
        self.chip_hint = label(role="hint")
        grid.addWidget(self.chip_hint, len(STARS), 0, 1, 2)
        self.chip_buttons: dict[str, TouchButton] = {}
        self.chip_grid = grid
        self._chip_row = len(STARS) + 1
        grid.setRowStretch(len(STARS) + 6, 1)
        self.submit = TouchButton(role="primary", on_tap=lambda: self._act("submit"))
        self.submit.setMinimumHeight(120)
        self.skip = TouchButton(on_tap=lambda: self._act("skip"))
        grid.addWidget(self.submit, len(STARS) + 7, 0, 1, 2)
        grid.addWidget(self.skip, len(STARS) + 8, 0, 1, 2)
        self.rate_page = rate

        thanks = QWidget()
        column = QGridLayout(thanks)
        self.thanks_text = label(role="title", centered=True)
        self.thanks_hint = label(role="subtitle", centered=True)
        self.thanks_done = TouchButton(role="primary", on_tap=self._leave)
        column.addWidget(self.thanks_text, 0, 0)
        column.addWidget(self.thanks_hint, 1, 0)
        column.setRowStretch(2, 1)
        column.addWidget(self.thanks_done, 3, 0)
        self.thanks_page = thanks

        self.pages.addWidget(rate)
        self.pages.addWidget(thanks)
        self._build_follow_up()
        grid.addWidget(self.follow_up_toggle, len(STARS) + 5, 0, 1, 2)
        self.leave_timer = named_timer(self, "feedback-thanks", single_shot=True, interval_ms=THANKS_MS)
        self.leave_timer.timeout.connect(self._leave)

    def title(self) -> str:
        return _("服务评价")

    def _act(self, method: str, *args: Any) -> None:
        if self.journey is not None:
            getattr(self.journey, method)(*args)

    def _rate(self, stars: int) -> None:
        # elderly mode keeps to six choices: five ratings and Skip, and one tap sends the rating
        self._act("rate", stars)
        if self.context.elderly and self.journey is not None and not self.journey.needs_reason:
            self._act("submit")  # a low rating first asks for its reason, in elderly mode too

    def _leave(self) -> None:
        self.leave_timer.stop()
        if self.isVisible() and self.journey is not None:
            self.nav.finish()

    def deactivate(self) -> None:
        self.leave_timer.stop()
        super().deactivate()

    def show_state(self, journey: FeedbackJourney) -> None:
        if journey.state == "skipped":
            self.leave_timer.stop()
            self.nav.finish()
            return
        if journey.state == "thanks":
            self.heading.setText(_("服务评价"))
            self.subheading.setText("")
            self.thanks_text.setText(_("感谢您的评价！"))
            hint = _("您的意见会帮助我们改进服务。请带好您的证件和物品。")
            if journey.record_number:  # which service the rating is about, as the hall will see it
                hint += "\n" + _("服务记录号 {number}").format(number=journey.record_number)
            self.thanks_hint.setText(hint)
            self.thanks_done.setText(_("完成"))
            self.pages.setCurrentWidget(self.thanks_page)
            if not self.leave_timer.isActive():
                self.leave_timer.start()
            return
        if journey.state == "follow_up":
            self._show_follow_up(journey)
            return
        service = journey.service
        self.heading.setText(_("请为本次服务评价"))
        self.subheading.setText(pick(service.name_zh, service.name_en) if service else _("自助服务终端"))
        for stars, text in STARS:
            button = self.star_buttons[stars]
            button.setText("★" * stars + "☆" * (5 - stars) + "  " + _(text))
            button.setChecked(journey.rating == stars)
            button.setProperty("role", "primary" if journey.rating == stars else None)
            button.style().unpolish(button)
            button.style().polish(button)
        self._show_chips(journey)
        elderly = self.context.elderly
        asking = journey.reason_chips is not journey.chips  # a low rating: what went wrong?
        if asking:
            self.chip_hint.setText(_("请至少选择一项不满意的原因（可多选）"))
        else:
            self.chip_hint.setText(_("可选：轻触选择您的感受（可多选）") if not elderly else _("轻触一项即完成评价"))
        self.submit.setVisible(not elderly or asking)
        self._show_follow_up_toggle(journey, shown=journey.can_follow_up)
        self.submit.setText(_("提交评价"))
        self.submit.setEnabled(journey.rating is not None and not journey.needs_reason)
        self.skip.setText(_("跳过，不评价"))
        self.pages.setCurrentWidget(self.rate_page)

    def _show_chips(self, journey: FeedbackJourney) -> None:
        asking = journey.reason_chips is not journey.chips
        wanted = journey.reason_chips if asking else (() if self.context.elderly else journey.chips)
        if tuple(self.chip_buttons) != wanted:
            for button in self.chip_buttons.values():
                self.chip_grid.removeWidget(button)
                discard(button)
            self.chip_buttons = {}
            for index, chip in enumerate(wanted):
                button = TouchButton(on_tap=partial(self._act, "toggle_comment", chip))
                button.setCheckable(True)
                self.chip_grid.addWidget(button, self._chip_row + index // 2, index % 2)
                self.chip_buttons[chip] = button
        for chip, button in self.chip_buttons.items():
            chosen = chip in journey.comments
            button.setText(("✓ " if chosen else "") + _(chip))
            button.setChecked(chosen)

    def clear_personal(self) -> None:
        self.leave_timer.stop()
        self._clear_follow_up()

    def tour(self) -> Iterator[str]:
        self.activate(service_id="ss-card-apply")
        journey = self.journey
        assert journey is not None
        journey.record_number = "A023"  # the ticket a sample session would have taken
        yield "rate"
        journey.rate(4)
        journey.toggle_comment("办理快")
        journey.toggle_comment("指引清楚")
        yield "rated"
        journey.rate(2)  # a low rating: the reasons, at least one needed
        yield "reason"
        journey.toggle_comment("等待太久")
        journey.ask_follow_up()
        self.follow_up_keypad.set_value("1381234")
        journey.save_phone(self.follow_up_keypad.value)
        yield "follow-up-bad"
        self.follow_up_keypad.set_value("13812341234")
        journey.save_phone(self.follow_up_keypad.value)
        yield "follow-up-kept"
        journey.go("thanks")
        self.leave_timer.stop()  # the tour renders the page; it does not leave it
        yield "thanks"

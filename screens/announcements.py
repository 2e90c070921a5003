"""The announcement strip under the header: the hall's notices from the configuration bundle.

Announcements are information, not faults, so they have their own calm strip (the theme's notice
colours) apart from the banner that reports the kiosk's own troubles. Which ones show is decided
by :meth:`config.remote.RemoteConfig.announcements_at` on the hall clock (``services["clock"]``):
again when a bundle is put in force (``availability_changed``), when the language changes and
every minute, so one that starts or ends at 09:00 appears or goes within a minute.

Up to ``SHOWN_AT_ONCE`` announcements show one under the other; more take turns in those places
every ``TURN_MS``, with "1/3" beside them, so the screens below keep their buttons on screen.
Labels are made once and only their texts change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.clock import SystemClock
from kiosk.context import KioskContext
from kiosk.i18n import pick
from screens.widgets import label

MINUTE_MS = 60_000
TURN_MS = 12_000  # long enough to read 200 characters of Chinese at an unhurried pace
SHOWN_AT_ONCE = 1  # a 400-character English text in elderly type already takes a fifth of the screen


class AnnouncementStrip(QFrame):
    """Shows the announcements in force now, in the current language; hidden when there are none."""

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("Announcements")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(self)
        row.setContentsMargins(36, 12, 36, 12)
        row.setSpacing(18)
        column = QVBoxLayout()
        column.setSpacing(10)
        row.addLayout(column, 1)
        self.texts: list[QLabel] = []
        for _place in range(SHOWN_AT_ONCE):
            text = label(wrap=True)
            column.addWidget(text)
            self.texts.append(text)
        self.count = label(role="count", wrap=False)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.count, 0, Qt.AlignmentFlag.AlignTop)
        self._shown: list[Any] = []  # Announcement objects in force, in bundle order
        self._first = 0  # index of the first one on show when they take turns
        self._said: tuple[tuple[str, str], ...] = ()  # (text, level) on show, to skip needless relayouts
        self._minute = QTimer(self, objectName="announcements-minute", interval=MINUTE_MS)
        self._minute.timeout.connect(self.refresh)
        self._minute.start()
        self._turn = QTimer(self, objectName="announcements-turn", interval=TURN_MS)
        self._turn.timeout.connect(self._next_turn)
        context.language_changed.connect(self.render)
        context.availability_changed.connect(self.refresh)
        self.setVisible(False)
        self.refresh()

    def now(self) -> datetime:
        clock = self.context.services.get("clock") or SystemClock()
        return clock.now()

    def refresh(self, *_args: object) -> None:
        """Decide again which announcements are in force (bundle and clock) and show them."""
        remote = self.context.services.get("remote_config")
        shown = remote.announcements_at(self.now()) if remote is not None else []
        if shown != self._shown:
            self._shown = shown
            self._first = 0
        if len(self._shown) > SHOWN_AT_ONCE:
            if not self._turn.isActive():
                self._turn.start()
        else:
            self._turn.stop()
        self.render()

    def _next_turn(self) -> None:
        if self._shown:
            self._first = (self._first + SHOWN_AT_ONCE) % len(self._shown)
        self.render()

    def render(self, *_args: object) -> None:
        """Set the texts in the current language (in place: no widgets are made here)."""
        count = len(self._shown)
        on_show = [self._shown[(self._first + i) % count] for i in range(min(count, SHOWN_AT_ONCE))]
        said = tuple((pick(a.text_zh, a.text_en), a.level) for a in on_show)
        position = f"{self._first // SHOWN_AT_ONCE + 1}/{-(-count // SHOWN_AT_ONCE)}" if count > SHOWN_AT_ONCE else ""
        if said == self._said and position == self.count.text():
            return
        self._said = said
        for place, text in enumerate(self.texts):
            if place < len(said):
                words, level = said[place]
                text.setText(words)
                if text.property("level") != level:
                    text.setProperty("level", level)
                    text.style().unpolish(text)
                    text.style().polish(text)
            text.setVisible(place < len(said))
        self.count.setText(position)
        self.count.setVisible(bool(position))
        self.setVisible(bool(said))

    def texts_on_show(self) -> list[str]:
        """The announcement texts on show now (for tests and the tour)."""
        return [text for text, _level in self._said]

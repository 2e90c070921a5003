"""The announcement strip under the header: the hall's notices from the configuration bundle.

Announcements are information, not faults, so they have their own calm strip (the theme's notice
colours) apart from the banner that reports the kiosk's own troubles. Which ones show is decided
by :meth:`config.remote.RemoteConfig.announcements_at` on the hall clock (``services.clock``):
again when a bundle is put in force (``remote_config_changed``), when the language changes and
every minute, so one that starts or ends at 09:00 appears or goes within a minute.

The strip never grows past ``MAX_HEIGHT_PX`` of text, so the screen below keeps its buttons on
screen: a longer announcement is cut into pages at line ends, and several announcements (or
pages) take turns every ``TURN_MS``, with "1/3" beside them. One label shows the text; only its
text changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import pick
from kiosk.shell.panel import COLUMN_WIDTH
from kiosk.system.timers import named_timer
from screens.theme import ANNOUNCEMENT_PX, SCREEN_WIDTH, px
from screens.widgets import label

MINUTE_MS = 60_000
TURN_MS = 12_000  # long enough to read a full page at an unhurried pace
MAX_HEIGHT_PX = 220  # five lines of standard type, three of elderly type
MARGIN_X = 36
SPACING = 18
MARK_PX = 8  # the bar beside a warning, before the elderly enlargement


class AnnouncementStrip(QFrame):
    """Shows the announcements in force now, in the current language; hidden when there are none."""

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("Announcements")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(self)
        row.setContentsMargins(MARGIN_X, 12, MARGIN_X, 12)
        row.setSpacing(SPACING)
        # a warning gets a bar in the accent colour beside it (and bold text): still no alarm colour
        self.mark = QFrame()
        self.mark.setObjectName("AnnouncementMark")
        self.mark.setVisible(False)
        row.addWidget(self.mark)
        self.text = label(wrap=True)
        row.addWidget(self.text, 1)
        self.count = label(role="count", wrap=False)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.count, 0, Qt.AlignmentFlag.AlignTop)
        self._in_force: list[Any] = []  # the Announcement objects in force, in bundle order
        self._turns: list[tuple[str, str]] = []  # (page of text, level) in the current language and type
        self._turn = 0
        self._minute = named_timer(self, "announcements-minute", interval_ms=MINUTE_MS)
        self._minute.timeout.connect(self.refresh)
        self._minute.start()
        self._turn_timer = named_timer(self, "announcements-turn", interval_ms=TURN_MS)
        self._turn_timer.timeout.connect(self._next_turn)
        context.language_changed.connect(self.cut_into_pages)
        context.elderly_changed.connect(self.cut_into_pages)  # the type size decides where pages break
        context.remote_config_changed.connect(self.refresh)
        self.setVisible(False)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Decide again which announcements are in force (bundle and clock) and show them."""
        remote = self.context.services.remote_config
        in_force = remote.announcements_at(self.context.now()) if remote is not None else []
        if in_force != self._in_force:
            self._in_force = in_force
            self._turn = 0
            self.cut_into_pages()

    def cut_into_pages(self, *_args: object) -> None:
        """Cut the announcements into pages for the current language and type; show the current one."""
        turns = [(page, a.level) for a in self._in_force
                 for page in self.pages(pick(a.text_zh, a.text_en), a.level)]
        if turns != self._turns:
            self._turns = turns
            self._turn = 0 if self._turn >= len(turns) else self._turn
        if len(self._turns) > 1:
            if not self._turn_timer.isActive():
                self._turn_timer.start()
        else:
            self._turn_timer.stop()
        self._show_turn()

    def _next_turn(self) -> None:
        if self._turns:
            self._turn = (self._turn + 1) % len(self._turns)
        self._show_turn()

    def _show_turn(self) -> None:
        # Texts and properties are set in place, and only when they change (no relayout otherwise).
        if not self._turns:
            self.setVisible(False)
            return
        words, level = self._turns[self._turn]
        if self.text.text() != words:
            self.text.setText(words)
        if self.text.property("level") != level:
            self.text.setProperty("level", level)
            self.text.style().unpolish(self.text)
            self.text.style().polish(self.text)
        self.mark.setFixedWidth(px(MARK_PX, self.context.elderly))
        self.mark.setVisible(level == "warning")
        position = f"{self._turn + 1}/{len(self._turns)}" if len(self._turns) > 1 else ""
        if self.count.text() != position:
            self.count.setText(position)
        self.count.setVisible(bool(position))
        self.setVisible(True)

    def pages(self, text: str, level: str = "info") -> list[str]:
        """``text`` cut at line ends into pages of at most ``MAX_HEIGHT_PX`` at the current type size."""
        elderly = self.context.elderly
        font = QFont(self.text.font())
        font.setPixelSize(px(ANNOUNCEMENT_PX, elderly))
        width = self._text_width(elderly)
        if level == "warning":
            font.setWeight(QFont.Weight.DemiBold)
            width -= px(MARK_PX, elderly) + SPACING
        layout = QTextLayout(text, font)
        layout.beginLayout()
        lines: list[tuple[int, int]] = []
        line_height = 1.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line_height = max(line_height, line.height())
            lines.append((line.textStart(), line.textStart() + line.textLength()))
        layout.endLayout()
        per_page = max(1, int(MAX_HEIGHT_PX // line_height))
        if len(lines) <= per_page:
            return [text]
        return [text[lines[i][0]:lines[min(i + per_page, len(lines)) - 1][1]].strip()
                for i in range(0, len(lines), per_page)]

    def _text_width(self, elderly: bool) -> float:
        # The window's column (1080 wide on a portrait kiosk; see KioskWindow), less the margins and
        # room for "12/20"; a little narrower than the label really is, so a page never wraps onto one
        # more line.
        window = self.window()
        total = window.width() if window is not None and window.width() > 0 else SCREEN_WIDTH
        total = min(total, COLUMN_WIDTH)
        return total - 2 * MARGIN_X - SPACING - 3 * px(24, elderly) - 8

    def texts_on_show(self) -> list[str]:
        """Every page that takes a turn in the strip now, in order (for tests and the tour)."""
        return [words for words, _level in self._turns]

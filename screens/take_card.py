"""The take-card reminder: a card left on the reader when a visit ends fills the screen until it is taken.

When a session ends (Home, the idle wipe, the end of a card journey) with a card still lying on the
reader, the whole window says so in both languages (the citizen who walks away may read either),
and the loudspeaker plays the take-card tone followed by the ``take_card`` prompt, in Mandarin and
English by turns, again every ``REPEAT_MS``, for ``SOUND_FOR_MS`` (after that the message stays, silently, so
the hall is not filled with it all day). Lifting the card takes it all away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.shell.context import KioskContext
from kiosk.system.timers import named_timer
from screens.overlay import CardOverlay
from screens.pictogram import pictogram_pixmap
from screens.theme import palette, style_sheet
from screens.widgets import label

SIDE = 70
REPEAT_MS = 5000  # from one tone to the next
PROMPT_AFTER_MS = 700  # the words follow the tone (a new sound would cut the tone short)
SOUND_FOR_MS = 180_000
LANGUAGES = ("zh", "en")


class TakeCardReminder(CardOverlay):
    """Covers the window while a card lies forgotten on the reader."""

    def __init__(self, context: KioskContext, parent: QWidget) -> None:
        super().__init__(parent, side=SIDE, padding=(48, 56))
        self.context = context
        self.picture = label(wrap=False, centered=True)
        self.title_zh = label("请取回您的身份证", role="title")
        self.title_en = label("Please take your ID card", role="title")
        self.explain = label("身份证还在读卡器上，取走后本页自动关闭。\n"
                             "Your ID card is still on the reader. This page closes once it is taken.", role="subtitle")
        for widget in (self.title_zh, self.title_en, self.explain):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.picture, self.title_zh, self.title_en, self.explain):
            self.body.addWidget(widget)
        self._repeat = named_timer(self, "take-card-repeat", interval_ms=REPEAT_MS)
        self._repeat.timeout.connect(self._remind)
        self._quiet_after = named_timer(self, "take-card-quiet", single_shot=True, interval_ms=SOUND_FOR_MS)
        self._quiet_after.timeout.connect(self._repeat.stop)
        self._reminders = 0
        self._hub: Any = None
        self.hide()

    @property
    def showing(self) -> bool:
        return self.isVisible()

    def check(self) -> bool:
        """At a session's end: show the reminder if a card lies on the reader; whether it did."""
        hub = self.context.services.devices
        if hub is None or not getattr(hub, "card_on_reader", False):
            return False
        if hub is not self._hub:
            self._hub = hub
            hub.card_removed.connect(self.taken)
        self.start()
        return True

    def start(self) -> None:
        high_contrast = bool(getattr(self.parentWidget(), "_high_contrast", False))
        colours = palette(False, high_contrast)
        self.setStyleSheet(style_sheet(False, high_contrast, "overlay") + f"""
QWidget#Overlay {{ background: {colours.danger}; }}
QFrame#OverlayCard {{ background: transparent; border: none; }}
QLabel {{ color: {colours.on_danger}; }}
QLabel[role="title"] {{ font-size: 84px; font-weight: 700; }}
QLabel[role="subtitle"] {{ font-size: 36px; color: {colours.on_danger}; }}""")
        self.picture.setPixmap(pictogram_pixmap("action/place_card", colours.on_danger, 320, self.devicePixelRatioF()))
        self.cover_window()
        self.show()
        self.raise_()
        self._reminders = 0
        self._remind()
        self._repeat.start()
        self._quiet_after.start()

    def taken(self) -> None:
        """The card was lifted: the next citizen gets the kiosk back."""
        self._repeat.stop()
        self._quiet_after.stop()
        if self.isVisible():
            self.hide()
            voice = self.context.services.voice
            if voice is not None:
                voice.forget()

    def _remind(self) -> None:
        voice = self.context.services.voice
        if voice is None:
            return
        language = LANGUAGES[self._reminders % len(LANGUAGES)]
        self._reminders += 1
        voice.beep("take_card")
        QTimer.singleShot(PROMPT_AFTER_MS, self, lambda: self._say(language))

    def _say(self, language: str) -> None:
        voice = self.context.services.voice
        if voice is not None and self.isVisible() and self._repeat.isActive():
            voice.say("take_card", language)

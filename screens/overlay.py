"""The "need more time?" overlay shown when a citizen has stopped touching the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.shell.i18n import _
from kiosk.shell.panel import DESIGN_WIDTH
from screens.widgets import TouchButton, label

SIDE = 90  # between the card and the window's edge on a portrait kiosk


class CardOverlay(QWidget):
    """A card in the middle of the dimmed window: the countdown, the staff call, the take-card reminder.

    Subclasses add their widgets to ``self.body``. The card keeps its portrait width, in the middle of a
    wider (landscape) window, ``side`` pixels from the edges of a portrait one.
    """

    def __init__(self, parent: QWidget, *, side: int = SIDE, padding: tuple[int, int] = (48, 48)) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._side = side
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(side, 0, side, 0)
        self._outer.addStretch(1)
        card = QFrame()
        card.setObjectName("OverlayCard")
        self.body = QVBoxLayout(card)
        self.body.setContentsMargins(padding[0], padding[1], padding[0], padding[1])
        self.body.setSpacing(28)
        self._outer.addWidget(card)
        self._outer.addStretch(1)

    def cover_window(self) -> None:
        """Lie over the whole window it belongs to (before showing: the window may have been resized)."""
        window = self.parentWidget()
        if window is not None:
            self.setGeometry(window.rect())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        side = max(self._side, (event.size().width() - DESIGN_WIDTH) // 2 + self._side)
        self._outer.setContentsMargins(side, 0, side, 0)
        super().resizeEvent(event)


class CountdownOverlay(CardOverlay):
    more_time = Signal()
    finish = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.question = label(role="title", centered=True)
        self.remaining = label(role="big-number", centered=True)
        self.explain = label(role="subtitle", centered=True)
        self.continue_button = TouchButton(role="primary", on_tap=self.more_time.emit)
        self.finish_button = TouchButton(on_tap=self.finish.emit)
        for widget in (self.question, self.remaining, self.explain, self.continue_button, self.finish_button):
            self.body.addWidget(widget)
        self._seconds = 0

    def start(self, seconds: int) -> None:
        self.cover_window()
        self.set_remaining(seconds)
        self.show()
        self.raise_()

    def set_remaining(self, seconds: int) -> None:
        self._seconds = seconds
        self.refresh()

    def refresh(self) -> None:
        self.question.setText(_("需要更多时间吗？"))
        self.remaining.setText(str(self._seconds))
        self.explain.setText(_("{seconds} 秒后将结束办理并清除您的信息").format(seconds=self._seconds))
        self.continue_button.setText(_("继续办理"))
        self.finish_button.setText(_("结束办理"))

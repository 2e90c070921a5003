"""The card-placement illustration: an ID card sliding down onto the reader, drawn with QPainter.

No image files: the reader, the card and the glow of the reading area are simple shapes in the
theme's colours, so the picture follows elderly mode and scales to any size. The animation runs
only while the widget is visible, from a named timer.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QHideEvent, QPainter, QPainterPath, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.system.timers import named_timer
from screens.theme import palette

CYCLE_MS = 2600  # one slide-and-rest of the card
TICK_MS = 33


class CardReaderArt(QWidget):
    """Shows where the card goes. ``set_elderly`` switches colours; ``freeze`` stops at one moment."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(600, 460)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.phase = 0.0
        self.elderly = False
        self.reader_label = ""
        self.frozen = False
        self._timer = named_timer(self, "card-reader-art", interval_ms=TICK_MS)
        self._timer.timeout.connect(self._tick)

    # -- animation -----------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        if running and not self.frozen and self.isVisible():
            self._timer.start()
        else:
            self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def freeze(self, phase: float) -> None:
        """Stand still at ``phase`` (0 card above, 0.6 card on the reader); for the tour and tests."""
        self.frozen = True
        self._timer.stop()
        self.phase = phase
        self.update()

    def set_elderly(self, elderly: bool) -> None:
        self.elderly = elderly
        self.update()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.set_running(True)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        self._timer.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self.phase = (self.phase + TICK_MS / CYCLE_MS) % 1.0
        self.update()

    # -- drawing -----------------------------------------------------------------------------------
    def _card_progress(self) -> float:
        """0 = card above the reader, 1 = card lying on it (eased), from the cycle's phase."""
        if self.phase < 0.6:
            t = self.phase / 0.6
            return 1 - (1 - t) ** 3
        return 1.0

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = palette(self.elderly)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        unit = min(w / 10, h / 8)
        cx = w / 2

        # the reader: a dark box with a glowing reading area on top
        reader = QRectF(cx - 3.6 * unit, h - 2.6 * unit, 7.2 * unit, 2.3 * unit)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(p.text))
        painter.drawRoundedRect(reader, 0.35 * unit, 0.35 * unit)
        area = QRectF(cx - 2.7 * unit, reader.top() + 0.3 * unit, 5.4 * unit, 1.4 * unit)
        progress = self._card_progress()
        glow = QColor(p.ok)
        if progress >= 1.0:
            pulse = 0.5 + 0.5 * math.sin((self.phase - 0.6) / 0.4 * math.pi * 2)
            glow.setAlphaF(0.55 + 0.45 * pulse)
        painter.setBrush(glow)
        painter.drawRoundedRect(area, 0.2 * unit, 0.2 * unit)
        if self.reader_label:
            painter.setPen(QColor(p.on_ok))
            font = QFont(self.font())
            font.setPixelSize(max(14, int(0.42 * unit)))
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.reader_label)

        # the card: slides down from above and lands on the reading area
        card_w, card_h = 4.8 * unit, 3.0 * unit
        top_end = area.center().y() - card_h / 2 - 0.9 * unit
        top_start = 0.2 * unit
        top = top_start + (top_end - top_start) * progress
        card = QRectF(cx - card_w / 2, top, card_w, card_h)
        if progress >= 1.0:
            # lying flat on the reader: drawn a little squashed, as seen from the front
            card = QRectF(card.left(), area.top() - 0.55 * unit, card_w, 0.55 * unit + 0.4 * unit)
        painter.setPen(QPen(QColor(p.primary), max(2.0, 0.06 * unit)))
        painter.setBrush(QColor("#DCE9F8"))
        painter.drawRoundedRect(card, 0.25 * unit, 0.25 * unit)
        if progress < 1.0:
            photo = QRectF(card.right() - 1.5 * unit, card.top() + 0.45 * unit, 1.1 * unit, 1.4 * unit)
            painter.setBrush(QColor(p.border))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(photo, 0.1 * unit, 0.1 * unit)
            painter.setBrush(QColor(p.muted))
            for row in range(4):
                line = QRectF(card.left() + 0.4 * unit, card.top() + (0.55 + row * 0.5) * unit,
                              (2.4 - 0.3 * row) * unit, 0.18 * unit)
                painter.drawRoundedRect(line, 0.08 * unit, 0.08 * unit)
            # an arrow showing the way down
            painter.setPen(QPen(QColor(p.accent), max(3.0, 0.1 * unit), Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            start = QPointF(cx + card_w / 2 + 0.8 * unit, card.top() + 0.3 * unit)
            end = QPointF(start.x(), area.top() - 0.2 * unit)
            if end.y() - start.y() > unit:
                arrow = QPainterPath(start)
                arrow.lineTo(end)
                arrow.moveTo(end.x() - 0.35 * unit, end.y() - 0.45 * unit)
                arrow.lineTo(end)
                arrow.lineTo(end.x() + 0.35 * unit, end.y() - 0.45 * unit)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(arrow)
        painter.end()

"""The check-in illustration: a phone showing the booking's QR code held to the scan window, and an
ID card on the card reader, side by side, drawn with QPainter like ``screens/card_reader_art.py``.

The two ways in are the page's ① and ② (the ③, typing the code, is the button under them). No
image files: simple shapes in the theme's colours, so the picture follows elderly mode and scales.
The QR code on the phone is a fixed pattern of squares, not a code anything could read.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from screens.theme import Palette, palette

# a 7×7 pattern: three finder corners and a few modules, enough to read as "a QR code"
_PATTERN = ("1110101", "1010011", "1110110", "0001010", "1101111", "0100101", "1011101")


class BookingScanArt(QWidget):
    """Phone to the scan window (①) and ID card on the reader (②); ``labels`` are the two captions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(600, 380)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.elderly = False
        self.labels = ("①", "②")

    def set_elderly(self, elderly: bool) -> None:
        self.elderly = elderly
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        p = palette(self.elderly)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        unit = min(w / 16, h / 9.5)
        middle = h / 2 - 0.3 * unit  # the drawings (4.2 units above, 3.5 below) and their captions under them
        left = QPointF(w * 0.27, middle)
        right = QPointF(w * 0.73, middle)
        self._scan(painter, p, left, unit)
        self._card(painter, p, right, unit)
        font = QFont(self.font())
        font.setPixelSize(max(16, int(0.9 * unit)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(p.primary))
        for centre, text in zip((left, right), self.labels, strict=True):
            painter.drawText(QRectF(centre.x() - 4 * unit, centre.y() + 3.8 * unit, 8 * unit, 1.2 * unit),
                             int(Qt.AlignmentFlag.AlignCenter), text)
        painter.end()

    def _scan(self, painter: QPainter, p: Palette, centre: QPointF, unit: float) -> None:
        # the kiosk's scan window: a dark panel with a glowing red window, beams rising from it
        panel = QRectF(centre.x() - 3.4 * unit, centre.y() + 1.6 * unit, 6.8 * unit, 1.9 * unit)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(p.text))
        painter.drawRoundedRect(panel, 0.35 * unit, 0.35 * unit)
        window = QRectF(centre.x() - 2.2 * unit, panel.top() + 0.45 * unit, 4.4 * unit, 0.9 * unit)
        painter.setBrush(QColor(p.accent))
        painter.drawRoundedRect(window, 0.2 * unit, 0.2 * unit)
        beam = QColor(p.accent)
        beam.setAlphaF(0.22)
        rise = QPainterPath(QPointF(window.left() + 0.3 * unit, window.top()))
        rise.lineTo(QPointF(centre.x() - 2.6 * unit, centre.y() - 0.2 * unit))
        rise.lineTo(QPointF(centre.x() + 2.6 * unit, centre.y() - 0.2 * unit))
        rise.lineTo(QPointF(window.right() - 0.3 * unit, window.top()))
        rise.closeSubpath()
        painter.setBrush(beam)
        painter.drawPath(rise)
        # the phone, screen down towards the window, its QR code facing it
        phone = QRectF(centre.x() - 2.1 * unit, centre.y() - 4.2 * unit, 4.2 * unit, 3.9 * unit)
        painter.setPen(QPen(QColor(p.text), max(2.0, 0.14 * unit)))
        painter.setBrush(QColor(p.surface))
        painter.drawRoundedRect(phone, 0.5 * unit, 0.5 * unit)
        self._qr(painter, QRectF(phone.center().x() - 1.3 * unit, phone.top() + 0.6 * unit, 2.6 * unit, 2.6 * unit),
                 QColor(p.text))

    def _card(self, painter: QPainter, p: Palette, centre: QPointF, unit: float) -> None:
        reader = QRectF(centre.x() - 3.4 * unit, centre.y() + 1.6 * unit, 6.8 * unit, 1.9 * unit)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(p.text))
        painter.drawRoundedRect(reader, 0.35 * unit, 0.35 * unit)
        area = QRectF(centre.x() - 2.6 * unit, reader.top() + 0.35 * unit, 5.2 * unit, 1.2 * unit)
        painter.setBrush(QColor(p.ok))
        painter.drawRoundedRect(area, 0.2 * unit, 0.2 * unit)
        card = QRectF(centre.x() - 2.4 * unit, centre.y() - 3.9 * unit, 4.8 * unit, 3.0 * unit)
        painter.setPen(QPen(QColor(p.primary), max(2.0, 0.08 * unit)))
        painter.setBrush(QColor("#DCE9F8"))
        painter.drawRoundedRect(card, 0.25 * unit, 0.25 * unit)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(p.border))
        painter.drawRoundedRect(QRectF(card.right() - 1.5 * unit, card.top() + 0.45 * unit, 1.1 * unit, 1.4 * unit),
                                0.1 * unit, 0.1 * unit)
        painter.setBrush(QColor(p.muted))
        for row in range(4):
            painter.drawRoundedRect(QRectF(card.left() + 0.4 * unit, card.top() + (0.55 + row * 0.5) * unit,
                                           (2.4 - 0.3 * row) * unit, 0.18 * unit), 0.08 * unit, 0.08 * unit)
        # the way down onto the reader
        painter.setPen(QPen(QColor(p.accent), max(3.0, 0.12 * unit), Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        start, end = QPointF(centre.x(), card.bottom() + 0.25 * unit), QPointF(centre.x(), area.top() - 0.25 * unit)
        arrow = QPainterPath(start)
        arrow.lineTo(end)
        arrow.moveTo(end.x() - 0.35 * unit, end.y() - 0.4 * unit)
        arrow.lineTo(end)
        arrow.lineTo(end.x() + 0.35 * unit, end.y() - 0.4 * unit)
        painter.drawPath(arrow)

    @staticmethod
    def _qr(painter: QPainter, square: QRectF, ink: QColor) -> None:
        module = square.width() / len(_PATTERN)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        for y, row in enumerate(_PATTERN):
            for x, dark in enumerate(row):
                if dark == "1":
                    painter.drawRect(QRectF(square.left() + x * module, square.top() + y * module, module, module))

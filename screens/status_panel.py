"""A page's one message, laid out to fill the page: a large mark, the message in large type, the next step.

Pages that say one thing (printed, paid, not found, offline, not offered now) used to put two
short lines at the top of a white card and leave the rest of the screen empty. A
:class:`StatusPanel` takes the room the page has: the mark (done, a problem, or for your
information) drawn large in its colour, then the message and what to do next centred under it,
with the panel's spare room above and below them; the page's buttons stay at its foot.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from screens.balanced_text import BalancedLabel
from screens.theme import palette
from screens.widgets import Card

KINDS = ("done", "problem", "info", "wait")
MARK_SIDE = 150  # design px, in every mode: the words under it grow in elderly mode instead


class StatusMark(QWidget):
    """A disc with a tick (done), an exclamation mark (problem), an i (info) or a clock (wait)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "done"
        self.elderly = False
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_kind(self, kind: str, elderly: bool) -> None:
        if kind not in KINDS:
            raise ValueError(f"status mark {kind!r}: expected one of {', '.join(KINDS)}")
        if (kind, elderly) != (self.kind, self.elderly):
            self.kind, self.elderly = kind, elderly
            self.updateGeometry()
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(MARK_SIDE, MARK_SIDE)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        p = palette(self.elderly)
        colour = {"done": p.ok, "problem": p.accent, "info": p.primary, "wait": p.primary}[self.kind]
        side = min(self.width(), self.height())
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(box)
        u = side / 10
        c = box.center()
        pen = QPen(QColor(p.on_ok), 1.1 * u, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.kind == "done":
            tick = QPainterPath(QPointF(c.x() - 2.4 * u, c.y() + 0.1 * u))
            tick.lineTo(QPointF(c.x() - 0.6 * u, c.y() + 1.9 * u))
            tick.lineTo(QPointF(c.x() + 2.6 * u, c.y() - 1.7 * u))
            painter.drawPath(tick)
        elif self.kind == "wait":
            painter.setPen(QPen(QColor(p.on_ok), 0.8 * u, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(c, QPointF(c.x(), c.y() - 2.6 * u))
            painter.drawLine(c, QPointF(c.x() + 1.9 * u, c.y() + 0.9 * u))
        else:  # problem: "!"; info: "i" (the dot on the other end)
            top, bottom = (c.y() - 2.6 * u, c.y() + 0.7 * u) if self.kind == "problem" else (c.y() - 0.6 * u, c.y() + 2.6 * u)
            painter.drawLine(QPointF(c.x(), top), QPointF(c.x(), bottom))
            dot = c.y() + 2.5 * u if self.kind == "problem" else c.y() - 2.5 * u
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(p.on_ok))
            painter.drawEllipse(QPointF(c.x(), dot), 0.7 * u, 0.7 * u)
        painter.end()


class StatusPanel(Card):
    """The mark, a headline, the message and the next step, centred in a card that fills the page.

    :meth:`add` puts what a page adds (rows of facts, a QR code) under the next step.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.body.setSpacing(16)
        self.mark = StatusMark()
        self.headline = self._centred("status-headline")
        self.what = self._centred("status")
        self.next_step = self._centred("status-next")
        self.body.addStretch(1)
        self.body.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignHCenter)
        for widget in (self.headline, self.what, self.next_step):
            self.body.addWidget(widget)
        self._tail = 1  # the stretch at the foot stays last
        self.body.addStretch(1)

    @staticmethod
    def _centred(role: str) -> BalancedLabel:
        widget = BalancedLabel()
        widget.setProperty("role", role)
        return widget

    def add(self, widget: QWidget, alignment: Qt.AlignmentFlag | None = None) -> None:
        """Put ``widget`` under the texts, above the spare room at the foot."""
        index = self.body.count() - self._tail
        if alignment is None:
            self.body.insertWidget(index, widget)
        else:
            self.body.insertWidget(index, widget, 0, alignment)

    def show_status(self, kind: str, elderly: bool, what: str, next_step: str = "", headline: str = "") -> None:
        """Fill the panel; an empty text hides its line. A problem's message is in the danger colour."""
        self.mark.set_kind(kind, elderly)
        for widget, text in ((self.headline, headline), (self.what, what), (self.next_step, next_step)):
            widget.setText(text)
            widget.setVisible(bool(text))
        wanted = "status-problem" if kind == "problem" else "status"
        if self.what.property("role") != wanted:
            self.what.setProperty("role", wanted)
            self.what.style().unpolish(self.what)  # a new role shows only after a fresh polish
            self.what.style().polish(self.what)

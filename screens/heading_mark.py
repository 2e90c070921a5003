"""The journey's pictogram beside a page's title: the same picture as the journey's tile on home.

A citizen who touched the umbrella tile sees the umbrella again at the top of every page of that
journey. The mark takes its colour and size from the style sheet (``QLabel[role="heading-mark"]``:
the title's colour, its type size), so it follows elderly mode and the high-contrast theme.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy

from screens.pictogram import pictogram_pixmap

SCALE = 1.35  # the mark's side, in the title's type size


class HeadingMark(QLabel):
    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key  # a key of screens.pictogram_names.PICTOGRAMS, e.g. journey/payment
        self.setProperty("role", "heading-mark")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(key)

    def side(self) -> int:
        return max(24, round(self.font().pixelSize() * SCALE)) if self.font().pixelSize() > 0 else 64

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.side(), self.side())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()  # a mode switch: the title's size changed, the mark follows
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        side = min(self.width(), self.height())
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()
        picture = pictogram_pixmap(self.key, colour, max(8, side), self.devicePixelRatioF())
        painter = QPainter(self)
        painter.drawPixmap((self.width() - side) // 2, (self.height() - side) // 2, picture)
        painter.end()


def heading_row(heading: QLabel, key: str) -> QHBoxLayout:
    """The title with the journey's mark before it, as one row to put where the title was."""
    row = QHBoxLayout()
    row.setSpacing(20)
    row.addWidget(HeadingMark(key), 0, Qt.AlignmentFlag.AlignVCenter)
    row.addWidget(heading, 1)
    return row

"""Wrapped text in lines of even length: never a last line of one or two characters.

Chinese wraps between any two characters, so a sentence a little wider than its box leaves one
character alone on the last line (如需帮助，请拨打……工作人 / 员). The narrowest width that still
wraps the text into as many lines gives lines of even length (…工作 / 人员 becomes two halves).
Tiles draw their texts in that width; :class:`BalancedLabel` is a label that does the same.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)


def text_height(font: QFont, width: int, text: str) -> int:
    """The height of ``text`` wrapped to ``width``."""
    if not text:
        return 0
    return QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), WRAP, text).height()


def balanced_width(font: QFont, width: int, text: str, height: int) -> int:
    """The narrowest width that wraps ``text`` into as many lines as ``width`` does (its ``height``):
    lines of even length (选择业务，领取排队 / 号 becomes 选择业务，/ 领取排队号)."""
    metrics = QFontMetrics(font)
    if not text or height < 2 * metrics.lineSpacing():
        return width  # one line: nothing to balance
    low, high = width // 2, width
    while high - low > 2:
        middle = (low + high) // 2
        wrapped = metrics.boundingRect(QRect(0, 0, middle, 100_000), WRAP, text)
        if wrapped.height() <= height and wrapped.width() <= middle:  # (a word wider than the width sticks out)
            high = middle
        else:
            low = middle
    return high


class BalancedLabel(QLabel):
    """A wrapped label whose lines are of even length. Centred, the spare width goes to equal side
    margins; left-aligned (``centred=False``: a page's lead under its title), to the right margin."""

    def __init__(self, parent: QWidget | None = None, *, centred: bool = True) -> None:
        super().__init__(parent)
        self._centred = centred
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        if centred:
            self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setText(text)
        self._balance(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._balance(event.size().width())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # elderly mode's larger type wraps elsewhere
            self._balance(self.width())

    def _balance(self, width: int) -> None:
        if width <= 0:
            return
        height = text_height(self.font(), width, self.text())
        spare = width - balanced_width(self.font(), width, self.text(), height)
        left, right = (spare // 2, spare // 2) if self._centred else (0, spare)
        margins = self.contentsMargins()
        if (margins.left(), margins.right()) != (left, right):
            self.setContentsMargins(left, 0, right, 0)

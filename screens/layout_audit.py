"""Checks a window as it is laid out: nothing overlaps, nothing is cut, everything can be touched.

``audit(window)`` looks at every widget on show and lists, in plain words:

- two widgets side by side in one layout that overlap;
- a widget that sticks out of the widget it is laid out in (so part of it is cut off);
- a label whose text (wrapped as the label wraps it) or picture (a QR code) needs more room than
  the label has;
- a button or tile whose text needs more room than it has (a tile's badges, one row, included);
- a button less than a finger high (``MIN_TOUCH`` design pixels);
- a scroll bar thinner than a finger (``MIN_TOUCH``).

``kiosk tour --check`` runs it on every state of every screen, at any panel size.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6 import QtGui
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel, QLayout, QPushButton, QScrollBar, QWidget

from screens.theme import MIN_TOUCH
from screens.tile import MARGIN_X as TILE_MARGIN_X
from screens.tile import Tile

SLACK = 1  # px: rounding in layouts and text measuring


def audit(window: QWidget) -> list[str]:
    """Everything wrong with the layout of what ``window`` shows now (empty when all is well)."""
    problems: list[str] = []
    for widget in _on_show(window):
        layout = widget.layout()
        if layout is not None:
            problems += _siblings(widget, [w for w in _laid_out(layout) if w.isVisibleTo(window)])
        if isinstance(widget, QLabel):
            problems += _label_text(widget)
        elif isinstance(widget, Tile):
            problems += _tile_text(widget)
        elif isinstance(widget, QPushButton):
            problems += _button(widget)
        elif isinstance(widget, QScrollBar) and widget.orientation() == Qt.Orientation.Vertical \
                and widget.width() < MIN_TOUCH - SLACK:
            problems.append(f"{describe(widget)} is {widget.width()} px wide, thinner than a finger ({MIN_TOUCH})")
    return problems


def describe(widget: QWidget) -> str:
    """A widget as a person finds it on screen: its kind, role or name, and text."""
    parts = [type(widget).__name__]
    role = widget.property("role")
    if role:
        parts.append(f"[{role}]")
    elif widget.objectName():
        parts.append(f"#{widget.objectName()}")
    text = _text_of(widget)
    if text:
        parts.append(repr(text if len(text) <= 40 else text[:39] + "…"))
    return " ".join(parts)


def _on_show(window: QWidget) -> Iterator[QWidget]:
    yield window
    for widget in window.findChildren(QWidget):
        if widget.isVisibleTo(window) and not widget.isWindow():
            yield widget


def _laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets a layout places, in its nested layouts too."""
    widgets: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget, inner = (item.widget(), item.layout()) if item is not None else (None, None)
        if widget is not None:
            widgets.append(widget)
        elif inner is not None:
            widgets += _laid_out(inner)
    return widgets


def _siblings(parent: QWidget, children: list[QWidget]) -> list[str]:
    problems = []
    room = parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK)
    for index, child in enumerate(children):
        box = child.geometry()
        if box.isEmpty():
            continue
        if not room.contains(box):
            problems.append(f"{describe(child)} sticks out of {describe(parent)} "
                            f"({_rect(box)} in {parent.width()}x{parent.height()})")
        for other in children[index + 1:]:
            overlap = box.intersected(other.geometry())
            if overlap.width() > SLACK and overlap.height() > SLACK:
                problems.append(f"{describe(child)} and {describe(other)} overlap by "
                                f"{overlap.width()}x{overlap.height()}")
    return problems


def _label_text(label: QLabel) -> list[str]:
    picture = label.pixmap()
    if picture is not None and not picture.isNull():
        return _picture(label, picture.deviceIndependentSize().toSize())
    text = label.text()
    if not text:
        return []
    margin = label.margin()
    room = label.contentsRect().adjusted(margin, margin, -margin, -margin)
    if label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)):
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        if label.wordWrap():
            document.setTextWidth(room.width())
        needed = document.size().toSize()
        width, height = needed.width(), needed.height()
    else:
        flags = int(label.alignment())
        if label.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap)
        bounds = QFontMetrics(label.font()).boundingRect(QRect(0, 0, max(1, room.width()), 100_000), flags, text)
        width, height = bounds.width(), bounds.height()
    if width > room.width() + SLACK or height > room.height() + SLACK:
        return [f"{describe(label)} needs {width}x{height} for its text but has {room.width()}x{room.height()}"]
    return []


def _picture(label: QLabel, size: QSize) -> list[str]:
    """A picture (a QR code) cut by its label cannot be scanned."""
    room = label.contentsRect()
    if size.width() > room.width() + SLACK or size.height() > room.height() + SLACK:
        return [f"{describe(label)} shows a {size.width()}x{size.height()} picture in {room.width()}x{room.height()}"]
    return []


def _tile_text(tile: Tile) -> list[str]:
    needed = tile.heightForWidth(tile.width())
    if needed > tile.height() + SLACK:
        return [f"{describe(tile)} needs {needed} high for its text but is {tile.height()}"]
    badges = tile.badge_row_width()
    if badges > tile.width() - 2 * TILE_MARGIN_X + SLACK:
        return [f"{describe(tile)} needs {badges} wide for its badges but has {tile.width() - 2 * TILE_MARGIN_X}"]
    return []


def _button(button: QPushButton) -> list[str]:
    problems = []
    hint = button.sizeHint()
    if button.text() and (button.width() + SLACK < hint.width() or button.height() + SLACK < hint.height()):
        problems.append(f"{describe(button)} needs {hint.width()}x{hint.height()} for its text "
                        f"but is {button.width()}x{button.height()}")
    if button.height() + SLACK < MIN_TOUCH:
        problems.append(f"{describe(button)} is {button.height()} high, less than a finger ({MIN_TOUCH})")
    return problems


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)) and not isinstance(widget, Tile):
        return " ".join(widget.text().split())
    if isinstance(widget, Tile):
        return " ".join(" · ".join(widget.texts()).split())
    return ""


def _rect(box: QRect) -> str:
    return f"{box.width()}x{box.height()} at {box.x()},{box.y()}"

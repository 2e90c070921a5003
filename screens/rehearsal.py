"""A screen's first showing, rehearsed while it is not on show, so that its first real visit is cheap.

The first time a widget is shown Qt polishes it and everything under it (the style sheet's rules
matched and applied), lays it out at its size (every label's text measured) and paints it (the
glyphs of its fonts drawn into the font caches). For a journey screen that is most of its first
visit. :func:`rehearse` does the same work ahead, on a widget that is not on show: it is polished,
its layouts are activated at the size it will be shown at, and it is painted once into an
offscreen image that is then dropped. Nothing is shown, no screen is activated and no state
changes; the window's next paint is not touched. The kiosk does it in idle time, one screen at a
time (``KioskScreen.ready_ahead``, ``kiosk/app/preparation.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget


def lay_out(widget: QWidget, size: QSize) -> None:
    """``widget`` at ``size``, polished, with its layouts and those of everything under it activated."""
    if widget.size() != size:
        widget.resize(size)
    widget.ensurePolished()  # the widget and every child: style sheet rules matched and applied
    for unit in (widget, *widget.findChildren(QWidget)):  # parents before their children
        layout = unit.layout()
        if layout is not None:
            layout.activate()


def paint_offscreen(widget: QWidget, ratio: float = 1.0) -> None:
    """One paint of ``widget`` and its children into an image that is dropped (fonts and caches warmed)."""
    size = widget.size()
    if size.isEmpty():
        return
    image = QImage(size * ratio, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    try:
        widget.render(painter, QPoint())
    finally:
        painter.end()


def rehearse(widget: QWidget, size: QSize, ratio: float = 1.0) -> None:
    """Walk ``widget`` through its first showing at ``size`` (device pixel ``ratio``) without showing it."""
    lay_out(widget, size)
    paint_offscreen(widget, ratio)

"""Pictograms as Qt images: a named pictogram in a given colour and size, drawn once and cached.

``pictogram_pixmap("service/ss-card-apply", "#0b5cad", 96)`` (a key of
:data:`screens.pictogram_names.PICTOGRAMS`) gives a transparent QPixmap; ``pictogram_icon`` the
same as a QIcon for buttons. The SVGs draw with ``currentColor``, which is replaced by the colour
asked for before Qt's SVG renderer sees them. Pixmaps are kept per (name, colour, size, device
pixel ratio), so a page that redraws its tiles costs nothing. An unknown name is logged once and
shown with the generic pictogram; a colour Qt does not understand is a ValueError that names it.
"""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from screens.pictogram_names import GENERIC, PICTOGRAMS

FOLDER = Path(__file__).parent / "pictograms"
SIZE_LIMITS = (8, 1024)

log = logging.getLogger("kiosk.screens")


def pictogram_file(name: str) -> Path:
    """The SVG file of a table key (or of the generic pictogram for an unknown one)."""
    return FOLDER / f"{PICTOGRAMS.get(name) or _unknown(name)}.svg"


@cache
def _unknown(name: str) -> str:
    log.warning("no pictogram for %r; showing the generic one", name)
    return GENERIC


@cache
def _svg(path: Path) -> bytes:
    return path.read_bytes()


def _colour(colour: str) -> str:
    parsed = QColor(colour)
    if not parsed.isValid():
        raise ValueError(f"pictogram colour {colour!r} is not a colour Qt knows (e.g. '#0b5cad' or 'white')")
    return parsed.name(QColor.NameFormat.HexArgb if parsed.alpha() < 255 else QColor.NameFormat.HexRgb)


@lru_cache(maxsize=1024)
def _render(file: Path, colour: str, size: int, ratio: float) -> QPixmap:
    svg = _svg(file).replace(b"currentColor", colour.encode("ascii"))
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError(f"pictogram {file.name} is not a valid SVG")
    side = round(size * ratio)
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@lru_cache(maxsize=1024)  # tiles ask on every paint: the file name and the colour are worked out once
def pictogram_pixmap(name: str, colour: str, size: int, ratio: float = 1.0) -> QPixmap:
    """The pictogram ``name`` in ``colour``, ``size`` logical pixels square (``ratio``: device pixel ratio)."""
    low, high = SIZE_LIMITS
    if not low <= size <= high or not 0.5 <= ratio <= 4:
        raise ValueError(f"pictogram size {size} must be {low}–{high} pixels and ratio {ratio} 0.5–4")
    return _render(pictogram_file(name), _colour(colour), int(size), float(ratio))


def pictogram_icon(name: str, colour: str, size: int, ratio: float = 1.0) -> QIcon:
    """The same pictogram as a QIcon (for QPushButton.setIcon with setIconSize(size, size))."""
    return QIcon(pictogram_pixmap(name, colour, size, ratio))

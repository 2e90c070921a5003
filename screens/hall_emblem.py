"""The hall's emblem in the header: the configured image, or the kiosk's own drawn from its pictograms.

``[kiosk] emblem`` in the local file, or ``[hall] emblem`` in the bundle in force, names a PNG or
SVG file on the kiosk. A file that is missing, unreadable or not an image is logged (once per
path and reason) and the kiosk's own emblem is shown instead: a white disc with the hall building
in the header's colour. Images are drawn to a square of the asked size, their proportions kept.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QImageReader, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from screens.pictogram import pictogram_pixmap

log = logging.getLogger("kiosk.screens")

DEFAULT_PICTOGRAM = "hall/emblem"  # a key of screens.pictogram_names.PICTOGRAMS
MAX_FILE_BYTES = 4 * 1024 * 1024


def emblem_pixmap(path: str, size: int, colour: str, ratio: float = 1.0) -> QPixmap:
    """The emblem at ``path`` (empty: the kiosk's own), ``size`` logical pixels square; ``colour`` is the header's."""
    if path:
        picture = _from_file(path, size, ratio)
        if picture is not None:
            return picture
    return _own(size, colour, ratio)


@lru_cache(maxsize=16)
def _from_file(path: str, size: int, ratio: float) -> QPixmap | None:
    file = Path(path)
    try:
        data = file.read_bytes() if file.stat().st_size <= MAX_FILE_BYTES else None
    except OSError as exc:
        log.warning("hall emblem %s cannot be read (%s); showing the kiosk's own", path, exc.strerror or exc)
        return None
    if data is None:
        log.warning("hall emblem %s is larger than %d MB; showing the kiosk's own", path, MAX_FILE_BYTES // 2**20)
        return None
    side = max(1, round(size * ratio))
    picture = QPixmap(side, side)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    try:
        if file.suffix.lower() == ".svg":
            renderer = QSvgRenderer(QByteArray(data))
            if not renderer.isValid():
                log.warning("hall emblem %s is not a valid SVG; showing the kiosk's own", path)
                return None
            renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
            renderer.render(painter, QRectF(0, 0, side, side))
        else:
            image = QPixmap()
            if not image.loadFromData(data):
                reader = QImageReader(path)
                log.warning("hall emblem %s is not an image Qt can read (%s); showing the kiosk's own",
                            path, reader.errorString())
                return None
            scaled = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap((side - scaled.width()) // 2, (side - scaled.height()) // 2, scaled)
    finally:
        painter.end()
    picture.setDevicePixelRatio(ratio)
    return picture


@lru_cache(maxsize=8)
def _own(size: int, colour: str, ratio: float) -> QPixmap:
    side = max(1, round(size * ratio))
    picture = QPixmap(side, side)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawEllipse(QRectF(0, 0, side, side))
    inner = round(size * 0.62)
    building = pictogram_pixmap(DEFAULT_PICTOGRAM, colour, inner, ratio)
    offset = (side - round(inner * ratio)) / 2
    painter.drawPixmap(round(offset), round(offset), building)
    painter.end()
    picture.setDevicePixelRatio(ratio)
    return picture

"""The big tile of home and list screens: a title, a line under it and badges, painted by the tile.

A tile used to hold a label for its title, one for its line and one per badge. Every label is a
widget the style sheet has to polish on each mode switch and the layout has to measure; with a
dozen tiles on a list screen they were most of what a mode switch cost. The tile now draws its
texts itself. Its look still comes from the style sheet, through properties the sheet sets
(``qproperty-titlePx``, ``qproperty-titleColor`` … in ``QPushButton[role="tile"]``), so the theme
keeps one source; the frame, background and pressed look are the style sheet's as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Property, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

MARGIN_X, MARGIN_Y = 32, 22  # inside the frame, around the texts
LINE_GAP = 8  # between the title and the line under it, and above the badges
BADGE_GAP = 12  # between two badges
BADGE_PAD_X, BADGE_PAD_Y = 18, 4  # what the badge labels measured (style padding 12 + the label's own 6)
BADGE_RADIUS = 10
WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)


def _colour_property(name: str) -> Property:
    attribute = "_" + name

    def read(self: Tile) -> QColor:
        return getattr(self, attribute)

    def write(self: Tile, colour: QColor) -> None:
        colour = QColor(colour)
        if colour != getattr(self, attribute):  # the style sheet sets every property on each polish
            setattr(self, attribute, colour)
            self.update()

    return Property(QColor, read, write)


def _size_property(name: str) -> Property:
    attribute = "_" + name

    def read(self: Tile) -> int:
        return getattr(self, attribute)

    def write(self: Tile, pixels: int) -> None:
        if int(pixels) != getattr(self, attribute):
            setattr(self, attribute, int(pixels))
            self._fonts_changed()

    return Property(int, read, write)


class Tile(QPushButton):
    """A big tile: title, a line under it, and badges (e.g. 24 h, ID card needed).

    The texts are the tile's accessible name too (a screen reader, and tests, read them there).
    """

    titlePx = _size_property("titlePx")  # noqa: N815 (Qt property names)
    subtitlePx = _size_property("subtitlePx")  # noqa: N815
    badgePx = _size_property("badgePx")  # noqa: N815
    titleColor = _colour_property("titleColor")  # noqa: N815
    subtitleColor = _colour_property("subtitleColor")  # noqa: N815
    badgeColor = _colour_property("badgeColor")  # noqa: N815
    badgeText = _colour_property("badgeText")  # noqa: N815
    badgeAltColor = _colour_property("badgeAltColor")  # noqa: N815
    badgeAltText = _colour_property("badgeAltText")  # noqa: N815
    badgeWarnColor = _colour_property("badgeWarnColor")  # noqa: N815
    badgeWarnText = _colour_property("badgeWarnText")  # noqa: N815

    def __init__(self, parent: QWidget | None = None, min_height: int = 200) -> None:
        super().__init__(parent)
        # until the style sheet sets them (on polish)
        self._titlePx, self._subtitlePx, self._badgePx = 42, 28, 24
        black, white = QColor("black"), QColor("white")
        self._titleColor = self._subtitleColor = black
        self._badgeColor = self._badgeAltColor = self._badgeWarnColor = black
        self._badgeText = self._badgeAltText = self._badgeWarnText = white
        self._title, self._subtitle = "", ""
        self._badges: tuple[tuple[str, str], ...] = ()
        self._fonts: tuple[QFont, QFont, QFont] | None = None
        self._height_for: dict[int, int] = {}  # width → height of the texts, until texts or fonts change
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(min_height)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    # -- texts ------------------------------------------------------------------------------------
    def set_texts(self, title: str, subtitle: str = "", badges: Iterable[tuple[str, str]] = ()) -> None:
        """``badges`` are (text, role) with role badge, badge-alt or badge-warn."""
        badges = tuple(badges)
        if (title, subtitle, badges) == (self._title, self._subtitle, self._badges):
            return
        self._title, self._subtitle, self._badges = title, subtitle, badges
        self.setAccessibleName(" · ".join([title, subtitle, *(text for text, _role in badges)]).strip(" ·"))
        self._height_for.clear()
        self.updateGeometry()
        self.update()

    @property
    def badges(self) -> tuple[tuple[str, str], ...]:
        """The badges on show, as (text, role)."""
        return self._badges

    def texts(self) -> list[str]:
        """What the tile shows: title, line under it, badges."""
        return [text for text in (self._title, self._subtitle, *(t for t, _r in self._badges)) if text]

    # -- size ---------------------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        height = self._height_for.get(width)
        if height is None:
            if len(self._height_for) > 8:  # layouts ask for a few widths only
                self._height_for.clear()
            height = self._height_for[width] = self._content_height(width)
        return max(self.minimumHeight(), height)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        title_font, subtitle_font, _badge = self._font_set()
        natural = max(QFontMetrics(title_font).horizontalAdvance(self._title),
                      QFontMetrics(subtitle_font).horizontalAdvance(self._subtitle), 200)
        width = 2 * MARGIN_X + min(natural, 900)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(2 * MARGIN_X + 100, self.minimumHeight())

    def _content_height(self, width: int) -> int:
        title_font, subtitle_font, badge_font = self._font_set()
        inner = max(1, width - 2 * MARGIN_X)
        height = 2 * MARGIN_Y + _text_height(title_font, inner, self._title)
        if self._subtitle:
            height += LINE_GAP + _text_height(subtitle_font, inner, self._subtitle)
        if self._badges:
            height += LINE_GAP + QFontMetrics(badge_font).height() + 2 * BADGE_PAD_Y
        return height

    # -- look ---------------------------------------------------------------------------------------
    def _fonts_changed(self) -> None:
        self._fonts = None
        self._height_for.clear()
        self.updateGeometry()
        self.update()

    def _font_set(self) -> tuple[QFont, QFont, QFont]:
        if self._fonts is not None and self._fonts[0].family() != self.font().family():
            self._fonts_changed()  # the style sheet's font family changed
        if self._fonts is None:
            title, subtitle, badge = QFont(self.font()), QFont(self.font()), QFont(self.font())
            title.setPixelSize(self._titlePx)
            title.setWeight(QFont.Weight.Bold)
            subtitle.setPixelSize(self._subtitlePx)
            subtitle.setWeight(QFont.Weight.Normal)
            badge.setPixelSize(self._badgePx)
            badge.setWeight(QFont.Weight.Normal)
            self._fonts = (title, subtitle, badge)
        return self._fonts

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)  # frame, background and pressed look from the style sheet
        title_font, subtitle_font, badge_font = self._font_set()
        area = self.contentsRect().adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        painter = QPainter(self)
        top = area.top()
        for text, font, colour in ((self._title, title_font, self._titleColor),
                                   (self._subtitle, subtitle_font, self._subtitleColor)):
            if not text:
                continue
            height = _text_height(font, area.width(), text)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QRect(area.left(), top, area.width(), height), WRAP, text)
            top += height + LINE_GAP
        if self._badges:
            self._paint_badges(painter, badge_font, area)
        painter.end()

    def _paint_badges(self, painter: QPainter, font: QFont, area: QRect) -> None:
        metrics = QFontMetrics(font)
        height = metrics.height() + 2 * BADGE_PAD_Y
        left, top = area.left(), area.bottom() + 1 - height
        painter.setFont(font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = {"badge": (self._badgeColor, self._badgeText), "badge-alt": (self._badgeAltColor, self._badgeAltText),
                   "badge-warn": (self._badgeWarnColor, self._badgeWarnText)}
        for text, role in self._badges:
            back, fore = colours.get(role, colours["badge"])
            width = metrics.horizontalAdvance(text) + 2 * BADGE_PAD_X
            pill = QRectF(left, top, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(back)
            painter.drawRoundedRect(pill, BADGE_RADIUS, BADGE_RADIUS)
            painter.setPen(fore)
            painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
            left += width + BADGE_GAP


def _text_height(font: QFont, width: int, text: str) -> int:
    if not text:
        return 0
    return QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), WRAP, text).height()

"""The big tile of home and list screens: a frame, a title, a line under it and badges, all painted by the tile.

A tile used to be a push button holding a label for its title, one for its line and one per badge,
each a widget the style sheet had to polish on every mode switch. The tile now draws everything
itself, and takes one thing from the style sheet: the name of the look in force
(``qproperty-look`` in ``QAbstractButton[role="tile"]``), whose sizes and colours come from
``screens.theme.tile_look``. As a plain button the tile matches none of the push-button rules, so a
mode switch polishes it about as fast as an empty widget.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from PySide6.QtCore import Property, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from screens.balanced_text import WRAP, balanced_width, text_height
from screens.pictogram import pictogram_pixmap
from screens.theme import TileLook, tile_look

MARGIN_X, MARGIN_Y = 32, 22  # inside the frame, around the texts
LINE_GAP = 8  # between the title and the line under it, and above the badges
BADGE_GAP = 12  # between two badges
BADGE_PAD_X, BADGE_PAD_Y = 18, 4  # what the badge labels measured (style padding 12 + the label's own 6)
BADGE_RADIUS = 10
PICTOGRAM_SCALE = 2.2  # the pictogram's side, in title type sizes
PICTOGRAM_GAP = 20  # between the texts and the pictogram


class _Paint:
    """A look's colours as QColor and pens, made once per look."""

    def __init__(self, look: TileLook) -> None:
        self.frame = QPen(QColor(look.border), look.border_px)
        self.surface, self.pressed = QColor(look.surface), QColor(look.pressed)
        self.title, self.subtitle = QColor(look.title), QColor(look.subtitle)
        self.badges = {role: (QColor(back), QColor(fore)) for role, (back, fore) in
                       (("badge", look.badge), ("badge-alt", look.badge_alt), ("badge-warn", look.badge_warn))}


class _Measures:
    """What a tile measured for one look: its fonts, the width its texts would like, heights by width."""

    def __init__(self) -> None:
        self.fonts: tuple[QFont, QFont, QFont] | None = None
        self.natural_width: int | None = None
        self.text_heights: dict[int, tuple[int, int]] = {}  # width → heights of the title and the line
        self.text_widths: dict[int, tuple[int, int]] = {}  # width → widths they are drawn in (lines balanced)
        self.height_for: dict[int, int] = {}  # width → height of all the texts


@cache
def _look(name: str) -> tuple[TileLook, _Paint]:
    look = tile_look(name)
    return look, _Paint(look)


class Tile(QAbstractButton):
    """A big tile: title, a line under it, and badges (e.g. 24 h, ID card needed).

    The texts are the tile's accessible name too (a screen reader, and tests, read them there).
    """

    def __init__(self, parent: QWidget | None = None, min_height: int = 200) -> None:
        super().__init__(parent)
        self._look_name = "standard"  # until the style sheet names the look in force (on polish)
        self._look, self._paint = _look(self._look_name)
        self._title, self._subtitle = "", ""
        self._badges: tuple[tuple[str, str], ...] = ()
        self._pictogram = ""  # a key of screens.pictogram_names.PICTOGRAMS, drawn beside the title
        # Measures for each look the tile has had (fonts, sizes for widths), until the texts change:
        # layouts ask a tile for its height dozens of times per change, and a mode switch and back
        # then costs no text measuring at all.
        self._measured: dict[str, _Measures] = {}
        self._measures = self._measures_for(self._look_name)
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(min_height)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    # -- the look -------------------------------------------------------------------------------
    def _read_look(self) -> str:
        return self._look_name

    def _write_look(self, name: str) -> None:
        name = str(name)
        if name != self._look_name:  # the style sheet sets it on every polish
            self._look_name = name
            self._look, self._paint = _look(name)
            self._measures = self._measures_for(name)
            self.updateGeometry()
            self.update()

    look = Property(str, _read_look, _write_look)

    def _measures_for(self, name: str) -> _Measures:
        measures = self._measured.get(name)
        if measures is None:
            measures = self._measured[name] = _Measures()
        return measures

    def _measures_changed(self) -> None:
        self._measured.clear()
        self._measures = self._measures_for(self._look_name)
        self.updateGeometry()
        self.update()

    def _font_set(self) -> tuple[QFont, QFont, QFont]:
        # The family is the style sheet's; checked here rather than in changeEvent, which Qt would
        # call into Python for three events of every tile on each polish.
        fonts = self._measures.fonts
        if fonts is not None and fonts[0].family() != self.font().family():
            self._measures_changed()
            fonts = None
        if fonts is None:
            look = self._look
            made = []
            for pixels, weight in ((look.title_px, QFont.Weight.Bold), (look.subtitle_px, QFont.Weight.Normal),
                                   (look.badge_px, QFont.Weight.Normal)):
                font = QFont(self.font())
                font.setPixelSize(pixels)
                font.setWeight(weight)
                made.append(font)
            fonts = self._measures.fonts = (made[0], made[1], made[2])
        return fonts

    # -- texts ------------------------------------------------------------------------------------
    def set_texts(self, title: str, subtitle: str = "", badges: Iterable[tuple[str, str]] = ()) -> None:
        """``badges`` are (text, role) with role badge, badge-alt or badge-warn."""
        badges = tuple(badges)
        if (title, subtitle, badges) == (self._title, self._subtitle, self._badges):
            return
        self._title, self._subtitle, self._badges = title, subtitle, badges
        self.setAccessibleName(" · ".join([title, subtitle, *(text for text, _role in badges)]).strip(" ·"))
        self._measures_changed()

    def set_pictogram(self, key: str) -> None:
        """The pictogram beside the title (``journey/payment``, ``service/ss-card-apply`` …; "" for none)."""
        if key != self._pictogram:
            self._pictogram = key
            self._measures_changed()

    @property
    def pictogram(self) -> str:
        return self._pictogram

    def _pictogram_side(self) -> int:
        """The pictogram's size (0 without one): a little over twice the title's type, whatever the mode."""
        return round(self._look.title_px * PICTOGRAM_SCALE) if self._pictogram else 0

    def _reserved(self) -> int:
        """What the texts leave free on the right for the pictogram."""
        side = self._pictogram_side()
        return side + PICTOGRAM_GAP if side else 0

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
        height = self._measures.height_for.get(width)
        if height is None:
            title, subtitle = self._text_heights(width)
            height = 2 * MARGIN_Y + title
            if self._subtitle:
                height += LINE_GAP + subtitle
            height = max(height, 2 * MARGIN_Y + self._pictogram_side())
            if self._badges:
                height += LINE_GAP + self._badge_height()
            self._measures.height_for[width] = height
        return max(self.minimumHeight(), height)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        measures = self._measures
        if measures.natural_width is None:
            title_font, subtitle_font, _badge = self._font_set()
            natural = max(QFontMetrics(title_font).horizontalAdvance(self._title),
                          QFontMetrics(subtitle_font).horizontalAdvance(self._subtitle), 200)
            measures.natural_width = 2 * MARGIN_X + min(natural, 900) + self._reserved()
        return QSize(measures.natural_width, self.heightForWidth(measures.natural_width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(2 * MARGIN_X + 100, self.minimumHeight())

    def _text_heights(self, width: int) -> tuple[int, int]:
        """Heights of the title and of the line under it, wrapped to the tile's ``width``."""
        heights = self._measures.text_heights.get(width)
        if heights is None:
            if len(self._measures.text_heights) > 8:  # layouts ask for a few widths only
                self._measures.text_heights.clear()
                self._measures.text_widths.clear()
                self._measures.height_for.clear()
            title_font, subtitle_font, _badge = self._font_set()
            inner = max(1, width - 2 * MARGIN_X - self._reserved())
            heights = self._measures.text_heights[width] = (text_height(title_font, inner, self._title),
                                                           text_height(subtitle_font, inner, self._subtitle))
            self._measures.text_widths[width] = (balanced_width(title_font, inner, self._title, heights[0]),
                                                 balanced_width(subtitle_font, inner, self._subtitle, heights[1]))
        return heights

    def badge_row_width(self) -> int:
        """How wide the badges' row must be (the badges are one row: a tile too narrow would cut the last)."""
        if not self._badges:
            return 0
        metrics = QFontMetrics(self._font_set()[2])
        widths = [metrics.horizontalAdvance(text) + 2 * BADGE_PAD_X for text, _role in self._badges]
        return sum(widths) + BADGE_GAP * (len(widths) - 1)

    def _badge_height(self) -> int:
        return QFontMetrics(self._font_set()[2]).height() + 2 * BADGE_PAD_Y

    # -- painting -----------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        look, paint = self._look, self._paint
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        half = look.border_px / 2
        painter.setPen(paint.frame)
        painter.setBrush(paint.pressed if self.isDown() else paint.surface)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), look.radius - half, look.radius - half)

        title_font, subtitle_font, badge_font = self._font_set()
        area = self.rect().adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        side = self._pictogram_side()
        if side:
            picture = pictogram_pixmap(self._pictogram, paint.title.name(), side, self.devicePixelRatioF())
            painter.drawPixmap(area.right() + 1 - side, area.top(), picture)
        text_area = area.adjusted(0, 0, -self._reserved(), 0)
        top = area.top()
        title_height, subtitle_height = self._text_heights(self.width())
        title_width, subtitle_width = self._measures.text_widths.get(self.width(), (text_area.width(),) * 2)
        for text, font, colour, height, width in (
                (self._title, title_font, paint.title, title_height, title_width),
                (self._subtitle, subtitle_font, paint.subtitle, subtitle_height, subtitle_width)):
            if not text:
                continue
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QRect(text_area.left(), top, min(width, text_area.width()), height), WRAP, text)
            top += height + LINE_GAP
        if self._badges:
            self._paint_badges(painter, badge_font, area)
        painter.end()

    def _paint_badges(self, painter: QPainter, font: QFont, area: QRect) -> None:
        metrics = QFontMetrics(font)
        height = metrics.height() + 2 * BADGE_PAD_Y
        left, top = area.left(), area.bottom() + 1 - height
        painter.setFont(font)
        colours = self._paint.badges
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

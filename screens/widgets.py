"""Touch widgets shared by every screen: buttons, tiles, keypads, kinetic lists, cards.

Each widget takes its texts already translated; screens set them again on a language change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from PySide6.QtCore import QEasingCurve, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from screens.balanced_text import BalancedLabel
from screens.scroll_rail import ScrollRail
from screens.theme import GAP, MIN_TOUCH
from screens.tile import Tile


def label(text: str = "", role: str | None = None, wrap: bool = True, parent: QWidget | None = None, *,
          centered: bool = False) -> QLabel:
    """A plain-text label; a page's lead (role "subtitle") wraps in lines of even length (no character
    left alone on its last line: screens/balanced_text.py)."""
    if wrap and role == "subtitle":
        widget: QLabel = BalancedLabel(parent, centred=centered)
        widget.setText(text)
    else:
        widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setOpenExternalLinks(False)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if centered:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


def page_column(spacing: int = 24) -> tuple[QWidget, QVBoxLayout]:
    """A page for a page stack and the column it is laid out in: no margins, ``spacing`` between rows."""
    page = QWidget()
    column = QVBoxLayout(page)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(spacing)
    return page, column


def discard(widget: QWidget | None) -> None:
    """Remove a widget now (hidden at once, deleted when the event loop gets to it)."""
    if widget is not None:
        widget.hide()
        widget.setParent(None)
        widget.deleteLater()


def page_of(box: QLayout) -> QWidget:
    """The page a layout was made for (``QVBoxLayout(page)``)."""
    page = box.parentWidget()
    if page is None:
        raise ValueError("this layout was made for no page")
    return page


class TouchButton(QPushButton):
    """A finger-sized button (≥96 px high) with a role for its look: primary, danger, nav, key."""

    def __init__(self, text: str = "", role: str | None = None, parent: QWidget | None = None,
                 on_tap: Callable[[], None] | None = None) -> None:
        super().__init__(text, parent)
        if role:
            self.setProperty("role", role)
        self.setMinimumHeight(MIN_TOUCH)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if on_tap is not None:
            self.clicked.connect(on_tap)


class PageStack(QStackedWidget):
    """Pages shown one at a time, filling the space the layout gives the stack.

    A plain QStackedWidget answers the layout's size questions with the largest answer of every
    page, shown or hidden; with word-wrapped labels that meant laying out the text of every hidden
    page again whenever a label on the shown one changed (a quarter of a language switch). Here only
    the shown page is asked, and the stack never claims a height for its width.

    The pages can carry the style sheet themselves (:meth:`set_page_sheet`) instead of the screen
    above them: a style sheet re-polishes every widget under the one it is set on, shown or hidden,
    so on a change of style only the page on show is polished at once; each other page gets the
    new sheet when it is shown or when :meth:`restyle_one` is called, between touches.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page_sheet = ""

    @property
    def page_sheet(self) -> str:
        return self._page_sheet

    def set_page_sheet(self, sheet: str) -> bool:
        """The style sheet of every page from now on; the page on show gets it now. Whether it needed it."""
        self._page_sheet = sheet
        return self._give_sheet(self.currentWidget())

    def restyle_one(self) -> bool:
        """Give one page not on show the current sheet; False when every page has it."""
        return any(self._give_sheet(self.widget(index)) for index in range(self.count()))

    def _give_sheet(self, page: QWidget | None) -> bool:
        if page is None or not self._page_sheet or page.styleSheet() == self._page_sheet:
            return False
        page.setStyleSheet(self._page_sheet)
        return True

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 (Qt API)
        self._give_sheet(page)  # before it is shown: polished once, for the look in force
        super().setCurrentWidget(page)

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 (Qt API)
        if 0 <= index < self.count():
            self._give_sheet(self.widget(index))
        super().setCurrentIndex(index)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page.sizeHint() if page is not None else QSize(0, 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(0, 0)


class Card(QFrame):
    """A white rounded panel holding a vertical layout."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(36, 30, 36, 30)
        self.body.setSpacing(16)


class KineticScrollArea(QScrollArea):
    """A vertical list that scrolls by dragging a finger, with momentum, and no hover affordances."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.rows = QVBoxLayout(self.content)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(GAP)
        self.rows.addStretch(1)
        self.setWidget(self.content)
        self.rail = ScrollRail(self)  # ▲/▼ and a wide bar when the content is taller than the view
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        props = scroller.scrollerProperties()
        props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.OvershootDragResistanceFactor, 0.3)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.ScrollingCurve, QEasingCurve(QEasingCurve.Type.OutCubic))
        scroller.setScrollerProperties(props)

    def clear(self) -> None:
        while self.rows.count() > 1:
            row = self.rows.takeAt(0)
            discard(row.widget() if row is not None else None)

    def add(self, widget: QWidget) -> None:
        self.rows.insertWidget(self.rows.count() - 1, widget)


class Keypad(QWidget):
    """On-screen numeric keypad (there is no physical keyboard). Emits the whole entry on change."""

    changed = Signal(str)

    def __init__(self, max_length: int = 20, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_length = max_length
        self._value = ""
        grid = QGridLayout(self)
        grid.setSpacing(18)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        self.buttons: dict[str, TouchButton] = {}
        for index, key in enumerate(keys):
            button = TouchButton(key, role="key")
            button.setMinimumHeight(120)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[key] = button
        self.set_labels("清除", "退格")

    def set_labels(self, clear: str, back: str) -> None:
        self.buttons["clear"].setText(clear)
        self.buttons["back"].setText("⌫ " + back)

    @property
    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        self._value = "".join(c for c in value if c.isdigit())[: self.max_length]
        self.changed.emit(self._value)

    def press(self, key: str) -> None:
        if key == "clear":
            self.set_value("")
        elif key == "back":
            self.set_value(self._value[:-1])
        elif len(self._value) < self.max_length:
            self.set_value(self._value + key)


class LetterPad(QWidget):
    """A–Z pad for searching services by pinyin initials."""

    changed = Signal(str)
    LETTERS = "ABCDEFGHJKLMNPQRSTWXYZ"  # pinyin initials never start with I, O, U, V

    def __init__(self, max_length: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_length = max_length
        self._value = ""
        grid = QGridLayout(self)
        grid.setSpacing(14)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, letter in enumerate(self.LETTERS):
            button = TouchButton(letter, role="letter")
            button.clicked.connect(lambda _=False, k=letter: self.press(k))
            grid.addWidget(button, index // 6, index % 6)
        self.back = TouchButton("⌫", role="letter")
        self.back.clicked.connect(lambda: self.press("back"))
        grid.addWidget(self.back, len(self.LETTERS) // 6, len(self.LETTERS) % 6, 1, 6 - len(self.LETTERS) % 6)

    @property
    def value(self) -> str:
        return self._value

    def press(self, key: str) -> None:
        if key == "back":
            self._value = self._value[:-1]
        elif len(self._value) < self.max_length:
            self._value += key
        self.changed.emit(self._value)

    def reset(self) -> None:
        self._value = ""
        self.changed.emit("")


def qr_pixmap(payload: str, size: int = 360, *, public: bool = False) -> QPixmap:
    """A QR code as a pixmap, drawn from the ``qrcode`` matrix (no image library round trip).

    ``public``: the payload is public content (a guide's address), so its matrix may be kept for the
    next time it is shown; codes that belong to a citizen (tickets, orders, results) are never kept.
    """
    matrix = _public_qr_matrix(payload) if public else _qr_matrix(payload)
    return QPixmap.fromImage(matrix.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.FastTransformation))


@lru_cache(maxsize=128)
def _public_qr_matrix(payload: str) -> QImage:
    # Working out a QR code in Python takes ~10 ms and guides show the same few codes again and
    # again. One module per pixel, 1 bit each: 128 of them are a few kilobytes.
    return _qr_matrix(payload)


def _qr_matrix(payload: str) -> QImage:
    import qrcode  # imported here: only screens that show a QR pay for it

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    image = QImage(n, n, QImage.Format.Format_Mono)
    image.setColor(0, 0xFFFFFFFF)
    image.setColor(1, 0xFF000000)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            image.setPixel(x, y, 1 if dark else 0)
    return image


def qr_label(payload: str, size: int = 360, *, public: bool = False) -> QLabel:
    widget = QLabel()
    widget.setPixmap(qr_pixmap(payload, size, public=public))
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    widget.setProperty("qr_payload", payload)
    return widget


def hbox(*widgets: QWidget, spacing: int = GAP) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(spacing)
    for widget in widgets:
        row.addWidget(widget)
    return row


# title, line under it, badges, what a tap does, and optionally the pictogram (screens.pictogram_names key)
TileEntry = tuple[str, str, Sequence[tuple[str, str]], Callable[[], None]] | \
    tuple[str, str, Sequence[tuple[str, str]], Callable[[], None], str]
"""One tile of a :class:`TileList`: title, line under it, badges (text, role), what a tap does."""


class TileList(KineticScrollArea):
    """A finger-scrolled list of tiles that keeps its tiles from one list to the next.

    Lists of services change with every department a citizen opens; building a dozen new tiles for
    each cost most of the time to open the list. Here the tiles already made get the new texts,
    more are made only when a longer list comes, and the ones left over are hidden.
    """

    def __init__(self, min_height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_height = min_height
        self.tiles: list[Tile] = []
        self._taps: list[Callable[[], None]] = []
        self.note = label(role="hint")
        self.note.hide()
        self.add(self.note)

    def show_tiles(self, entries: Iterable[TileEntry], note: str = "") -> None:
        """Show one tile per entry, in order, scrolled to the top; ``note`` is a line under them."""
        self._taps = []
        for index, entry in enumerate(entries):
            title, subtitle, badges, on_tap = entry[:4]
            pictogram = entry[4] if len(entry) > 4 else ""
            if index == len(self.tiles):
                tile = Tile(min_height=self.min_height)
                tile.clicked.connect(lambda _=False, i=index: self._tapped(i))
                self.rows.insertWidget(index, tile)
                self.tiles.append(tile)
            tile = self.tiles[index]
            tile.set_texts(title, subtitle, badges)
            tile.set_pictogram(pictogram)
            tile.show()
            self._taps.append(on_tap)
        for tile in self.tiles[len(self._taps):]:
            tile.hide()
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.verticalScrollBar().setValue(0)

    @property
    def shown_tiles(self) -> list[Tile]:
        return self.tiles[: len(self._taps)]

    def _tapped(self, index: int) -> None:
        if index < len(self._taps):
            self._taps[index]()

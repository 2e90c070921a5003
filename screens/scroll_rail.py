"""Touch-sized scrolling beside a finger-scrolled list: page up/down buttons, a wide bar, and "more below".

A desktop scroll bar is a 14-pixel strip nobody can hit with a finger, and a list that merely
continues below the glass's edge gives no sign that it does. Every :class:`KineticScrollArea`
gets a rail in its scroll-bar column when its content is taller than the view (Qt hides the
column otherwise): ▲ and ▼ buttons of a finger's size (``MIN_TOUCH``) that turn the list by most
of a view, smoothly, and between them the bar itself, as wide, its handle in the hall's colour.
While there is more below, a line across the foot of the view says so.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QPushButton, QScroller, QSizePolicy

from kiosk.shell.i18n import _
from screens.theme import MIN_TOUCH

PAGE_SHARE = 0.85  # of the view's height per ▲/▼: the last lines stay in sight, for the eye to follow
SLIDE_MS = 320


class ScrollRail(QObject):
    """The rail of one scroll area; made by the area itself."""

    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self.up = self._button("▲", "PageUp", -1)
        self.down = self._button("▼", "PageDown", 1)
        area.addScrollBarWidget(self.up, Qt.AlignmentFlag.AlignTop)
        area.addScrollBarWidget(self.down, Qt.AlignmentFlag.AlignBottom)
        self.more = QLabel(area)  # over the foot of the view, not in a layout: it never moves the list
        self.more.setObjectName("MoreBelow")
        self.more.setTextFormat(Qt.TextFormat.PlainText)
        self.more.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        self.more.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.more.hide()
        bar = area.verticalScrollBar()
        bar.valueChanged.connect(self.update)
        bar.rangeChanged.connect(self.update)
        area.installEventFilter(self)

    def _button(self, text: str, name: str, direction: int) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setProperty("role", "scroll")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setFixedSize(MIN_TOUCH, MIN_TOUCH)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda: self.turn(direction))
        return button

    def turn(self, direction: int) -> None:
        """Turn the list by most of a view: ``direction`` 1 down, -1 up."""
        bar = self.area.verticalScrollBar()
        step = max(1, round(self.area.viewport().height() * PAGE_SHARE))
        target = min(bar.maximum(), max(bar.minimum(), bar.value() + direction * step))
        scroller = QScroller.scroller(self.area.viewport())
        if self.area.isVisible():
            scroller.scrollTo(QPointF(0, target), SLIDE_MS)
        else:
            bar.setValue(target)

    def more_below(self) -> bool:
        bar = self.area.verticalScrollBar()
        return bar.value() < bar.maximum()

    def update(self) -> None:
        bar = self.area.verticalScrollBar()
        self.up.setEnabled(bar.value() > bar.minimum())
        self.down.setEnabled(self.more_below())
        shown = self.more_below()
        if shown:
            self.more.setText(_("下面还有内容，向上滑动或点 ▼"))
            viewport = self.area.viewport().geometry()
            height = self.more.sizeHint().height() + 36  # room for the fade above the words
            self.more.setGeometry(viewport.left(), viewport.bottom() + 1 - height, viewport.width(), height)
            self.more.raise_()
        self.more.setVisible(shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LanguageChange):
            self.update()
        return False

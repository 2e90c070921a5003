"""The window's bands around the screens: the header (hall, clock, language, elderly mode), the
banner (what is wrong), the footer (Back, Home, the hotline)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _, current_language, pick
from kiosk.system.timers import named_timer
from screens.hall_emblem import emblem_pixmap
from screens.theme import is_high_contrast, palette
from screens.widgets import MIN_TOUCH, TouchButton, label

WEEKDAYS_ZH = "一二三四五六日"
EMBLEM_SIZE = 112  # the emblem's side: the header's two rows high


class Header(QFrame):
    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("Header")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(36, 16, 36, 16)
        outer.setSpacing(24)
        self.emblem = label(wrap=False)  # the hall's emblem, as high as both rows beside it
        self.emblem.setObjectName("HallEmblem")
        self.emblem.setFixedSize(EMBLEM_SIZE, EMBLEM_SIZE)
        self._emblem_key: tuple[str, str, float] | None = None
        outer.addWidget(self.emblem, 0, Qt.AlignmentFlag.AlignVCenter)
        rows = QVBoxLayout()
        rows.setSpacing(8)
        outer.addLayout(rows, 1)
        self.hall = label(role="hall", wrap=True)
        self.clock = label(role="clock", wrap=False)
        self.clock.setMinimumWidth(1)  # it gets what the buttons leave, and picks a form of the date that fits
        top = QHBoxLayout()
        top.setSpacing(18)
        top.addWidget(self.hall, 1)
        rows.addLayout(top)
        self.demo_badge = None
        if context.demo:
            # Demo configuration: fictional citizens and a published PIN. Said on every screen, in both
            # languages at once, so nobody takes it for a kiosk in service.
            self.demo_badge = label("演示 DEMO", wrap=False)
            self.demo_badge.setObjectName("DemoBadge")
            self.demo_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            top.addWidget(self.demo_badge, 0, Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.setSpacing(18)
        row.addWidget(self.clock, 1)
        rows.addLayout(row)
        self.zh = TouchButton("中文")
        self.en = TouchButton("English")
        self.elderly = TouchButton()
        for button in (self.zh, self.en, self.elderly):
            button.setCheckable(True)
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        self.zh.clicked.connect(lambda: context.set_language("zh"))
        self.en.clicked.connect(lambda: context.set_language("en"))
        self.elderly.clicked.connect(lambda: context.set_elderly(not context.elderly))
        self._timer = named_timer(self, "header-clock", interval_ms=1000)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        context.remote_config_changed.connect(self.refresh)  # a bundle may name the hall and its emblem

    def hall_look(self) -> tuple[str, str, str]:
        """(name in Chinese, name in English, emblem path) in force: the bundle's ``[hall]`` over the local file."""
        settings = self.context.settings.kiosk
        local = (settings.hall_name_zh, settings.hall_name_en, settings.emblem)
        remote = getattr(self.context.services.remote_config, "hall", None)
        return remote.over(*local) if remote is not None else local

    def refresh(self) -> None:
        name_zh, name_en, emblem = self.hall_look()
        self.hall.setText(pick(name_zh, name_en))
        colour = palette(self.context.elderly, is_high_contrast(self.context.services.remote_config)).primary
        key = (emblem, colour, self.devicePixelRatioF())
        if key != self._emblem_key:  # read and drawn once per image and look, not on every language switch
            self._emblem_key = key
            self.emblem.setPixmap(emblem_pixmap(emblem, EMBLEM_SIZE, colour, key[2]))
        self.zh.setChecked(current_language() == "zh")
        self.en.setChecked(current_language() == "en")
        self.elderly.setText(_("长辈模式"))
        self.elderly.setChecked(self.context.elderly)
        self.tick()

    def tick(self) -> None:
        now = self.context.now()  # the hall's clock, the one the opening hours are read on
        # the longest form that fits beside the buttons: the year, then the weekday give way, never the time
        if current_language() == "zh":
            weekday = f"星期{WEEKDAYS_ZH[now.weekday()]}"
            forms = [f"{now:%Y年%m月%d日} {weekday}  {now:%H:%M}", f"{now.month}月{now.day}日 {weekday}  {now:%H:%M}",
                     f"{now.month}月{now.day}日  {now:%H:%M}"]
        else:
            forms = [f"{now:%a %d %b %Y}  {now:%H:%M}", f"{now:%a %d %b}  {now:%H:%M}", f"{now:%d %b}  {now:%H:%M}"]
        if self.context.elderly:
            forms = forms[1:]  # larger type: the year gives way at once
        room = self.clock.width() if self.clock.isVisible() else 0
        metrics = self.clock.fontMetrics()
        text = next((form for form in forms if room <= 0 or metrics.horizontalAdvance(form) <= room), forms[-1])
        if text != self.clock.text():
            self.clock.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        QTimer.singleShot(0, self.tick)  # once the rows have their new widths


class Footer(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Footer")
        row = QHBoxLayout(self)
        row.setContentsMargins(36, 12, 36, 12)  # the hotline may take two lines of elderly type: the band stays as high
        row.setSpacing(8)  # four things in the band: Back, Home, 呼叫工作人员 and the hotline
        self.back = TouchButton(role="nav")
        self.home = TouchButton(role="nav")
        self.listen = TouchButton(role="nav")  # the speaker button: the page's instruction, said again
        self.listen.setObjectName("ListenAgain")
        self.listen.setIconSize(QSize(60, 60))
        # The loudspeaker alone, a square: four buttons and the hotline share the band in elderly mode too.
        self.listen.setFixedWidth(MIN_TOUCH + 8)
        self.hotline = label(wrap=True)
        self.hotline.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # beside the buttons it may wrap to two lines, which fit the buttons' height: the band stays as high
        self.hotline.setMaximumHeight(MIN_TOUCH + 24)  # two lines of the elderly type
        self.staff = TouchButton(role="nav")  # 呼叫工作人员, on every page (screens/staff_call.py)
        self.staff.setObjectName("StaffCall")
        self.staff.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # its words whole; the hotline wraps
        for button in (self.back, self.home):  # as wide as their words need, at least 160
            button.setMinimumWidth(160)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        row.addWidget(self.back)
        row.addWidget(self.home)
        row.addWidget(self.listen)
        row.addWidget(self.staff)
        row.addWidget(self.hotline, 1)


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(36, 14, 36, 14)
        self.text = label()
        row.addWidget(self.text)

    def show_messages(self, messages: list[str]) -> None:
        self.text.setText("  ·  ".join(messages))
        self.setVisible(bool(messages))

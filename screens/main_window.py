"""The kiosk's one window: header, banner, the current screen, footer with Back and Home, overlays.

The window is the navigator screens talk to. Screens are created the first time they are shown
(start-up builds only the home screen) and kept; the session's end clears every one of them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from config.catalogue import Service
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _
from kiosk.shell.panel import COLUMN_WIDTH
from kiosk.technician.entry import install as install_technician_entry
from screens import registry
from screens.announcements import AnnouncementStrip
from screens.base import KioskScreen
from screens.chrome import Banner, Footer, Header
from screens.overlay import CountdownOverlay
from screens.pictogram import pictogram_icon
from screens.spoken_guidance import SpokenGuidance
from screens.theme import SCREEN_HEIGHT, SCREEN_WIDTH, is_high_contrast, palette, style_sheet
from screens.widgets import PageStack

if TYPE_CHECKING:
    from screens.staff_call import StaffCallNotice
    from screens.take_card import TakeCardReminder

log = logging.getLogger("screens")

# After a mode switch the screens not on show are polished one at a time, a frame apart, so a paint
# or a touch always gets in between (the switch itself is painted first).
RESTYLE_INTERVAL_MS = 16


class KioskWindow(QWidget):
    """The only top-level window. In kiosk mode it is frameless, full screen and cannot be closed."""

    screen_shown = Signal(str)
    first_frame = Signal()

    def __init__(self, context: KioskContext, kiosk_mode: bool = False, parent: QWidget | None = None,
                 size: tuple[int, int] = (SCREEN_WIDTH, SCREEN_HEIGHT)) -> None:
        super().__init__(parent)
        self.context = context
        self.kiosk_mode = kiosk_mode
        self.closing_allowed = not kiosk_mode
        self._first_frame_sent = False
        self.setObjectName("KioskWindow")
        self.setWindowTitle("Kiosk")
        if kiosk_mode:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        else:
            self.setFixedSize(*size)  # logical pixels: the design's (kiosk/shell/panel.py scales it to the panel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = Header(context)
        self.banner = Banner()
        self.announcements = AnnouncementStrip(context)
        self.stack = PageStack()
        self.footer = Footer()
        outer.addWidget(self.header)
        outer.addWidget(self.banner)
        outer.addWidget(self.announcements)
        body = QHBoxLayout()  # the screens, in the column (see _fit_column)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.stack)
        outer.addLayout(body, 1)
        outer.addWidget(self.footer)
        # On a window wider than the design (a landscape counter-top panel) the bands keep the full
        # width and their contents, like the screens, keep to a column in the middle.
        bands = (part.layout() for part in (self.header, self.banner, self.announcements, self.footer))
        self._column = [(band, band.contentsMargins()) for band in bands if band is not None]
        self._column.append((body, body.contentsMargins()))
        self.panel_notice = ""  # the output is not the shape the configuration says (kiosk/app/runtime.py)
        self.overlay = CountdownOverlay(self)
        self.overlay.hide()
        # The staff call's card and the take-card reminder are built the first time they are needed:
        # the first frame waits for neither (nor for the hall calendar the staff call reads).
        self._staff_call: StaffCallNotice | None = None
        self._take_card: TakeCardReminder | None = None

        self.screens: dict[str, KioskScreen] = {}
        # The look: one style sheet per part (header, banner, footer, overlay, each screen; on a
        # journey screen each page and each widget beside the pages), none on the window, so a mode
        # switch restyles only what is on show; the rest gets the new sheet between touches
        # (``_restyle_later``) or when it is shown.
        self._sheet = ""  # the screens'
        self._part_names = {self.header: "header", self.banner: "banner", self.announcements: "announcements",
                            self.footer: "footer", self.overlay: "overlay"}
        self._high_contrast = self._theme_is_high_contrast()
        self._background = QColor(palette(context.elderly, self._high_contrast).background)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paintEvent fills what it is asked to
        self._stale: list[str] = []
        self._stale_stacks: list[PageStack] = []
        self._stale_parts: list[QWidget] = []
        for part in (self.banner, self.announcements, self.overlay):
            part.installEventFilter(self)
        self._restyle_later = QTimer(self, interval=RESTYLE_INTERVAL_MS)
        self._restyle_later.timeout.connect(self._restyle_one)
        self.history: list[tuple[str, dict[str, Any]]] = []
        self.current_name = ""
        self.footer.back.clicked.connect(self.back)
        self.footer.home.clicked.connect(self.home)
        self.footer.staff.clicked.connect(lambda: self.staff_call.call(self.current_name))
        self.overlay.more_time.connect(self.hide_countdown)
        self.overlay.finish.connect(self.finish)

        context.language_changed.connect(self.refresh)
        context.elderly_changed.connect(self._restyle)
        context.remote_config_changed.connect(self._theme_changed)
        context.alerts_changed.connect(self._update_banner)
        context.online_changed.connect(self._update_banner)
        context.maintenance_changed.connect(self._maintenance)
        context.sessions.on_ended(self._session_ended)
        self.guidance = SpokenGuidance(context, self)  # after _session_ended: home is on show when it forgets
        self.footer.listen.clicked.connect(self.guidance.repeat)
        install_technician_entry(self)  # the hidden corner on the header; logic in kiosk/technician/entry.py
        self._restyle()
        self.show_screen("home")

    @property
    def staff_call(self) -> StaffCallNotice:
        """The staff call's card over the page (``screens/staff_call.py``), made at the first call."""
        if self._staff_call is None:
            from screens.staff_call import StaffCallNotice

            self._staff_call = StaffCallNotice(self.context, self)
            self._staff_call.setGeometry(self.rect())
            self._staff_call.refresh()
        return self._staff_call

    @property
    def take_card(self) -> TakeCardReminder:
        """The reminder for a card left on the reader when a visit ends (``screens/take_card.py``)."""
        if self._take_card is None:
            from screens.take_card import TakeCardReminder

            self._take_card = TakeCardReminder(self.context, self)
            self._take_card.setGeometry(self.rect())
        return self._take_card

    # -- navigation (the Navigator protocol) ------------------------------------------------
    def screen_named(self, name: str) -> KioskScreen:
        if name not in self.screens:
            screen = registry.create(name, self.context, self)
            self.screens[name] = screen
            self._style(name, every_page=True)  # nothing polished yet: cheap now, and ready when shown
            self.stack.addWidget(screen)
        return self.screens[name]

    def _style(self, name: str, every_page: bool = False) -> bool:
        """Give screen ``name`` the current look where it is on show (or on ``every_page``); whether it needed it.

        A screen without pages carries its style sheet itself. On one with pages (a journey screen)
        the sheet goes on each page and on each widget beside them, not on the screen: set on the
        screen it would polish every hidden page too. Pages not on show get it later.
        """
        screen = self.screens[name]
        sheet = self._sheet + screen.extra_style(self.context.elderly)
        children = screen.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        stacks = [child for child in children if isinstance(child, PageStack)]
        units = [child for child in children if not isinstance(child, PageStack)] if stacks else [screen]
        changed = False
        for unit in units:
            if unit.styleSheet() != sheet:
                unit.setStyleSheet(sheet)
                changed = True
        for stack in stacks:
            renewed = stack.page_sheet != sheet
            changed = stack.set_page_sheet(sheet) or changed
            if every_page:
                while stack.restyle_one():
                    changed = True
            elif renewed and stack not in self._stale_stacks:
                self._stale_stacks.append(stack)  # its other pages, between touches
        return changed

    def show_screen(self, name: str, remember: bool = True, **params: Any) -> None:
        if self.context.maintenance and name not in ("out_of_service", "technician_pin", "technician"):
            name, params = "out_of_service", {}
        current = self.screens.get(self.current_name)
        if current is not None and current.name != name:
            current.deactivate()
            if remember and self.current_name != "home":
                self.history.append((self.current_name, current.params))
        if name == "home":
            self.history.clear()
        screen = self.screen_named(name)
        self._style(name)  # a screen not on show during a mode switch may not have the new look yet
        self.current_name = name
        screen.activate(**params)
        self.stack.setCurrentWidget(screen)
        self._update_chrome()
        log.info("screen %s", name, extra={"event": "screen_shown", "state": name})
        self.screen_shown.emit(name)

    go = show_screen

    def back(self) -> None:
        screen = self.screens.get(self.current_name)
        if screen is not None and screen.step_back():
            return
        if not self.history:
            self.home()
            return
        name, params = self.history.pop()
        self.show_screen(name, remember=False, **params)

    def home(self) -> None:
        """Home ends the citizen's business here: everything personal is wiped."""
        self.finish()

    def finish(self) -> None:
        self.overlay.hide()
        if self.context.sessions.active:
            self.context.sessions.end("finish")
        else:
            self.show_screen("home")

    def start_service(self, service: Service) -> None:
        offer = self.context.offer(service)
        if not offer.available:
            self.show_screen("unavailable", service_id=service.id)
            return
        if service.journey in self.context.journeys and registry.has(service.journey):
            self.show_screen(service.journey, service_id=service.id)
        else:
            self.show_screen("service", service_id=service.id)

    # -- session end, idle countdown ------------------------------------------------------------
    def _session_ended(self, reason: str) -> None:
        self.overlay.hide()
        for screen in self.screens.values():
            screen.clear_personal()
        self.history.clear()
        self.show_screen("out_of_service" if self.context.maintenance else "home")
        hub = self.context.services.devices
        if self._take_card is not None or getattr(hub, "card_on_reader", False):
            self.take_card.check()

    def show_countdown(self, seconds: int) -> None:
        self.overlay.start(seconds)

    def update_countdown(self, seconds: int) -> None:
        self.overlay.set_remaining(seconds)

    def hide_countdown(self) -> None:
        self.overlay.hide()

    # -- look --------------------------------------------------------------------------------
    def _restyle(self, *_args: object) -> None:
        # A style sheet re-polishes every widget under the widget it is set on, shown or hidden.
        # What is on show gets the new sheet now (the parts, and the screen's widgets and page on
        # show); the other pages, screens and parts get it between touches, a frame apart.
        self._sheet = style_sheet(self.context.elderly, self._high_contrast, "screen")
        self._background = QColor(palette(self.context.elderly, self._high_contrast).background)
        parts = (self.header, self.banner, self.announcements, self.footer, self.overlay)
        self._stale_parts = [part for part in parts if not part.isVisibleTo(self)]  # between touches, first
        for part in parts:
            if part not in self._stale_parts:
                self._style_part(part)
        if self.current_name in self.screens:
            self._style(self.current_name)
        self._stale = [name for name in self.screens if name != self.current_name]
        self.refresh()
        self._restyle_later.start()

    def _style_part(self, part: QWidget) -> None:
        part.setStyleSheet(style_sheet(self.context.elderly, self._high_contrast, self._part_names[part]))

    def _theme_is_high_contrast(self) -> bool:
        return is_high_contrast(self.context.services.remote_config)  # put in force by kiosk.fleet.bundle_updates

    def _theme_changed(self) -> None:
        high_contrast = self._theme_is_high_contrast()
        if high_contrast != self._high_contrast:
            self._high_contrast = high_contrast
            self._restyle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # on the parts that can be hidden during a mode switch (banner, announcements, countdown):
        # one that shows before its turn between touches gets the new sheet before it is painted
        if watched in self._stale_parts and event.type() == QEvent.Type.Show:
            self._stale_parts.remove(watched)
            self._style_part(watched)
        return False

    def _restyle_one(self) -> None:
        # Polishing a page or a screen for the new style costs a few ms; done here, between touches,
        # the citizen's next screen opens as fast as before the switch instead of paying for it.
        if self._stale_parts:
            self._style_part(self._stale_parts.pop(0))
            return
        while self._stale_stacks:
            if self._stale_stacks[0].restyle_one():
                return
            self._stale_stacks.pop(0)
        while self._stale:
            name = self._stale.pop(0)
            if name in self.screens and self._style(name):
                return
        if not self._stale_stacks:
            self._restyle_later.stop()

    def refresh(self, *_args: object) -> None:
        self.header.refresh()
        self.footer.back.setText("‹ " + _("返回"))
        self.footer.home.setText("⌂ " + _("首页"))
        self.footer.listen.setAccessibleName(_("再听一遍"))  # its name for assistive tools; it shows the loudspeaker
        self.footer.listen.setIcon(pictogram_icon("action/speak", palette(self.context.elderly, self._high_contrast).text,
                                                  60, self.devicePixelRatioF()))
        self.footer.hotline.setText(_("服务热线 {hotline}").format(hotline=self.context.settings.kiosk.hotline))
        self.footer.staff.setText(_("呼叫工作人员"))
        self.overlay.refresh()
        if self._staff_call is not None:
            self._staff_call.refresh()
        screen = self.screens.get(self.current_name)
        if screen is not None:
            screen.refresh()
        self._update_banner()

    def _update_chrome(self) -> None:
        screen = self.screens.get(self.current_name)
        is_home = self.current_name == "home"
        self.footer.back.setVisible(not is_home and bool(screen and screen.has_back))
        self.footer.home.setVisible(not is_home and self.current_name != "out_of_service")

    def footer_listen_changed(self, can_repeat: bool) -> None:
        """The speaker button shows on every page that has an instruction to say (``SpokenGuidance``)."""
        self.footer.listen.setVisible(can_repeat and self.current_name != "out_of_service")

    def _update_banner(self, *_args: object) -> None:
        messages = []
        if not self.context.online:
            messages.append(_("网络中断：部分服务暂停，可离线浏览办事指南"))
        messages += self.context.alerts()
        if self.panel_notice:
            messages.append(_(self.panel_notice))
        self.banner.show_messages(messages)

    def _maintenance(self, on: bool) -> None:
        if self.current_name in ("technician_pin", "technician"):
            return  # the technician's screens stay; leaving them shows what citizens should see
        if on:
            self.overlay.hide()
            if self.context.sessions.active:
                self.context.sessions.end("maintenance")
            else:
                self.show_screen("out_of_service")
        else:
            self.show_screen("home")

    # -- window events -------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_column()
        self.overlay.setGeometry(self.rect())
        for card in (self._staff_call, self._take_card):
            if card is not None:
                card.setGeometry(self.rect())

    def _fit_column(self) -> None:
        side = max(0, (self.width() - COLUMN_WIDTH) // 2)
        for layout, margins in self._column:
            layout.setContentsMargins(margins.left() + side, margins.top(), margins.right() + side, margins.bottom())

    def set_panel_notice(self, text: str) -> None:
        """Show (``text``, Chinese source) or clear a notice for whoever installs the kiosk, in the banner."""
        self.panel_notice = text
        self._update_banner()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        # The window has no style sheet of its own (see _restyle); behind the parts it shows the
        # theme's background, e.g. while a screen is being swapped.
        QPainter(self).fillRect(event.rect(), self._background)

    def event(self, event: QEvent) -> bool:
        result = super().event(event)
        if event.type() == QEvent.Type.Paint and not self._first_frame_sent:
            self._first_frame_sent = True
            QTimer.singleShot(0, self.first_frame.emit)
        return result

    def closeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if self.closing_allowed:
            event.accept()
        else:
            event.ignore()


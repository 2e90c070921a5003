"""The queue ticket screen's first steps: popular services as tiles, departments and their services, check-in."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from config.catalogue import Service
from kiosk.journeys.booking_checkin import CODE_DIGITS
from kiosk.journeys.queue_ticket import QueueTicketJourney
from kiosk.shell.i18n import _, current_language, pick
from screens.booking_scan_art import BookingScanArt
from screens.journey_screen import JourneyScreen
from screens.pictogram_names import service_pictogram
from screens.widgets import Card, Keypad, KineticScrollArea, Tile, TileList, TouchButton, label, page_column

ELDERLY_TILES = 4  # with "by department" and "booking" below: six choices at most

class ServiceChoice(JourneyScreen[QueueTicketJourney]):
    """Mixed into the queue ticket screen: the service tiles and lists, and the check-in page."""

    # the host screen's (declared, not defined: the host's own, or another part's, are found first)
    page: dict[str, QWidget]
    _act: Callable[..., None]
    _card_note: Callable[[QueueTicketJourney], str]
    _tiles: builtins.list[Tile]
    heading: QLabel
    subheading: QLabel
    note: QLabel
    tile_grid: QGridLayout
    list: TileList
    department_list: KineticScrollArea
    by_department: TouchButton
    booking: TouchButton
    checkin_card: Card
    scan_hint: QLabel
    card_hint: QLabel
    scan_art: BookingScanArt
    no_booking: TouchButton

    _tiles_for: tuple[bool, tuple[str, ...]] | None  # what the popular tiles were arranged for
    _departments_built_for: tuple[str, int] | None  # the language and catalogue the department tiles show

    def _show_choose(self, journey: QueueTicketJourney) -> None:
        self.subheading.setText(_("请选择要办理的业务，轻触即可"))
        self.note.setText(self._card_note(journey))
        self.note.setVisible(bool(self.note.text()))
        services = journey.popular_services()
        elderly = self.context.elderly
        if elderly:
            services = services[:ELDERLY_TILES]
        wanted = (elderly, tuple(s.id for s in services))
        if wanted != self._tiles_for:  # arranged again only when the mode or the catalogue changed
            self._tiles_for = wanted
            self._arrange_tiles(services, elderly)
        for tile, service in zip(self._tiles, services, strict=False):
            tile.set_texts(pick(service.name_zh, service.name_en), pick(service.window_zh, service.window_en),
                           self._badges(service))
        self.by_department.setText(_("按部门查找全部取号业务"))
        self.booking.setText(_("我已预约 · 扫码或刷身份证签到"))
        self.pages.setCurrentWidget(self.page["choose"])

    def _arrange_tiles(self, services: builtins.list[Service], elderly: bool) -> None:
        # The tiles are kept and only moved: a mode switch used to build them all again.
        for tile in self._tiles:
            self.tile_grid.removeWidget(tile)
        while len(self._tiles) < len(services):
            tile = Tile()
            index = len(self._tiles)
            tile.clicked.connect(lambda _=False, i=index: self._choose_tile(i))
            self._tiles.append(tile)
        columns = 1 if elderly else 2
        for index, tile in enumerate(self._tiles):
            if index < len(services):
                tile.setMinimumHeight(150 if elderly else 190)
                self.tile_grid.addWidget(tile, index // columns, index % columns)
                tile.show()
            else:
                tile.hide()
        self._tile_services = [service.id for service in services]

    def _choose_tile(self, index: int) -> None:
        if index < len(self._tile_services):
            self._act("choose_service", self._tile_services[index])

    def _badges(self, service: Service) -> builtins.list[tuple[str, str]]:  # builtins: `list` is the tile list here
        offer = self.context.offer(service)
        if not offer.available:
            return [(offer.reason() or _("暂停服务"), "badge-warn")]
        return []

    def _show_list(self, journey: QueueTicketJourney) -> None:
        if journey.state == "departments":
            self.subheading.setText(_("请选择部门，上下滑动查看更多"))
            self._build_departments(journey)
            self.department_list.verticalScrollBar().setValue(0)
            self.pages.setCurrentWidget(self.page["departments"])
            return
        department = journey.department
        self.subheading.setText(pick(department.name_zh, department.name_en) if department else "")
        self.list.show_tiles(
            (pick(service.name_zh, service.name_en), pick(service.window_zh, service.window_en), self._badges(service),
             partial(self._act, "choose_service", service.id), service_pictogram(service.id, service.journey))
            for service in journey.services()
        )
        self.pages.setCurrentWidget(self.page["list"])

    def _build_departments(self, journey: QueueTicketJourney) -> None:
        # The department tiles change only with the language or the catalogue: build them once for
        # each instead of on every visit (twelve new tiles made the page ~11 ms to open).
        built_for = (current_language(), id(self.context.catalogue))
        if self._departments_built_for == built_for:
            return
        self._departments_built_for = built_for
        self.department_list.clear()
        for department in journey.departments():
            count = sum(1 for s in department.services if s.takes_tickets)
            tile = Tile(min_height=140)
            tile.set_texts(pick(department.name_zh, department.name_en), _("{count} 项取号业务").format(count=count))
            tile.set_pictogram(f"department/{department.id}")
            tile.clicked.connect(lambda _=False, d=department.id: self._act("choose_department", d))
            self.department_list.add(tile)

    def _build_code_pad(self) -> None:
        """The booking code typed from the SMS: a button on the check-in page, a page with a keypad."""
        self.type_code = TouchButton(on_tap=lambda: self._act("open_code_pad"))
        self.checkin_card.body.addWidget(self.type_code)
        page, column = page_column()
        self.code_hint = label(role="value")
        self.code_entry = label(role="entry", wrap=False, centered=True)
        self.code_pad = Keypad(max_length=CODE_DIGITS)
        self.code_pad.changed.connect(self._code_typed)
        self.code_ok = TouchButton(role="primary", on_tap=lambda: self._act("type_code", self.code_pad.value))
        for widget in (self.code_hint, self.code_entry, self.code_pad, self.code_ok):
            column.addWidget(widget)
        column.addStretch(1)
        self.page["code_pad"] = page

    def _code_typed(self, digits: str) -> None:
        self.code_entry.setText(f"YY {digits[:8]} {digits[8:]}".rstrip() if digits else "YY —")
        self.code_ok.setEnabled(len(digits) == CODE_DIGITS)

    def _show_code_pad(self) -> None:
        self.heading.setText(_("输入预约码"))
        self.subheading.setText("")
        self.code_hint.setText(_("请输入预约短信中“YY”后面的12位数字"))
        self.code_pad.set_labels(_("清除"), _("退格"))
        self.code_ok.setText(_("确定"))
        self._code_typed(self.code_pad.value)
        self.pages.setCurrentWidget(self.page["code_pad"])

    def _show_checkin(self) -> None:
        self.heading.setText(_("预约签到"))
        self.subheading.setText(_("三种方式任选一种"))
        self.scan_hint.setText(_("① 把预约短信或页面上的二维码，对准扫码窗口"))
        self.card_hint.setText(_("② 或者把身份证平放在身份证感应区"))
        self.no_booking.setText(_("没有预约，直接取号"))
        self.type_code.setText(_("③ 或者输入预约短信中的预约码"))
        self.scan_art.labels = ("① " + _("扫码"), "② " + _("放身份证"))
        self.scan_art.set_elderly(self.context.elderly)
        self.code_pad.set_value("")
        self.pages.setCurrentWidget(self.page["checkin"])

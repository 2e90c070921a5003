"""Home: the six main journeys as big tiles, and every service by department below them."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QGridLayout, QWidget

from config.catalogue import JOURNEY_TILES, Service
from config.catalogue import Journey as JourneyName
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _
from screens.base import KioskScreen, Navigator
from screens.journey_tiles import ELDERLY_TILES, JOURNEY_TEXT
from screens.widgets import Tile, TouchButton, label


def service_badges(context: KioskContext, services: list[Service]) -> list[tuple[str, str]]:
    """Badges for a tile standing for ``services``: around the clock, ID card; or only why it is not offered now.

    A tile not offered now says why and nothing else: how the service is used (24 hours, ID card) does
    not matter while it is paused, and the reason with those two would not fit a home tile's width.
    """
    badges: list[tuple[str, str]] = []
    if not services:
        return badges
    offers = [context.offer(s) for s in services]
    if not any(o.available for o in offers):
        return [(offers[0].reason() or _("暂停服务"), "badge-warn")]
    if all(s.hours == "24h" for s in services):
        badges.append((_("24小时"), "badge-alt"))
    if all(s.id_card_required for s in services):
        badges.append((_("需身份证"), "badge"))
    return badges


class HomeScreen(KioskScreen):
    name = "home"
    has_back = False

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.greeting = label(role="title")
        self.prompt = label(role="subtitle")
        self.layout_.addWidget(self.greeting)
        self.layout_.addWidget(self.prompt)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 12, 0, 12)
        self.grid.setSpacing(28)
        self.layout_.addWidget(self.grid_host, 1)
        self.tiles: dict[JourneyName, Tile] = {}
        for journey in JOURNEY_TILES:
            tile = Tile(min_height=260)
            tile.set_pictogram(f"journey/{journey}")
            tile.clicked.connect(lambda _=False, j=journey: self.open_journey(j))
            self.tiles[journey] = tile
        self.all_services = TouchButton(role="primary", on_tap=lambda: nav.go("departments"))
        self.all_services.setMinimumHeight(130)
        self.layout_.addWidget(self.all_services)
        self._layout_for: bool | None = None
        context.availability_changed.connect(self._refresh_if_visible)
        context.catalogue_changed.connect(self._refresh_if_visible)

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def _arrange(self) -> None:
        elderly = self.context.elderly
        if self._layout_for == elderly:
            return
        self._layout_for = elderly
        shown = ELDERLY_TILES if elderly else JOURNEY_TILES
        columns = 1 if elderly else 2
        for journey, tile in self.tiles.items():
            self.grid.removeWidget(tile)
            if journey not in shown:
                tile.hide()  # tiles staying on screen only move: hiding and showing them again cost ~1 ms
        for index, journey in enumerate(shown):
            tile = self.tiles[journey]
            self.grid.addWidget(tile, index // columns, index % columns)
            tile.show()

    def refresh(self) -> None:
        self._arrange()
        self.greeting.setText(_("您好，请选择要办理的业务"))
        self.prompt.setText(_("轻触下方按钮开始。需要身份证的业务会提示您放置证件。"))
        for journey, tile in self.tiles.items():
            title, subtitle = JOURNEY_TEXT[journey]
            tile.set_texts(_(title), _(subtitle), service_badges(self.context, self.context.catalogue.by_journey(journey)))
        self.all_services.setText(
            _("更多服务") + " · " + _("按部门查看全部 {count} 项服务").format(count=len(self.context.catalogue.services()))
            if self.context.elderly else _("按部门查看全部 {count} 项服务").format(count=len(self.context.catalogue.services()))
        )

    def open_journey(self, journey: JourneyName) -> None:
        services = self.context.catalogue.by_journey(journey)
        if journey in ("queue_ticket", "guide"):
            if journey in self.context.journeys:
                self.nav.go(journey)
            else:
                self.nav.go("departments")
            return
        if services:
            self.nav.start_service(services[0])

    def tour(self) -> Iterator[str]:
        self.activate()
        yield "default"

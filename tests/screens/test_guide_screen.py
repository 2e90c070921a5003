"""The guide screens: reachable from the home tile, search by letters, the take-away QR."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.hall.guide_library import GuideLibrary
from screens.guide import sample_guide


class LiveGuides(GuideLibrary):
    def __init__(self):
        super().__init__(None, None)

    def get(self, service_id):
        from kiosk.hall.guide_library import GuideView

        return GuideView(sample_guide().model_copy(update={"service_id": service_id}))


def test_home_tile_opens_guides_and_search_finds_services(kiosk, qtbot):
    kiosk.context.services.guides = LiveGuides()
    home = kiosk.window.screen_named("home")
    qtbot.mouseClick(home.tiles["guide"], Qt.MouseButton.LeftButton)
    assert kiosk.window.current_name == "guide"
    screen = kiosk.window.screen_named("guide")
    qtbot.mouseClick(screen.search_button, Qt.MouseButton.LeftButton)
    for letter in "JSZ":
        button = next(b for b in screen.letters.findChildren(type(screen.search_button)) if b.text() == letter)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert screen.entry.text() == "JSZ"
    assert screen.journey.matches[0].id == "tp-licence-renewal"
    screen.journey.open_guide("tp-licence-renewal")  # fetched off the GUI thread
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.page["guide"], timeout=3000)
    qr = [w for w in screen.guide_scroll.findChildren(QLabel) if w.property("qr_payload")]
    # the guide's own phone page at the gateway, not the center's generic site
    gateway = kiosk.context.settings.gateway
    assert qr and qr[0].property("qr_payload") == gateway.phone_url("/guides/tp-licence-renewal")
    # Back steps inside the journey before leaving the screen
    kiosk.window.back()
    assert kiosk.window.current_name == "guide" and screen.journey.state == "search"


def test_department_and_service_tiles_take_their_step_on_the_journey(kiosk, qtbot):
    from screens.tile import Tile

    kiosk.context.services.guides = LiveGuides()
    qtbot.mouseClick(kiosk.window.screen_named("home").tiles["guide"], Qt.MouseButton.LeftButton)
    screen = kiosk.window.screen_named("guide")
    second = screen.journey.departments[1]
    tiles = [t for t in screen.department_list.findChildren(Tile) if t.isVisibleTo(screen.department_list)]
    qtbot.mouseClick(tiles[1], Qt.MouseButton.LeftButton)
    assert screen.journey.state == "services" and screen.journey.department.id == second.id
    services = [t for t in screen.service_list.findChildren(Tile) if t.isVisibleTo(screen.service_list)]
    qtbot.mouseClick(services[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.page["guide"], timeout=3000)
    assert screen.journey.view.guide.service_id == second.services[0].id

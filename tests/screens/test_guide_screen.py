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
    home = kiosk.window.screen("home")
    qtbot.mouseClick(home.tiles["guide"], Qt.MouseButton.LeftButton)
    assert kiosk.window.current_name == "guide"
    screen = kiosk.window.screen("guide")
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

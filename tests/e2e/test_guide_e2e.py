"""End to end: a live kiosk opens a real guide from the reference gateway, then offline from its cache."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.hall.guide_library import GuideLibrary


def test_guide_from_the_gateway_and_then_from_the_cache(live_kiosk, qtbot):
    context, window = live_kiosk.context, live_kiosk.window
    library = context.services.guides  # started with the gateway client; refreshed in the background
    assert isinstance(library, GuideLibrary)
    library.refresh()  # whether it copies them now or they are already current (304)
    assert len(context.services.content.items("guides")) > 30  # every service's guide is in the cache

    qtbot.mouseClick(window.screen_named("home").tiles["guide"], Qt.MouseButton.LeftButton)
    screen = window.screen_named("guide")
    screen.journey.choose_department("exit-entry")
    screen.journey.open_guide("ee-passport")
    qtbot.waitUntil(lambda: screen.journey.state == "guide", timeout=5000)
    assert screen.journey.view.age_s is None  # live
    texts = [w.text() for w in screen.guide_scroll.findChildren(QLabel)]
    assert any("护照" in t for t in texts)

    library.gateway = None  # the network goes away: the same guide comes from the cache, with its age
    screen.journey.open_guide("ee-passport")
    qtbot.waitUntil(lambda: screen.journey.state == "guide", timeout=5000)
    assert screen.journey.view.age_s is not None
    assert any("离线信息" in w.text() for w in screen.guide_scroll.findChildren(QLabel))


def test_live_kiosk_is_online_with_every_device_open(live_kiosk, qtbot):
    context = live_kiosk.context
    assert context.online
    qtbot.waitUntil(lambda: live_kiosk.hub.can_print(), timeout=5000)
    offer = context.offer(context.catalogue.service("fin-non-tax-payment"))
    assert offer.available, offer.reason()

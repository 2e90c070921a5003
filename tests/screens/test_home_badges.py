"""Home's tiles when a journey is not offered: the reason alone, whole, in every language and mode."""

from __future__ import annotations

import pytest

from kiosk.hall.availability import _BLOCKED
from kiosk.shell import i18n
from kiosk.shell.context import OFFERED, Offer
from screens.layout_audit import audit


@pytest.mark.parametrize("variant", ["zh", "en", "elderly"])
def test_a_tile_not_offered_says_why_and_nothing_else_and_its_badge_fits(kiosk, qtbot, variant) -> None:
    window = kiosk.window
    if variant == "en":
        i18n.set_language("en")
    if variant == "elderly":
        kiosk.context.set_elderly(True)
    window.show_screen("home")
    home = window.screen_named("home")
    for code, (reason, _alternative) in _BLOCKED.items():  # every reason the availability engine gives
        paused = Offer(False, reason.zh, reason.en)
        kiosk.context.set_offer_rule(lambda service, paused=paused: paused  # every tile with other badges too
                                     if service.hours == "24h" or service.id_card_required else OFFERED)
        home.refresh()
        tiles = [tile for tile in home.tiles.values() if any(role == "badge-warn" for _t, role in tile.badges)]
        assert tiles, code
        for tile in tiles:
            assert [text for text, _role in tile.badges] == [paused.reason()], (code, tile.badges)
        qtbot.wait(20)
        assert not [problem for problem in audit(window) if "badges" in problem], code

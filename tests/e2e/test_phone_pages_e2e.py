"""End to end on a phone: Debian's Chromium at 375×812 opens what the kiosk's QR codes carry.

A guide's take-away QR opens that guide's page in the citizen's language; a lookup result, after
consent on the kiosk, opens once on the phone, masked as on the kiosk's screen, and a second
opening says it has been used. Screenshots go to ``$PHONE_SHOTS_DIR`` when set (to look at them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_lookup_e2e import card_read, open_lookup, tap

from kiosk.shell import i18n

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(playwright_browser):
    context = playwright_browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("PHONE_SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def fits_the_phone(page) -> bool:
    """Nothing wider than the phone's screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_guide_qr_opens_this_guide_on_a_phone(live_kiosk, qtbot, phone, tmp_path, language):
    i18n.set_language(language)
    screen = live_kiosk.window.screen_named("guide")
    live_kiosk.window.go("guide")
    screen.journey.open_guide("ee-passport")
    qtbot.waitUntil(lambda: screen.journey.state == "guide", timeout=10_000)
    url = screen.guide_scroll.qr.property("qr_payload")
    assert url.startswith(live_kiosk.gateway_url + "/guides/ee-passport")
    answer = phone.goto(url)
    assert answer.status == 200
    body = phone.inner_text("body")
    if language == "zh":
        assert "护照" in body and "所需材料" in body and "办公时间" in body and "12345" in body
    else:
        assert "passport" in body.lower() and "What to bring" in body and "Opening hours" in body
    assert fits_the_phone(phone)
    shot(phone, tmp_path, f"guide-{language}")
    phone.click(".lang a")  # the other language, on the phone itself
    assert ("What to bring" if language == "zh" else "所需材料") in phone.inner_text("body")


def test_an_unknown_guide_on_a_phone(live_kiosk, phone, tmp_path):
    answer = phone.goto(live_kiosk.gateway_url + "/guides/no-such-service")
    assert answer.status == 404 and "未找到" in phone.inner_text("body") and fits_the_phone(phone)
    shot(phone, tmp_path, "guide-missing")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_result_opens_once_on_a_phone_masked_as_on_the_kiosk(live_kiosk, qtbot, phone, tmp_path, language):
    i18n.set_language(language)
    screen = open_lookup(live_kiosk, qtbot, "social_security")
    card_read(live_kiosk, qtbot, screen)
    assert screen.journey.state == "results", screen.journey.problem
    holder, id_masked = screen.journey.holder(), screen.journey.id_masked()
    values = [row.value for section in screen.journey.sections() for row in section.rows]
    screen.journey.show_choices()
    tap(qtbot, screen.choice_qr)
    tap(qtbot, screen.consent_yes)
    qtbot.waitUntil(lambda: screen.journey.state == "phone_qr", timeout=10_000)
    url = screen.qr_image.property("qr_payload")
    assert url.startswith(live_kiosk.gateway_url + "/r/")

    answer = phone.goto(url)
    assert answer.status == 200 and answer.headers["cache-control"] == "no-store"
    body = phone.inner_text("body")
    assert holder in body and id_masked in body and screen.journey.document_number() in body
    assert all(value in body for value in values[:4])
    card = live_kiosk.idcard.card("elderly") if hasattr(live_kiosk.idcard, "card") else None
    if card is not None:
        assert card.id_number not in body
    assert fits_the_phone(phone)
    shot(phone, tmp_path, f"result-{language}")

    again = phone.goto(url)
    assert again.status == 410 and holder not in phone.inner_text("body")
    assert "已使用" in phone.inner_text("body") and "already been used" in phone.inner_text("body")
    shot(phone, tmp_path, "result-used")

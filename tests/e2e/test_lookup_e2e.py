"""End to end: the elderly demo citizen's card on the simulated reader, the reference gateway's answer on
screen masked, and the printed paper read back off the printer simulator (text, masking, QR payload).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

ELDERLY_ID = "350203194803120021"


@pytest.fixture
def kiosk(live_kiosk, qtbot):
    qtbot.waitUntil(lambda: live_kiosk.hub.can_print(), timeout=5000)
    return live_kiosk


def tap(qtbot, widget) -> None:
    """Tap ``widget`` once it is on screen and enabled, as a citizen taps what they see (a page's
    buttons are shown in the event loop's turn after the page)."""
    qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled(), timeout=5000)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def qr_payloads(receipt) -> list[str]:
    """QR codes on the paper: native ones as sent, raster ones decoded by a real decoder."""
    payloads = list(receipt.qr_payloads)
    if not payloads:
        import zxingcpp

        payloads = [r.text for image in receipt.images for r in zxingcpp.read_barcodes(image)]
    return payloads


def open_lookup(kiosk, qtbot, name: str):
    home = kiosk.window.screen_named("home")
    tile = getattr(home, "tiles", {}).get(name)
    if tile is not None and tile.isVisible():
        tap(qtbot, tile)
    else:
        kiosk.window.go(name)
    assert kiosk.window.current_name == name
    screen = kiosk.window.screen_named(name)
    assert screen.journey.state == "waiting"
    return screen


def card_read(kiosk, qtbot, screen, key: str = "elderly") -> None:
    kiosk.idcard.place(key)
    qtbot.waitUntil(lambda: screen.journey.state not in ("waiting", "reading", "querying"), timeout=15_000)


def test_elderly_card_masked_on_screen_and_printed_with_document_number_and_qr(kiosk, qtbot):
    printer = kiosk.printer
    before = len(printer.receipts)
    screen = open_lookup(kiosk, qtbot, "social_security")
    card_read(kiosk, qtbot, screen)
    assert screen.journey.state == "results", screen.journey.problem
    assert screen.identity.text() == "姓名：林**    证件号码：3502**********0021"
    shown = "\n".join(w.text() for w in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton))
    assert "林秀英" not in shown and ELDERLY_ID not in shown
    assert "退休，按月领取基本养老金" in shown
    document = screen.journey.document
    assert document.number.startswith("XMZW-SS-")

    tap(qtbot, screen.take_away)
    tap(qtbot, screen.choice_print)
    qtbot.waitUntil(lambda: screen.journey.state != "printing", timeout=15_000)
    assert screen.journey.state == "printed", screen.journey.problem
    qtbot.waitUntil(lambda: len(printer.receipts) > before, timeout=5000)
    receipt = printer.last_receipt
    assert receipt.complete and receipt.cut
    text = receipt.text
    assert "林**" in text and "3502**********0021" in text
    assert "林秀英" not in text and ELDERLY_ID not in text
    assert document.number in text
    assert "退休，按月领取基本养老金" in text
    assert qr_payloads(receipt) == [document.verify_url]

    session = kiosk.context.sessions.current
    tap(qtbot, screen._message_button_widgets[0])  # 完成
    qtbot.waitUntil(lambda: kiosk.window.current_name != "social_security", timeout=5000)
    assert kiosk.window.current_name in ("feedback", "home")
    assert session.card is None and "social_security" not in session.data


def test_printer_runs_out_mid_print_and_the_phone_qr_is_offered(kiosk, qtbot):
    screen = open_lookup(kiosk, qtbot, "property")
    card_read(kiosk, qtbot, screen)
    assert screen.journey.state == "results"
    kiosk.printer.refill(lines=6)  # enough to start, not enough to finish
    screen.journey.show_choices()
    tap(qtbot, screen.choice_print)
    qtbot.waitUntil(lambda: screen.journey.state != "printing", timeout=15_000)
    assert screen.journey.state == "print_failed"
    assert screen.message_what.text()
    qr_button = screen._message_button_widgets[0]
    tap(qtbot, qr_button)
    assert screen.journey.state == "phone_consent"
    tap(qtbot, screen.consent_yes)
    qtbot.waitUntil(lambda: screen.journey.state == "phone_qr", timeout=10_000)
    assert screen.qr_image.property("qr_payload").startswith(kiosk.gateway_url + "/r/")


def test_expired_card_is_refused_with_clear_words(kiosk, qtbot):
    screen = open_lookup(kiosk, qtbot, "population")
    card_read(kiosk, qtbot, screen, "expired")
    assert screen.journey.state == "refused"
    assert "过期" in screen.card_problem_what.text()
    assert screen.journey.card is None


def test_foreign_resident_has_no_record_in_plain_words(kiosk, qtbot):
    screen = open_lookup(kiosk, qtbot, "social_security")
    card_read(kiosk, qtbot, screen, "foreigner2017")
    assert screen.journey.state == "no_record"
    assert "未查询到" in screen.message_what.text()


def test_mailing_request_is_kept_in_the_outbox(kiosk, qtbot):
    screen = open_lookup(kiosk, qtbot, "property")
    card_read(kiosk, qtbot, screen)
    screen.journey.show_choices()
    tap(qtbot, screen.choice_mail)
    assert screen.journey.state == "mail_confirm"
    tap(qtbot, screen.mail_yes)
    for key in "13812345678":
        screen.keypad.press(key)
    tap(qtbot, screen.phone_send)
    qtbot.waitUntil(lambda: screen.journey.state != "mail_sending", timeout=10_000)
    assert screen.journey.state == "mail_queued", screen.journey.problem
    outbox = kiosk.context.services.outbox
    kinds = [entry.kind for entry in outbox.entries()]
    assert "mailing" in kinds

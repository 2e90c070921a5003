"""End to end: from a tap on the home screen to a printed queue ticket, read back off the simulated printer.

The kiosk stands on a Wednesday morning (hall open) through its one clock; the reference gateway issues
the ticket; the printer simulator parses the ESC/POS bytes, so the test reads what the paper says.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from kiosk.system.clock import HALL_ZONE

OPEN_HALL = dt.datetime(2026, 11, 18, 10, 5, tzinfo=HALL_ZONE)  # a Wednesday morning


@pytest.fixture
def kiosk(live_kiosk, qtbot, monkeypatch):
    clock = live_kiosk.context.services.clock
    monkeypatch.setattr(clock, "now", lambda: OPEN_HALL)
    qtbot.waitUntil(lambda: live_kiosk.hub.can_print(), timeout=5000)
    return live_kiosk


def tap(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def qr_payloads(receipt) -> list[str]:
    """QR codes on the paper: native ones as sent, raster ones decoded by a real decoder."""
    payloads = list(receipt.qr_payloads)
    if not payloads:
        import zxingcpp

        payloads = [r.text for image in receipt.images for r in zxingcpp.read_barcodes(image)]
    return payloads


def open_queue(kiosk, qtbot):
    tap(qtbot, kiosk.window.screen_named("home").tiles["queue_ticket"])
    assert kiosk.window.current_name == "queue_ticket"
    screen = kiosk.window.screen_named("queue_ticket")
    assert screen.journey.state == "choose"
    return screen


def test_tap_a_service_and_the_paper_carries_number_service_and_status_qr(kiosk, qtbot):
    printer = kiosk.printer
    before = len(printer.receipts)
    screen = open_queue(kiosk, qtbot)
    tap(qtbot, screen._tiles[0])  # 社会保障卡申领
    assert screen.journey.state == "confirm"
    tap(qtbot, screen.take)
    qtbot.waitUntil(lambda: screen.journey.state in ("issued", "issued_qr"), timeout=10_000)
    assert screen.journey.state == "issued", screen.journey.print_problem
    ticket = screen.journey.ticket
    assert screen.number.text() == ticket.number and ticket.number.startswith("A")
    qtbot.waitUntil(lambda: len(printer.receipts) > before, timeout=5000)
    receipt = printer.last_receipt
    assert receipt.complete and receipt.cut
    assert ticket.number in receipt.text
    assert "社会保障卡申领" in receipt.text
    assert f"{ticket.people_ahead} 人" in receipt.text
    assert qr_payloads(receipt) == [ticket.status_url]
    assert "林" not in receipt.text  # nothing personal on a queue ticket
    tap(qtbot, screen.done)
    assert kiosk.window.current_name == "feedback"


def test_elderly_card_is_offered_the_green_channel(kiosk, qtbot):
    screen = open_queue(kiosk, qtbot)
    kiosk.idcard.place("elderly")
    qtbot.waitUntil(lambda: screen.journey.card_age is not None, timeout=10_000)
    assert screen.journey.card_age == 78 and "林**" in screen.note.text()
    kiosk.idcard.lift()
    tap(qtbot, screen._tiles[0])
    tap(qtbot, screen.take)
    assert screen.journey.state == "priority"
    tap(qtbot, screen.reason_buttons["elderly"])
    qtbot.waitUntil(lambda: screen.journey.state in ("issued", "issued_qr"), timeout=10_000)
    ticket = screen.journey.ticket
    assert ticket.priority and ticket.priority_reason == "elderly" and ticket.people_ahead == 0
    qtbot.waitUntil(lambda: kiosk.printer.last_receipt is not None
                    and ticket.number in kiosk.printer.last_receipt.text, timeout=5000)
    assert "绿色通道" in kiosk.printer.last_receipt.text
    kiosk.context.sessions.end("idle")
    assert screen.journey is None and not kiosk.context.sessions.active


def test_printer_out_of_paper_before_issuing_shows_the_ticket_as_a_qr(kiosk, qtbot):
    kiosk.printer.take_paper_out()
    qtbot.waitUntil(lambda: not kiosk.hub.can_print(), timeout=5000)
    screen = open_queue(kiosk, qtbot)
    tap(qtbot, screen._tiles[1])
    tap(qtbot, screen.take)
    assert screen.journey.state == "no_printer"
    tap(qtbot, screen.go_on)
    qtbot.waitUntil(lambda: screen.journey.state == "issued_qr", timeout=10_000)
    assert screen.qr.property("qr_payload") == screen.journey.ticket.status_url
    kiosk.printer.refill()


def test_paper_running_out_mid_print_keeps_the_ticket_valid_as_a_qr(kiosk, qtbot):
    kiosk.printer.refill(lines=4)  # enough to start, not enough to finish
    qtbot.waitUntil(lambda: kiosk.hub.can_print(), timeout=5000)
    screen = open_queue(kiosk, qtbot)
    tap(qtbot, screen._tiles[0])
    tap(qtbot, screen.take)
    qtbot.waitUntil(lambda: screen.journey.state in ("issued", "issued_qr"), timeout=10_000)
    assert screen.journey.state == "issued_qr" and screen.journey.print_problem.code == "print_failed"
    assert not kiosk.printer.last_receipt.complete
    assert screen.qr.property("qr_payload") == screen.journey.ticket.status_url
    assert "仍然有效" in screen.ticket_message.text()
    kiosk.printer.refill()

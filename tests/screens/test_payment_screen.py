"""The fee payment screen: keypad to receipt, the QR and its countdown, the idle watch, nothing personal left."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kiosk"))  # the shared fakes live beside the journey tests
from payment_fakes import NOW, UNPAID, FakePayments, FakePrinterHub  # noqa: E402

from kiosk.journeys.payment import FeePaymentJourney  # noqa: E402
from kiosk.system.clock import SettableClock  # noqa: E402


@pytest.fixture
def payment(kiosk, monkeypatch):
    monkeypatch.setattr(FeePaymentJourney, "retry_pause_s", 0)
    gateway, printer, clock = FakePayments(), FakePrinterHub(), SettableClock(NOW)
    services = kiosk.context.services
    services.gateway, services.devices, services.clock = gateway, printer, clock
    kiosk.window.go("payment", service_id="fin-non-tax-payment")
    screen = kiosk.window.screen_named("payment")
    return kiosk, screen, gateway, printer, clock


def tap(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text() if hasattr(widget, "text") else widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_number(qtbot, screen, digits: str) -> None:
    for digit in digits:
        tap(qtbot, screen.keypad.buttons[digit])


def all_texts(window) -> str:
    return "\n".join(w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton))


def qr_payloads(window) -> list[str]:
    return [p for p in (w.property("qr_payload") for w in window.findChildren(QLabel)) if p]


def to_qr_page(qtbot, screen) -> None:
    type_number(qtbot, screen, UNPAID)
    tap(qtbot, screen.look_up_button)
    qtbot.waitUntil(lambda: screen.journey.state == "notice", timeout=3000)
    tap(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: screen.journey.state == "awaiting_payment", timeout=3000)


def test_keypad_groups_the_number_and_needs_all_16_digits(payment, qtbot):
    kiosk, screen, gateway, _, _ = payment
    assert screen.journey.state == "enter" and screen.pages.currentWidget() is screen.page["enter"]
    type_number(qtbot, screen, "350200261100")
    assert screen.entry.text() == "3502 0026 1100" and not screen.look_up_button.isEnabled()
    type_number(qtbot, screen, "0001")
    assert screen.entry.text() == "3502 0026 1100 0001" and screen.look_up_button.isEnabled()
    tap(qtbot, screen.keypad.buttons["back"])
    assert screen.entry.text() == "3502 0026 1100 000" and gateway.calls == []


def test_notice_to_qr_to_paid_receipt(payment, qtbot):
    kiosk, screen, gateway, printer, clock = payment
    type_number(qtbot, screen, UNPAID)
    tap(qtbot, screen.look_up_button)
    qtbot.waitUntil(lambda: screen.journey.state == "notice", timeout=3000)
    assert screen.amount.text() == "¥10.00" and screen.notice_labels["payer"][1].text() == "王**"
    assert screen.amount_caption.text() == "应缴金额"  # "¥" once: no "（元）" beside it
    assert screen.notice_labels["number"][1].text() == "3502 0026 1100 0001" and not screen.printer_note.isVisible()
    tap(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: screen.journey.state == "awaiting_payment", timeout=3000)
    order = screen.journey.order
    assert screen.pay_qr.property("qr_payload") == order.pay_url
    assert screen.pay_qr.pixmap().width() >= 420 and screen.pay_qr.width() >= 420
    assert screen.countdown.text() == "5:00" and screen.ticker.isActive() and screen.poller.isActive()
    clock.advance(seconds=75)
    screen.tick()
    assert screen.countdown.text() == "3:45"
    gateway.pay(order.order_id)
    qtbot.waitUntil(lambda: screen.journey.state == "receipt", timeout=5000)  # the 2 s poll timer sees it
    assert "FS20261118100700123456" in screen.done_rows.text() and "10.00" in screen.done_title.text()
    assert screen.done_qr.property("qr_payload") == screen.journey.e_receipt_payload
    assert len(printer.printed) == 1
    tap(qtbot, screen.finish_button)
    assert kiosk.window.current_name in ("feedback", "home")


def test_printer_down_is_said_before_paying_and_the_e_receipt_is_big(payment, qtbot):
    kiosk, screen, gateway, printer, _ = payment
    printer.ready = False
    type_number(qtbot, screen, UNPAID)
    tap(qtbot, screen.look_up_button)
    qtbot.waitUntil(lambda: screen.journey.state == "notice", timeout=3000)
    assert screen.printer_note.isVisible() and "二维码" in screen.printer_note.text()
    tap(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: screen.journey.state == "awaiting_payment", timeout=3000)
    gateway.pay(screen.journey.order.order_id)
    screen.journey.poll()
    qtbot.waitUntil(lambda: screen.journey.state == "e_receipt", timeout=3000)
    assert screen.done_qr.pixmap().width() >= 420
    assert "拍下" in screen.done_what.text()


def test_busy_payment_keeps_the_idle_watch_from_wiping_the_session(payment, qtbot):
    kiosk, screen, gateway, _, _ = payment
    to_qr_page(qtbot, screen)
    kiosk.idle.arm()
    kiosk.idle._start_countdown()  # the citizen has not touched the kiosk for a minute: paying on the phone
    assert kiosk.idle.counting_down
    screen.tick()
    assert not kiosk.idle.counting_down and kiosk.context.sessions.active
    gateway.pay(screen.journey.order.order_id)
    screen.journey.poll()
    qtbot.waitUntil(lambda: screen.journey.state == "receipt", timeout=3000)
    kiosk.idle._start_countdown()
    screen.tick()  # the receipt is out: the normal idle wipe applies again
    assert kiosk.idle.counting_down


def test_back_on_the_qr_page_cancels_and_closes_the_order(payment, qtbot):
    kiosk, screen, gateway, _, _ = payment
    to_qr_page(qtbot, screen)
    order_id = screen.journey.order.order_id
    tap(qtbot, kiosk.window.footer.back)
    qtbot.waitUntil(lambda: screen.journey.state == "expired", timeout=3000)
    assert kiosk.window.current_name == "payment"
    assert gateway.orders[order_id]["status"] == "closed" and "未产生扣款" in screen.message_what.text()
    tap(qtbot, screen.message_primary)
    assert screen.journey.state == "enter"


def test_time_up_with_the_gateway_gone_shows_the_voucher(payment, qtbot):
    kiosk, screen, gateway, printer, clock = payment
    printer.ready = False
    to_qr_page(qtbot, screen)
    order_id = screen.journey.order.order_id
    gateway.down = True
    clock.advance(seconds=301)
    screen.tick()
    qtbot.waitUntil(lambda: screen.journey.state == "voucher", timeout=3000)
    assert screen.pages.currentWidget() is screen.page["done"]
    assert "支付结果确认中" in screen.done_title.text() and order_id in screen.done_rows.text()
    assert screen.done_qr.property("qr_payload") == order_id


def test_offline_is_said_plainly(kiosk, qtbot):
    kiosk.context.services.gateway = None
    kiosk.window.go("payment", service_id="fin-non-tax-payment")
    screen = kiosk.window.screen_named("payment")
    assert screen.journey.state == "offline" and screen.message_title.text() == "暂停缴费"
    assert "财政窗口" in screen.message_next.text()


@pytest.mark.parametrize("where", ["enter", "notice", "awaiting_payment", "receipt", "voucher"])
def test_idle_timeout_leaves_nothing_personal(payment, qtbot, where):
    kiosk, screen, gateway, _, clock = payment
    type_number(qtbot, screen, UNPAID)
    if where != "enter":
        tap(qtbot, screen.look_up_button)
        qtbot.waitUntil(lambda: screen.journey.state == "notice", timeout=3000)
    if where in ("awaiting_payment", "receipt", "voucher"):
        tap(qtbot, screen.confirm_button)
        qtbot.waitUntil(lambda: screen.journey.state == "awaiting_payment", timeout=3000)
    order_id = screen.journey.order.order_id if screen.journey.order else None
    if where == "receipt":
        gateway.pay(order_id)
        screen.journey.poll()
    if where == "voucher":
        gateway.down = True
        clock.advance(seconds=301)
        screen.tick()
    qtbot.waitUntil(lambda: screen.journey.state == where, timeout=3000)
    kiosk.context.sessions.end("idle")
    assert kiosk.window.current_name == "home" and screen.journey is None
    calls = kiosk.context.services.calls
    qtbot.waitUntil(lambda: calls.pending == 0, timeout=3000)  # the clean-up of an open order ran
    texts = all_texts(kiosk.window)
    for secret in ("王**", "3502 0026", UNPAID, "10.00", "FS2026", "PO2026"):
        assert secret not in texts, secret
    assert qr_payloads(kiosk.window) == [] or all("cashier" not in p and "receipt" not in p
                                                   for p in qr_payloads(kiosk.window))
    if where == "awaiting_payment":
        gateway.down = False
        assert gateway.orders[order_id]["status"] == "closed"  # the open order was closed on the way out

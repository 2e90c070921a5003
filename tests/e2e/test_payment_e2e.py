"""End to end: a notice typed on the keypad, paid on a "phone" at the reference cashier, receipt on paper."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import requests
from PySide6.QtCore import Qt

NOTICE = "3502002611000001"  # docs/demo-data.md: 机动车驾驶证工本费, 王晓明, 10.00, unpaid


def tap(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text() if hasattr(widget, "text") else widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def pay_like_a_phone(pay_url: str) -> None:
    """Open the cashier page the QR code carries and press its pay button (a form post)."""
    page = requests.get(pay_url, timeout=5)
    page.raise_for_status()
    action = re.search(r"<form[^>]*method=['\"]post['\"][^>]*action=['\"]([^'\"]+)['\"]", page.text)
    action = action or re.search(r"<form[^>]*action=['\"]([^'\"]+)['\"][^>]*method=['\"]post['\"]", page.text)
    assert action is not None, "the cashier page offers no pay button"
    requests.post(urljoin(pay_url, action.group(1)), timeout=5).raise_for_status()


def test_notice_paid_at_the_cashier_prints_the_receipt(live_kiosk, qtbot):
    context, window, printer = live_kiosk.context, live_kiosk.window, live_kiosk.printer
    qtbot.waitUntil(lambda: live_kiosk.hub.can_print(), timeout=5000)
    window.start_service(context.catalogue.service("fin-non-tax-payment"))
    assert window.current_name == "payment"
    screen = window.screen_named("payment")
    assert screen.journey.state == "enter"

    for digit in NOTICE:
        tap(qtbot, screen.keypad.buttons[digit])
    assert screen.entry.text() == "3502 0026 1100 0001"
    tap(qtbot, screen.look_up_button)
    qtbot.waitUntil(lambda: screen.journey.state == "notice", timeout=5000)
    assert screen.amount.text() == "¥10.00" and screen.notice_labels["payer"][1].text() == "王**"

    tap(qtbot, screen.confirm_button)
    qtbot.waitUntil(lambda: screen.journey.state == "awaiting_payment", timeout=5000)
    order = screen.journey.order
    assert screen.pay_qr.property("qr_payload") == order.pay_url and screen.pay_qr.pixmap().width() >= 420
    assert re.fullmatch(r"\d+:\d\d", screen.countdown.text())

    before = len(printer.receipts)
    pay_like_a_phone(order.pay_url)
    qtbot.waitUntil(lambda: screen.journey.state in ("receipt", "e_receipt"), timeout=10_000)  # seen by the 2 s poll
    assert screen.journey.state == "receipt", screen.journey.problem
    qtbot.waitUntil(lambda: len(printer.receipts) > before and printer.last_receipt.cut, timeout=10_000)

    paid = screen.journey.order
    assert paid.status == "paid" and paid.transaction_ref
    receipt = printer.last_receipt
    text = receipt.text
    assert "非税收入缴款凭条" in text and NOTICE in text and "王**" in text and "王晓明" not in text
    assert "10.00" in text and paid.transaction_ref in text
    assert receipt.qr_payloads == [paid.receipt_url]
    assert paid.transaction_ref in screen.done_rows.text()

    # The notice is paid now: a second attempt is refused as already paid, never a second charge.
    screen.journey.restart()
    screen.journey.look_up(NOTICE)
    qtbot.waitUntil(lambda: screen.journey.state == "already_paid", timeout=5000)

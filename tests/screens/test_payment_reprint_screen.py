"""补打 on the payment screen: a paid notice offers it, the card page asks for the payer's card, the copy is said;
the confirm page names the collecting unit, and hides the row when an older gateway sends none."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kiosk"))  # the shared fakes live beside the journey tests
from payment_fakes import NOW, PAID, UNPAID, FakePayments, FakePrinterHub  # noqa: E402

from contract.payments import Notice, Order, ReceiptCopy  # noqa: E402
from kiosk.gateway_client.errors import GatewayRefused  # noqa: E402
from kiosk.journeys.payment import FeePaymentJourney  # noqa: E402
from kiosk.system.clock import SettableClock  # noqa: E402

PAYER = "810000199508152024"


class HallPayments(FakePayments):
    """The fake gateway with collecting units and receipt copies for the payer of the paid notice."""

    def notice(self, number: str) -> Notice:
        notice = super().notice(number)
        return notice.model_copy(update={"collecting_unit_zh": "厦门市公安局出入境管理支队",
                                         "collecting_unit_en": "Xiamen Exit-Entry Administration"})

    def receipt_copy(self, notice_number: str, id_number: str) -> ReceiptCopy:
        self.calls.append(("receipt_copy", notice_number))
        if notice_number != PAID or id_number != PAYER:
            raise GatewayRefused("receipt_not_found", "no paid notice with this number for this card", status=404)
        order = Order(order_id="PO20261118000000000009", notice_number=PAID, item_zh="普通护照工本费",
                      item_en="Passport fee", amount_fen=12000, status="paid", created_at="2026-11-18T09:00:00+08:00",
                      expires_at="2026-11-18T09:15:00+08:00", pay_url="http://127.0.0.1:9/cashier/x",
                      paid_at="2026-11-18T09:01:00+08:00", transaction_ref="FS1",
                      receipt_url="https://zwfw.xm.gov.cn/receipts/PO20261118000000000009",
                      collecting_unit_zh="厦门市公安局出入境管理支队")
        return ReceiptCopy(order=order, payer_masked="陈**")


@pytest.fixture
def payment(kiosk, monkeypatch):
    monkeypatch.setattr(FeePaymentJourney, "retry_pause_s", 0)
    gateway, printer = HallPayments(), FakePrinterHub()
    services = kiosk.context.services
    services.gateway, services.devices, services.clock = gateway, printer, SettableClock(NOW)
    kiosk.window.go("payment", service_id="fin-non-tax-payment")
    return kiosk.window.screen_named("payment"), gateway, printer


def tap(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def look_up(qtbot, screen, number: str, state: str) -> None:
    for digit in number:
        tap(qtbot, screen.keypad.buttons[digit])
    tap(qtbot, screen.look_up_button)
    qtbot.waitUntil(lambda: screen.journey.state == state, timeout=3000)


def test_the_confirm_page_names_the_collecting_unit(payment, qtbot):
    screen, _, _ = payment
    look_up(qtbot, screen, UNPAID, "notice")
    name, value = screen.notice_labels["unit"]
    assert name.isVisible() and name.text() == "执收单位" and value.text() == "厦门市公安局出入境管理支队"


def test_an_older_gateway_leaves_no_empty_unit_row(kiosk, payment, qtbot):
    screen, _, _ = payment
    kiosk.context.services.gateway = FakePayments()
    screen.journey.env.gateway = kiosk.context.services.gateway
    look_up(qtbot, screen, UNPAID, "notice")
    assert all(not widget.isVisible() for widget in screen.notice_labels["unit"])
    assert screen.notice_labels["item"][1].isVisible()


def test_a_paid_notice_is_reprinted_for_its_payer(payment, qtbot):
    screen, gateway, printer = payment
    look_up(qtbot, screen, PAID, "already_paid")
    tap(qtbot, screen.reprint_button)
    assert screen.journey.state == "reprint_card" and screen.pages.currentWidget() is screen.page["reprint_card"]
    assert "缴款人" in screen.reprint_title.text() and not screen.reprint_problem.isVisible()
    screen.journey.on_card(SimpleNamespace(id_number="350206199607210013"))
    qtbot.waitUntil(lambda: screen.journey.state == "reprint_refused", timeout=3000)
    assert screen.message_title.text() == "未能补打凭条" and screen.reprint_button.isVisible()
    tap(qtbot, screen.reprint_button)
    screen.journey.on_card(SimpleNamespace(id_number=PAYER))
    qtbot.waitUntil(lambda: screen.journey.state == "reprinted", timeout=3000)
    assert screen.pages.currentWidget() is screen.page["done"] and screen.done_title.text() == "凭条已补打"
    assert "补打时间：2026-11-18 10:05:00" in screen.done_rows.text()
    assert printer.printed and printer.printed[-1].kind == "payment_receipt_copy"
    screen.clear_personal()
    assert "FS1" not in screen.done_rows.text()


def test_a_junk_card_is_said_on_the_card_page(payment, qtbot):
    screen, gateway, _ = payment
    look_up(qtbot, screen, PAID, "already_paid")
    tap(qtbot, screen.reprint_button)
    screen.journey.on_card(SimpleNamespace(id_number="not a number"))
    assert screen.reprint_problem.isVisible() and "无法识别" in screen.reprint_problem.text()
    assert gateway.count("receipt_copy") == 0
    tap(qtbot, screen.reprint_back)
    assert screen.journey.state == "enter"


def test_an_unpaid_notice_offers_no_reprint(payment, qtbot):
    screen, _, _ = payment
    look_up(qtbot, screen, UNPAID, "notice")
    assert not screen.journey.can_reprint

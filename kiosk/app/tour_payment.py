"""The tour of the fee payment screen: every state, with the demo's sample notices; no network, no devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from contract.payments import Notice, Order
from kiosk.journeys import payment
from kiosk.journeys.base import Problem
from screens.payment import FeePaymentScreen


def walk_payment(screen: FeePaymentScreen) -> Iterator[str]:
    """Every state of the screen; yields each state's name once the screen shows it."""
    screen.activate()
    screen.ticker.stop()
    screen.poller.stop()
    journey = screen.journey
    assert journey is not None
    yield "offline"  # no gateway in the tour: exactly what an unreachable gateway looks like
    journey.go("enter")
    screen.keypad.set_value("350200261100")
    yield "enter"
    journey.go("enter", Problem("这不是缴款通知书上的二维码，请扫描缴款通知书上的二维码，或输入16位缴款码。",
                                "That is not the code on a payment notice. Scan the code on your notice or type "
                                "its 16-digit number.", code="not_a_notice"))
    yield "enter-scan-rejected"
    journey.number = "3502002611000002"
    journey.go("looking_up")
    yield "looking_up"
    journey.notice = sample_notice()
    journey.go("notice")
    yield "notice"
    for state, problem in sample_refusals():
        journey.go(state, problem)
        yield state
    journey.order = sample_order()
    journey.deadline = journey.env.clock.now().replace(microsecond=0) + dt.timedelta(seconds=272)
    journey.go("awaiting_payment")
    yield "awaiting_payment"
    journey.connection_trouble = True
    journey.go("awaiting_payment")
    yield "awaiting_payment-network-trouble"
    journey.connection_trouble = False
    journey.go("closing")
    yield "closing"
    journey.order = sample_order(paid=True)
    journey.go("receipt")
    yield "receipt"
    journey.go("e_receipt")
    yield "e_receipt"
    journey.order = sample_order()
    journey.voucher_printed = True
    journey.go("voucher")
    yield "voucher-printed"
    journey.voucher_printed = False
    journey.go("voucher")
    yield "voucher-on-screen"
    yield from _walk_reprint(journey)


def _walk_reprint(journey: payment.FeePaymentJourney) -> Iterator[str]:
    """补打: the card page (and a card that is no ID), the refusal, the copy printed or as a QR."""
    from kiosk.journeys import payment_reprint

    journey.number = "3502002611000002"
    journey.go("reprint_card")
    yield "reprint_card"
    journey.go("reprint_card", payment_reprint.NOT_AN_ID)
    yield "reprint_card-not-an-id"
    journey.go("reprinting")
    yield "reprinting"
    journey.fail(payment_reprint.NOT_THE_PAYERS, "reprint_refused")
    yield "reprint_refused"
    journey.fail(payment_reprint.TOO_MANY, "reprint_refused")
    yield "reprint_refused-too-many"
    journey.order = sample_order(paid=True)
    journey.reprint_payer = "林**"
    journey.reprinted_at = journey.env.clock.now().replace(microsecond=0)
    journey.go("reprinted")
    yield "reprinted"
    journey.go("reprint_qr")
    yield "reprint_qr"


def sample_notice() -> Notice:
    """The demo's property registration notice, as the gateway sends it (payer already masked)."""
    return Notice(number="3502002611000002", item_zh="不动产登记费", item_en="Property registration fee",
                  payer_masked="林**", amount_fen=8000, due_date="2026-12-31", status="unpaid", payable_here=True,
                  collecting_unit_zh="厦门市不动产登记中心", collecting_unit_en="Xiamen Real Estate Registration Center",
                  collecting_unit_code="350200041007")


def sample_order(paid: bool = False) -> Order:
    order_id = "PO20261118A1B2C3D4E5F6"
    return Order(order_id=order_id, notice_number="3502002611000002", item_zh="不动产登记费",
                 item_en="Property registration fee", amount_fen=8000, status="paid" if paid else "open",
                 created_at="2026-11-18T10:05:00+08:00", expires_at="2026-11-18T10:20:00+08:00",
                 pay_url=f"https://zwfw.xm.gov.cn/cashier/{order_id}",
                 paid_at="2026-11-18T10:07:00+08:00" if paid else None,
                 transaction_ref="FS20261118100700123456" if paid else None,
                 receipt_url=f"https://zwfw.xm.gov.cn/receipts/{order_id}" if paid else None)


def sample_refusals() -> list[tuple[str, Problem]]:
    return [
        ("unknown_notice", Problem("未找到该缴款通知书，请核对通知书上的16位缴款码。",
                                   "No payment notice has this number. Please check the 16-digit number on the notice.",
                                   "请核对缴款通知书上的16位缴款码后重新输入。",
                                   "Please check the 16-digit number on your notice and try again.")),
        ("already_paid", Problem("该缴款通知书已缴费，无需重复缴纳。",
                                 "This notice has already been paid; there is nothing more to pay.",
                                 "如有疑问，请到财政窗口咨询。", "For questions, please ask at the finance window.")),
        ("not_payable", Problem("该缴款通知书已逾期，需计算滞纳金，请到财政窗口办理。",
                                "This notice is overdue and a late fee applies: please go to the finance window.",
                                "如有疑问，请到财政窗口咨询。", "For questions, please ask at the finance window.")),
        ("order_unresolved", payment.ORDER_UNRESOLVED),
        ("create_failed", Problem("暂时无法发起支付，未产生任何扣款。",
                                  "The payment could not be started. Nothing has been charged.",
                                  "请点击“重试”，或到财政窗口缴费。",
                                  "Tap \u201cTry again\u201d or pay at the finance window.")),
        ("expired", Problem("支付已超时，订单已关闭，未产生扣款。", "Time ran out. The order is closed; nothing was charged.",
                            "如需缴费，请重新开始。", "To pay, please start again.")),
        ("failed", payment.kiosk_fault()),
    ]

"""Payments: notices, idempotent orders, never two open orders or two charges, the demo cashier."""

from __future__ import annotations

import requests

from contract.payments import Notice, Order

UNPAID, PAID, OVERDUE = "3502002611000001", "3502002611000003", "3502002611000004"
PROPERTY_FEE = "3502002611000002"


def _order(api, notice, key):
    return api.post("/payments/orders", json={"notice_number": notice}, key=key)


def _pay(url: str) -> requests.Response:
    return requests.post(url + "/pay", timeout=5)


def test_notice_lookup_masks_the_payer(api):
    notice = Notice.model_validate(api.get(f"/payments/notices/{PROPERTY_FEE}").json())
    assert notice.item_zh == "不动产登记费" and notice.amount_fen == 8000
    assert notice.payer_masked == "林**" and notice.status == "unpaid" and notice.payable_here


def test_paid_and_overdue_notices_say_why_they_cannot_be_paid(api):
    paid = Notice.model_validate(api.get(f"/payments/notices/{PAID}").json())
    assert paid.status == "paid" and not paid.payable_here and paid.message_zh
    overdue = Notice.model_validate(api.get(f"/payments/notices/{OVERDUE}").json())
    assert overdue.status == "overdue" and not overdue.payable_here and "窗口" in overdue.message_zh
    assert _order(api, PAID, "pay-paid-00001").json()["code"] == "notice_paid"
    refused = _order(api, OVERDUE, "pay-overdue-01")
    assert refused.status_code == 409 and refused.json()["code"] == "notice_not_payable_here"


def test_unknown_and_malformed_notice_numbers(api):
    unknown = api.get("/payments/notices/3502002699999999")
    assert unknown.status_code == 404 and unknown.json()["code"] == "notice_not_found"
    assert api.get("/payments/notices/12345").status_code == 422
    assert _order(api, "3502002699999999", "pay-unknown-01").status_code == 404


def test_an_order_needs_an_idempotency_key(api):
    answer = api.post("/payments/orders", json={"notice_number": UNPAID})
    assert answer.status_code == 422


def test_same_key_same_order_and_no_second_open_order(start_gateway, make_api):
    server, _ = start_gateway()
    api = make_api(server.url)
    first = _order(api, UNPAID, "order-key-0001")
    assert first.status_code == 201
    order = Order.model_validate(first.json())
    assert order.status == "open" and order.amount_fen == 1000
    assert order.pay_url == f"{server.url}/cashier/{order.order_id}"
    again = _order(api, UNPAID, "order-key-0001")
    assert again.status_code == 200 and again.json()["order_id"] == order.order_id
    second = _order(api, UNPAID, "order-key-0002")
    assert second.status_code == 409 and second.json()["code"] == "order_already_open"
    assert second.json()["detail"] == {"order_id": order.order_id}
    assert api.get(f"/payments/notices/{UNPAID}").json()["open_order_id"] == order.order_id
    # Another kiosk cannot open a second order either.
    night = make_api(server.url, ("XM-24H-001", "demo-24h-001-secret"))
    assert _order(night, UNPAID, "order-key-0001").status_code == 409


def test_cashier_pays_once_and_the_receipt_appears(start_gateway, make_api):
    server, _ = start_gateway()
    api = make_api(server.url)
    order = _order(api, UNPAID, "order-key-0003").json()
    page = requests.get(order["pay_url"], timeout=5)
    assert page.status_code == 200 and "确认支付" in page.text and "10.00" in page.text
    paid_page = _pay(order["pay_url"])
    assert paid_page.status_code == 200 and "已支付" in paid_page.text
    status = Order.model_validate(api.get(f"/payments/orders/{order['order_id']}").json())
    assert status.status == "paid" and status.transaction_ref and status.receipt_url
    reference = status.transaction_ref
    _pay(order["pay_url"])  # pressing pay twice charges once
    assert api.get(f"/payments/orders/{order['order_id']}").json()["transaction_ref"] == reference
    receipt = requests.get(status.receipt_url, timeout=5)
    assert receipt.status_code == 200 and reference in receipt.text
    assert api.get(f"/payments/notices/{UNPAID}").json()["status"] == "paid"
    assert _order(api, UNPAID, "order-key-0004").json()["code"] == "notice_paid"
    replay = _order(api, UNPAID, "order-key-0003")  # the kiosk retrying its own key sees the paid order
    assert replay.status_code == 200 and replay.json()["status"] == "paid"
    closing = api.post(f"/payments/orders/{order['order_id']}/close")
    assert closing.status_code == 409 and closing.json()["code"] == "order_paid"


def test_closing_an_order_frees_the_notice_and_the_cashier_refuses_it(start_gateway, make_api):
    server, _ = start_gateway()
    api = make_api(server.url)
    order = _order(api, PROPERTY_FEE, "order-key-0005").json()
    closed = api.post(f"/payments/orders/{order['order_id']}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api.post(f"/payments/orders/{order['order_id']}/close").json()["status"] == "closed"
    assert "订单已关闭" in _pay(order["pay_url"]).text
    assert api.get(f"/payments/orders/{order['order_id']}").json()["status"] == "closed"
    assert _order(api, PROPERTY_FEE, "order-key-0006").status_code == 201


def test_an_unpaid_order_expires(start_gateway, make_api, clock):
    server, settings = start_gateway(now=clock)
    api = make_api(server.url)
    order = _order(api, PROPERTY_FEE, "order-key-0007").json()
    clock.advance(seconds=settings.order_ttl_s + 1)
    assert api.get(f"/payments/orders/{order['order_id']}").json()["status"] == "expired"
    assert "过期" in _pay(order["pay_url"]).text
    assert _order(api, PROPERTY_FEE, "order-key-0008").status_code == 201


def test_unknown_orders(api):
    assert api.get("/payments/orders/PO20261125AAAAAAAAAAAA").status_code == 404
    assert api.get("/payments/orders/not-an-order").status_code == 422
    assert requests.get(api.url + "/cashier/PO20261125AAAAAAAAAAAA", timeout=5).status_code == 404

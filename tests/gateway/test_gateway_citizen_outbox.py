"""Feedback, EMS mailing and the outbox replay endpoint, deduplicated on idempotency keys."""

from __future__ import annotations

import pytest

MAILING = {"document_number": "XMZW-SS-20261125-000001", "recipient_name": "王晓明", "phone": "13812345678",
           "address": "福建省厦门市湖里区仙岳路4688号", "postcode": "361000"}


def _count(gateway, table: str) -> int:
    with gateway._server.config.app.state.gateway.db.read() as conn:
        return conn.one(f"SELECT COUNT(*) FROM {table}")[0]


def test_feedback_is_recorded_once_per_key(api, shared_gateway):
    before = _count(shared_gateway, "feedback")
    body = {"service_id": "ss-card-apply", "rating": 5, "comment": "窗口服务很耐心"}
    first = api.post("/feedback", json=body, key="feedback-key-01")
    again = api.post("/feedback", json=body, key="feedback-key-01")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert _count(shared_gateway, "feedback") == before + 1


@pytest.mark.parametrize("body,status", [
    ({"service_id": "ss-card-apply", "rating": 0}, 422),
    ({"service_id": "ss-card-apply", "rating": 6}, 422),
    ({"service_id": "ss-card-apply", "rating": 3, "comment": "x" * 501}, 422),
    ({"service_id": "no-such-service", "rating": 3}, 404),
])
def test_bad_feedback_is_refused(api, body, status):
    assert api.post("/feedback", json=body).status_code == status


def test_mailing_request(api):
    answer = api.post("/mailing", json=MAILING, key="mailing-key-01")
    assert answer.status_code == 201
    assert answer.json()["mailing_id"].startswith("EMS") and answer.json()["expected_dispatch_zh"]
    bad_phone = api.post("/mailing", json={**MAILING, "phone": "0592-1234567"})
    assert bad_phone.status_code == 422


def test_outbox_feedback_after_a_direct_attempt_is_not_recorded_twice(api, shared_gateway):
    body = {"service_id": "hf-loan", "rating": 2, "comment": ""}
    direct = api.post("/feedback", json=body, key="outbox-key-0001").json()
    before = _count(shared_gateway, "feedback")
    replay = api.post("/outbox/feedback", json={"payload": body}, key="outbox-key-0001")
    assert replay.status_code == 200
    assert replay.json() == {"kind": "feedback", "key": "outbox-key-0001", "duplicate": True, "result": direct}
    assert _count(shared_gateway, "feedback") == before


def test_outbox_kinds(api, shared_gateway):
    mailing = api.post("/outbox/mailing", json={"payload": MAILING}, key="outbox-key-0002").json()
    assert mailing["duplicate"] is False and mailing["result"]["mailing_id"].startswith("EMS")
    before = _count(shared_gateway, "outbox_entries")
    event = {"payload": {"event": "printer_paper_low", "level": "warning"}, "created_at": "2026-11-25T10:00:00+08:00"}
    first = api.post("/outbox/event", json=event, key="outbox-key-0003").json()
    again = api.post("/outbox/event", json=event, key="outbox-key-0003").json()
    assert first["duplicate"] is False and again["duplicate"] is True and first["result"] == {"stored": True}
    assert api.post("/outbox/telemetry", json={"payload": {"cpu": 3}}, key="outbox-key-0004").status_code == 200
    assert _count(shared_gateway, "outbox_entries") == before + 2


def test_outbox_payment_reconciliation_reports_the_order_state(api):
    order = api.post("/payments/orders", json={"notice_number": "3502002611000002"}, key="outbox-order-01").json()
    ack = api.post("/outbox/payment-reconciliation",
                   json={"payload": {"order_id": order["order_id"], "kiosk_status": "unknown"}},
                   key="outbox-key-0005").json()
    assert ack["result"] == {"order_id": order["order_id"], "status": "open", "transaction_ref": None}
    unknown = api.post("/outbox/payment-reconciliation",
                       json={"payload": {"order_id": "PO-LOST", "kiosk_status": "paid"}}, key="outbox-key-0006")
    assert unknown.json()["result"]["status"] == "unknown_order"
    api.post(f"/payments/orders/{order['order_id']}/close")


def test_outbox_refusals(api):
    assert api.post("/outbox/feedback", json={"payload": {"rating": 9}}, key="outbox-key-0007").json()["code"] == \
        "invalid_payload"
    assert api.post("/outbox/gossip", json={"payload": {}}, key="outbox-key-0008").status_code == 422
    assert api.post("/outbox/event", json={"payload": {}}).status_code == 422  # a key is required
    assert api.post("/outbox/event", json={"payload": "text"}, key="outbox-key-0009").status_code == 422
    reused = api.post("/outbox/event", json={"payload": {"event": "door_open"}}, key="outbox-key-0003")
    assert reused.status_code == 409
    unknown = api.post("/outbox/event", json={"payload": {"other": 1}}, key="outbox-key-0010")
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_payload"


def test_reconciliation_keyed_with_the_orders_own_key_is_accepted(api):
    key = "order-and-reconciliation-01"
    order = api.post("/payments/orders", json={"notice_number": "3502002611000001"}, key=key).json()
    ack = api.post("/outbox/payment-reconciliation",
                   json={"payload": {"order_id": order["order_id"], "kiosk_status": "open"}}, key=key)
    assert ack.status_code == 200 and ack.json()["result"]["status"] == "open"
    again = api.post("/outbox/payment-reconciliation",
                     json={"payload": {"order_id": order["order_id"], "kiosk_status": "open"}}, key=key)
    assert again.json()["duplicate"] is True
    # ...and the order's key still answers with the order.
    assert api.post("/payments/orders", json={"notice_number": "3502002611000001"}, key=key).json()["order_id"] == \
        order["order_id"]
    api.post(f"/payments/orders/{order['order_id']}/close")


def test_one_key_for_two_outbox_kinds_is_two_entries(api, shared_gateway):
    before = _count(shared_gateway, "outbox_entries")
    first = api.post("/outbox/event", json={"payload": {"event": "door_open"}}, key="shared-key-0001")
    second = api.post("/outbox/telemetry", json={"payload": {"cpu": 1}}, key="shared-key-0001")
    assert first.status_code == second.status_code == 200
    assert _count(shared_gateway, "outbox_entries") == before + 2

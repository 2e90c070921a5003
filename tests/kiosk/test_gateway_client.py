"""The kiosk's gateway client against the real reference gateway on 127.0.0.1: every call."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from contract.citizen import FeedbackRequest
from contract.queue import TicketRequest
from gateway.app import create_app
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from kiosk.gateway_client.client import GatewayClient, new_idempotency_key
from kiosk.gateway_client.errors import GatewayAuthError, GatewayRefused

YOUNG, ELDERLY, HK = "350206199607210013", "350203194803120021", "810000199508152024"


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("client") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000)
    server = GatewayThread(create_app(settings))
    settings.public_url = server.url
    with server:
        yield server.url


@pytest.fixture
def client(gateway_url: str) -> Iterator[GatewayClient]:
    client = GatewayClient(gateway_url, "XM-HALL-001", "demo-hall-001-secret", connect_timeout=2, read_timeout=5)
    yield client
    client.close()


def test_health_and_online(client):
    assert client.health().status == "ok"
    assert client.online


def test_content_with_versions(client):
    catalogue = client.catalogue()
    assert catalogue is not None and catalogue.departments
    assert client.catalogue(etag=catalogue.version) is None  # 304: the kiosk's copy is current
    assert client.catalogue(etag=f'"{catalogue.version}"') is None
    guides = client.guides()
    assert guides is not None and len(guides.guides) == sum(len(d.services) for d in catalogue.departments)
    assert client.guides(etag=guides.version) is None
    guide = client.guide("ss-card-apply")
    assert guide is not None and guide.materials
    announcements = client.announcements()
    assert announcements is not None and announcements.items
    hours = client.hours()
    assert hours is not None and client.hours(etag=hours.version) is None


def test_queue_calls(client):
    overview = client.queue_overview()
    assert any(s.service_id == "ss-card-apply" for s in overview.services)
    key = new_idempotency_key()
    ticket = client.issue_ticket(TicketRequest(service_id="hf-loan", priority_reason="pregnant"), key)
    assert ticket.number.startswith("Q") and ticket.priority
    assert client.issue_ticket(TicketRequest(service_id="hf-loan", priority_reason="pregnant"), key) == ticket
    plain = client.issue_ticket({"service_id": "hf-loan"})
    assert plain.number != ticket.number
    assert client.ticket(ticket.ticket_id).people_ahead == 0
    called = client.call_next("hf-loan")
    assert called.called == ticket.number
    assert client.ticket(ticket.ticket_id).state == "called"


def test_lookups(client):
    social = client.lookup_social_security(YOUNG)
    assert social.status == "found" and social.record.months_paid == 24
    assert client.lookup_property(ELDERLY).properties[0].certificate_number
    assert client.lookup_population(HK, "J").status == "not_applicable"
    assert client.lookup_property(HK, "J").status == "no_record"


def test_payment_flow_with_the_demo_cashier(client):
    notice = client.notice("3502002611000001")
    assert notice.payable_here and notice.payer_masked == "王**"
    key = new_idempotency_key()
    order = client.create_order(notice.number, key)
    assert client.create_order(notice.number, key).order_id == order.order_id
    with pytest.raises(GatewayRefused) as refused:
        client.create_order(notice.number, new_idempotency_key())
    assert refused.value.code == "order_already_open" and refused.value.detail == {"order_id": order.order_id}
    assert "未完成" in refused.value.citizen_message("zh")
    requests.post(order.pay_url + "/pay", timeout=5)  # the citizen pays on a phone
    paid = client.order(order.order_id)
    assert paid.status == "paid" and paid.transaction_ref and paid.receipt_url
    with pytest.raises(GatewayRefused) as refused:
        client.close_order(order.order_id)
    assert refused.value.code == "order_paid" and refused.value.permanent


def test_closing_an_order(client):
    order = client.create_order("3502002611000002", new_idempotency_key())
    assert client.close_order(order.order_id).status == "closed"


def test_feedback_mailing_and_outbox(client):
    key = new_idempotency_key()
    receipt = client.send_feedback(FeedbackRequest(service_id="ss-card-apply", rating=4), key)
    ack = client.post_outbox_entry("feedback", key, {"service_id": "ss-card-apply", "rating": 4, "comment": ""})
    assert ack.duplicate and ack.result == receipt.model_dump()
    mailing = client.request_mailing({"document_number": "XMZW-SS-20261125-000001", "recipient_name": "王晓明",
                                      "phone": "13812345678", "address": "福建省厦门市湖里区仙岳路4688号"})
    assert mailing.mailing_id.startswith("EMS")
    event = client.post_outbox_entry("event", new_idempotency_key(), {"event": "paper_low"},
                                     created_at="2026-11-25T10:00:00+08:00")
    assert event.duplicate is False
    order = client.create_order("3502002611000002", key := new_idempotency_key())
    # The kiosk's outbox spells the kind with "_" and keys the entry with the order's own key.
    reconciled = client.post_outbox_entry("payment_reconciliation", key,
                                          {"order_id": order.order_id, "kiosk_status": "unknown"})
    assert reconciled.kind == "payment-reconciliation" and reconciled.result["status"] == "open"
    client.close_order(order.order_id)


def test_refusals_map_to_citizen_words(client):
    with pytest.raises(GatewayRefused) as unknown:
        client.notice("3502002699999999")
    assert unknown.value.status == 404 and unknown.value.code == "notice_not_found"
    assert "16位" in unknown.value.citizen_message("zh") and "16-digit" in unknown.value.citizen_message("en")
    with pytest.raises(GatewayRefused) as malformed:
        client.notice("12345")  # checked before any traffic
    assert malformed.value.code == "invalid_request" and malformed.value.status is None
    with pytest.raises(GatewayRefused) as bad_check:
        client.lookup_social_security("350205198511030034")
    assert bad_check.value.code == "id_number_invalid" and "损坏" in bad_check.value.citizen_message()
    with pytest.raises(GatewayRefused):
        client.post_outbox_entry("feedback", new_idempotency_key(), {"rating": 9})
    with pytest.raises(GatewayRefused) as kind:
        client.post_outbox_entry("gossip", new_idempotency_key(), {})
    assert kind.value.permanent
    with pytest.raises(GatewayRefused):
        client.ticket("../../health")


def test_wrong_credentials_are_an_auth_error_not_offline(gateway_url):
    client = GatewayClient(gateway_url, "XM-HALL-001", "wrong", connect_timeout=2, read_timeout=5)
    try:
        with pytest.raises(GatewayAuthError) as refused:
            client.queue_overview()
        assert refused.value.status == 401 and not refused.value.permanent
        assert client.online  # the gateway answered: the kiosk is not offline, it is misconfigured
    finally:
        client.close()


def test_from_settings_uses_configured_identity_and_timeouts(gateway_url, tmp_path: Path):
    from config.local import parse_settings

    text = f"""
state_dir = "{tmp_path}"
[kiosk]
id = "XM-24H-001"
[gateway]
url = "{gateway_url}"
token = "demo-24h-001-secret"
connect_timeout_s = 1.5
read_timeout_s = 4.0
"""
    client = GatewayClient.from_settings(parse_settings(text))
    try:
        assert client.timeout == (1.5, 4.0)
        assert client.queue_overview().services
    finally:
        client.close()


def test_the_client_module_does_not_load_the_server_side():
    code = ("import sys, kiosk.gateway_client.client; bad = [m for m in ('fastapi', 'starlette', 'uvicorn', 'gateway.app', "
            "'PySide6') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr

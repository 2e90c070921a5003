"""What the gateway keeps for replays: references, not answers; for a bounded window; and outbox schemas."""

from __future__ import annotations

import json
import re

import pytest
from gateway_api import rows

from gateway.app import create_app
from gateway.settings import GatewaySettings

ELDERLY, YOUNG = "350203194803120021", "350206199607210013"
MAILING = {"document_number": "XMZW-SS-20261125-000001", "recipient_name": "王晓明", "phone": "13812345678",
           "address": "福建省厦门市湖里区仙岳路4688号", "postcode": "361000"}
REFERENCE_KEYS = {"order_id", "ticket_id", "feedback_id", "mailing_id", "document", "latest", "stored"}


def _rows(settings, table: str) -> list[dict]:
    return rows(settings.db_path, f"SELECT * FROM {table}")


def _strings(value) -> set[str]:
    """Every string inside a JSON answer (the personal facts a lookup returned among them)."""
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) else set()


@pytest.fixture
def gateway(start_gateway, make_api, clock):
    server, settings = start_gateway(now=clock, rate_per_s=1000, rate_burst=1000, replay_window_s=3600)
    return make_api(server.url), settings, clock


def test_replays_are_answered_again_but_no_answer_is_stored(gateway):
    api, settings, _ = gateway
    first_answers = []
    for n, (kind, number) in enumerate([("social-security", YOUNG), ("property", ELDERLY), ("population", ELDERLY)]):
        body, key = {"id_number": number, "card_type": "resident"}, f"lookup-privacy-{n:02d}"
        first = api.post(f"/lookups/{kind}", json=body, key=key)
        again = api.post(f"/lookups/{kind}", json=body, key=key)
        assert first.json()["status"] == "found"
        assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
        first_answers.append(first.json())
    mailing = api.post("/mailing", json=MAILING, key="mailing-privacy-1")
    assert api.post("/mailing", json=MAILING, key="mailing-privacy-1").json() == mailing.json()
    outbox_mailing = api.post("/outbox/mailing", json={"payload": {**MAILING, "phone": "13900000000"}},
                              key="mailing-privacy-2").json()
    again = api.post("/outbox/mailing", json={"payload": {**MAILING, "phone": "13900000000"}},
                     key="mailing-privacy-2").json()
    assert again["duplicate"] is True and again["result"] == outbox_mailing["result"]
    order = api.post("/payments/orders", json={"notice_number": "3502002611000001"}, key="order-privacy-1").json()
    replayed_order = api.post("/payments/orders", json={"notice_number": "3502002611000001"}, key="order-privacy-1")
    assert replayed_order.status_code == 200 and replayed_order.json() == order

    stored = _rows(settings, "idempotency")
    text = json.dumps(stored + _rows(settings, "outbox_entries"), ensure_ascii=False)
    personal = {YOUNG, ELDERLY, "王晓明", "13812345678", "13900000000", MAILING["address"]}
    personal |= {s for answer in first_answers for s in _strings(answer) if len(s) >= 4 and not s.startswith("http")
                 and not re.fullmatch(r"XMZW-[A-Z]+-\d{8}-\d{6}|[\d:+T-]+", s)} - _strings(
        {k: v for a in first_answers for k, v in a.items() if k.startswith("message")})
    leaked = sorted(p for p in personal if p in text)
    assert not leaked, f"personal data kept for replays: {leaked}"
    for row in stored:
        assert set(json.loads(row["ref"])) <= REFERENCE_KEYS and "body" not in row


def test_keys_are_kept_for_the_window_then_pruned_and_count_as_new(gateway):
    api, settings, clock = gateway
    body = {"service_id": "hf-loan", "rating": 4, "comment": "很好"}
    first = api.post("/feedback", json=body, key="feedback-window-1").json()
    assert api.post("/outbox/event", json={"payload": {"event": "paper_low"}}, key="event-window-01").status_code == 200
    clock.advance(minutes=59)
    assert api.post("/feedback", json=body, key="feedback-window-1").json() == first
    clock.advance(minutes=2)
    api.post("/feedback", json={**body, "rating": 5}, key="feedback-window-2")  # any keyed write prunes
    keys = {row["key"] for row in _rows(settings, "idempotency")}
    assert "feedback-window-1" not in keys and "outbox:event|event-window-01" not in keys
    assert _rows(settings, "outbox_entries") == []
    later = api.post("/feedback", json=body, key="feedback-window-1")
    assert later.status_code == 201 and later.headers.get("Idempotent-Replayed") is None
    assert later.json()["feedback_id"] != first["feedback_id"]


def test_event_and_telemetry_entries_are_kept_in_their_validated_form(gateway):
    api, settings, _ = gateway
    event = {"event": "printer_paper_low", "level": "warning", "attributes": {"left_percent": 8, "roll": "B"}}
    assert api.post("/outbox/event", json={"payload": event}, key="event-schema-01").json()["result"] == \
        {"stored": True}
    assert api.post("/outbox/telemetry", json={"payload": {"cpu": 3, "disk_free_mb": 812.5}},
                    key="telemetry-sample1").status_code == 200
    kept = {row["kind"]: json.loads(row["payload"]) for row in _rows(settings, "outbox_entries")}
    assert kept == {"event": event, "telemetry": {"cpu": 3.0, "disk_free_mb": 812.5}}


def _nested(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize("kind,payload", [
    ("event", {"event": "anything_at_all"}),  # not a known event
    ("event", {"event": "paper_low", "attributes": {"where": {"deep": 1}}}),  # attributes are flat
    ("event", {"event": "paper_low", "attributes": {f"a{i}": i for i in range(17)}}),
    ("event", {"event": "paper_low", "attributes": {"note": "x" * 101}}),
    ("event", {"event": "paper_low", "citizen": "王晓明"}),  # nothing beside the schema
    ("event", {"event": "paper_low", "attributes": _nested(900)}),  # 900 levels deep
    ("telemetry", {"cpu": "high"}),
    ("telemetry", {"cpu": 1, "nested": {"x": 1}}),
    ("telemetry", {f"m{i}": i for i in range(33)}),
    ("telemetry", {"kind": "heartbeat", "junk": _nested(10)}),
    ("payment-reconciliation", {"order_id": "PO1", "kiosk_status": "open", "extra": _nested(3)}),
])
def test_every_outbox_kind_has_a_bounded_schema(gateway, kind, payload):
    api, settings, _ = gateway
    answer = api.post(f"/outbox/{kind}", json={"payload": payload}, key="schema-probe-01")
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] in ("invalid_payload", "invalid_request")
    assert "王晓明" not in answer.text and "Traceback" not in answer.text
    assert _rows(settings, "outbox_entries") == []


def test_what_expired_while_the_gateway_was_stopped_is_pruned_at_start(new_database, clock):
    settings = GatewaySettings(db_path=new_database("stopped"), now=clock)
    db = create_app(settings).state.gateway.db
    with db.transaction() as conn:
        conn.execute("INSERT INTO idempotency VALUES ('XM-HALL-001', 'key-old-0001', 'feedback', 'digest', 201, "
                     "'{\"feedback_id\": \"FB1\"}', ?)", (clock().timestamp(),))
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'event', 'key-old-0002', "
                     "'{\"event\": \"paper_low\"}', NULL, 'then', ?)", (clock().timestamp(),))
    db.close()
    clock.advance(hours=23)
    db = create_app(settings).state.gateway.db
    with db.transaction() as conn:
        assert conn.one("SELECT COUNT(*) FROM idempotency")[0] == 1  # still within the day
    db.close()
    clock.advance(hours=2)
    db = create_app(settings).state.gateway.db
    with db.transaction() as conn:
        assert conn.one("SELECT COUNT(*) FROM idempotency")[0] == 0
        assert conn.one("SELECT COUNT(*) FROM outbox_entries")[0] == 0
    db.close()

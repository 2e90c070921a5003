"""The gateway database: created at the newest revision on both engines; SQLite files from the gateways
before Alembic (schema 1 to 3) upgraded with their data kept; a newer database refused."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
import requests
from legacy_schema import make_schema_3

from gateway.app import create_app
from gateway.migrate import head
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from gateway.storage import Database

_V1_OUTBOX = """
CREATE TABLE outbox_entries (
    kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
    created_at TEXT, received_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, key)
)"""
_V2_OUTBOX = _V1_OUTBOX.replace("PRIMARY KEY (kiosk_id, key)", "PRIMARY KEY (kiosk_id, kind, key)")
_V2_IDEMPOTENCY = """
CREATE TABLE idempotency (
    kiosk_id TEXT NOT NULL, key TEXT NOT NULL, scope TEXT NOT NULL, request_hash TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, key)
)"""
HALL_TOKEN = "demo-hall-001-secret"


def _older(path: Path, version: int, outbox: str) -> sqlite3.Connection:
    """A database that looks as if written by schema ``version`` (1 or 2), without fleet tables yet."""
    conn = make_schema_3(path, with_fleet=False)
    conn.execute("DROP TABLE outbox_entries")
    conn.execute(outbox)
    conn.execute("DROP TABLE idempotency")
    conn.execute(_V2_IDEMPOTENCY)
    conn.execute(f"PRAGMA user_version={version}")
    return conn


def _revision(db: Database) -> str:
    with db.read() as conn:
        return conn.one("SELECT version_num FROM alembic_version")[0]


def test_new_database_has_the_newest_revision_and_every_table(new_database):
    db = Database(new_database("new"))
    try:
        assert _revision(db) == head()
        with db.transaction() as conn:
            assert conn.next_value("documents") == 1 and conn.next_value("documents") == 2
            conn.execute("INSERT INTO fleet_settings (name, value) VALUES (?, ?)", ("probe", "ok"))
        with db.read() as conn:
            assert conn.one("SELECT value FROM fleet_settings WHERE name = ?", ("probe",))["value"] == "ok"
    finally:
        db.close()
    Database(db.location).close()  # opening it again changes nothing


def test_a_schema_3_database_keeps_everything_and_serves(tmp_path: Path):
    """A hall's database as the gateway before Alembic left it: kiosks, tickets, replays, fleet state."""
    path = tmp_path / "hall.sqlite3"
    salt = "00" * 16
    with make_schema_3(path) as conn:
        conn.execute("INSERT INTO kiosks VALUES ('XM-HALL-001', ?, ?, 'hall', 1, '2026-11-01T08:00:00+08:00')",
                     (salt, hashlib.sha256((salt + HALL_TOKEN).encode()).hexdigest()))
        conn.execute("INSERT INTO tickets (ticket_id, service_id, day, seq, number, issued_at, kiosk_id) "
                     "VALUES ('ticket-old-01', 'hf-loan', '2026-11-25', 7, 'G007', '2026-11-25T09:00:00+08:00', "
                     "'XM-HALL-001')")
        conn.execute("INSERT INTO counters VALUES ('documents', 41)")
        conn.execute("INSERT INTO idempotency VALUES ('XM-HALL-001', 'key-old-0001', 'feedback', 'd', 201, "
                     "'{\"feedback_id\": \"FB1\"}', 1795572000.0)")
        conn.execute("INSERT INTO fleet_heartbeats (kiosk_id, received_at, heartbeat) VALUES ('XM-HALL-001', "
                     "'2026-11-25T10:00:00+08:00', '{\"sent_at\": \"2026-11-25T09:59:58+08:00\"}')")
        conn.execute("INSERT INTO fleet_settings VALUES ('password_hash', '$argon2id$kept')")
        conn.execute("INSERT INTO fleet_bundles VALUES (5, 'digest', 'kid', '[\"*\"]', '[]', '2027-01-01T00:00:00Z', "
                     "x'7b7d', '*', 'everyone', '2026-11-01T00:00:00Z', NULL)")
    conn.close()
    db = Database(path)
    try:
        assert _revision(db) == head()
        with db.transaction() as tx:
            assert tx.one("SELECT number FROM tickets WHERE ticket_id = 'ticket-old-01'")["number"] == "G007"
            assert tx.next_value("documents") == 42
            assert tx.one("SELECT ref FROM idempotency WHERE key = 'key-old-0001'")["ref"] == '{"feedback_id": "FB1"}'
            assert tx.one("SELECT COUNT(*) FROM fleet_beats")[0] == 1  # the old history, as beats
            assert tx.one("SELECT value FROM fleet_settings WHERE name = 'password_hash'")["value"] == "$argon2id$kept"
            assert bytes(tx.one("SELECT bundle FROM fleet_bundles WHERE version = 5")["bundle"]) == b"{}"
    finally:
        db.close()
    app = create_app(GatewaySettings(db_path=path))  # and the gateway serves from it: the old token still works
    with GatewayThread(app) as server:
        answer = requests.get(server.url + "/api/v1/queue/services", timeout=10,
                              headers={"X-Kiosk-Id": "XM-HALL-001", "Authorization": f"Bearer {HALL_TOKEN}"})
    assert answer.status_code == 200, answer.text


def test_schema_1_database_is_migrated_and_keeps_its_entries(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    with _older(path, 1, _V1_OUTBOX) as conn:
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'event', 'k-00000001', '{}', NULL, "
                     "'2026-11-25T10:00:00+08:00')")
    conn.close()
    db = Database(path)
    with db.transaction() as conn:
        row = conn.one("SELECT kind, received_ts FROM outbox_entries WHERE key = 'k-00000001'")
        assert row["kind"] == "event" and row["received_ts"] == 1795572000.0  # 02:00 UTC
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'telemetry', 'k-00000001', '{}', NULL, "
                     "'now', 0)")
        assert conn.one("SELECT COUNT(*) FROM outbox_entries")[0] == 2
        assert conn.one("SELECT COUNT(*) FROM fleet_sessions")[0] == 0  # the fleet tables were added
    assert _revision(db) == head()
    db.close()


def test_schema_2_replays_keep_only_references_and_processed_payloads_go(tmp_path: Path):
    path = tmp_path / "v2.sqlite3"
    lookup = {"status": "found", "holder_masked": "王**", "record": {"employer": "厦门市某某科技有限公司"},
              "document": {"number": "XMZW-SS-20261125-000001", "verify_url": "http://x/verify/…"}}
    mailing = {"mailing_id": "EMS0A1B2C3D4E5F", "received_at": "2026-11-25T10:00:00+08:00"}
    with _older(path, 2, _V2_OUTBOX) as conn:
        for key, scope, body in (("k-lookup-01", "lookup:social_security", lookup), ("k-mail-0001", "mailing", mailing)):
            conn.execute("INSERT INTO idempotency VALUES ('XM-HALL-001', ?, ?, 'digest', 200, ?, "
                         "'2026-11-25T10:00:00+08:00')", (key, scope, json.dumps(body, ensure_ascii=False)))
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'payment-reconciliation', 'k-recon-01', "
                     "'{\"order_id\": \"PO1\", \"note\": \"idempotency_key=k\"}', NULL, '2026-11-25T10:00:00+08:00')")
    conn.close()
    db = Database(path)
    with db.transaction() as conn:
        refs = {r["key"]: json.loads(r["ref"]) for r in conn.all("SELECT key, ref FROM idempotency")}
        assert refs["k-lookup-01"]["document"] == "XMZW-SS-20261125-000001"
        assert refs["k-mail-0001"]["mailing_id"] == "EMS0A1B2C3D4E5F"
        assert "科技" not in json.dumps(refs, ensure_ascii=False)
        assert conn.one("SELECT COUNT(*) FROM outbox_entries")[0] == 0
    db.close()


def test_a_failed_upgrade_leaves_the_old_database_as_it_was(tmp_path: Path):
    path = tmp_path / "broken.sqlite3"
    with _older(path, 2, _V2_OUTBOX) as conn:
        conn.execute("CREATE TABLE fleet_sessions (unexpected TEXT)")  # in the way of nothing, but …
        conn.execute("CREATE TABLE idempotency_v3 (in_the_way TEXT)")  # … this blocks step 3
    conn.close()
    with pytest.raises(Exception, match="idempotency_v3"):
        Database(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'alembic_version'").fetchone() is None
    conn.close()


def test_a_database_from_a_newer_gateway_is_refused(new_database):
    location = new_database("newer")
    db = Database(location)
    with db.transaction() as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    db.close()
    with pytest.raises(RuntimeError, match="newer than this gateway"):
        Database(location)


def test_a_pre_alembic_file_from_a_newer_gateway_is_refused(tmp_path: Path):
    path = tmp_path / "newer.sqlite3"
    conn = make_schema_3(path)
    conn.execute("PRAGMA user_version=4")
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this gateway"):
        Database(path)

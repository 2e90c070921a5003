"""The gateway database: created at the current schema, older ones migrated with their data kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from gateway.storage import SCHEMA_VERSION, Database

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


def _older(path: Path, version: int, outbox: str) -> sqlite3.Connection:
    """A database that looks as if written by schema ``version`` (1 or 2), left open for filling in."""
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE outbox_entries")
    conn.execute(outbox)
    conn.execute("DROP TABLE idempotency")
    conn.execute(_V2_IDEMPOTENCY)
    conn.execute(f"PRAGMA user_version={version}")
    return conn


def test_new_database_has_the_current_schema(tmp_path: Path):
    db = Database(tmp_path / "new.sqlite3")
    with db.transaction() as conn:
        assert conn.one("PRAGMA user_version")[0] == SCHEMA_VERSION
    db.close()


def test_schema_1_database_is_migrated_and_keeps_its_entries(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    with _older(path, 1, _V1_OUTBOX) as conn:
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'event', 'k-00000001', '{}', NULL, "
                     "'2026-11-25T10:00:00+08:00')")
    conn.close()
    db = Database(path)
    with db.transaction() as conn:
        assert conn.one("PRAGMA user_version")[0] == SCHEMA_VERSION
        row = conn.one("SELECT kind, received_ts FROM outbox_entries WHERE key = 'k-00000001'")
        assert row["kind"] == "event" and row["received_ts"] == 1795572000.0  # 02:00 UTC
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'telemetry', 'k-00000001', '{}', NULL, "
                     "'now', 0)")
        assert conn.one("SELECT COUNT(*) FROM outbox_entries")[0] == 2
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


def test_a_database_from_a_newer_gateway_is_refused(tmp_path: Path):
    path = tmp_path / "newer.sqlite3"
    Database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this gateway"):
        Database(path)

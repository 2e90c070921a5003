"""The gateway database: created at the current schema, older ones migrated with their data kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gateway.storage import SCHEMA_VERSION, Database

_V1_OUTBOX = """
CREATE TABLE outbox_entries (
    kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
    created_at TEXT, received_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, key)
)"""


def test_new_database_has_the_current_schema(tmp_path: Path):
    db = Database(tmp_path / "new.sqlite3")
    with db.transaction() as conn:
        assert conn.one("PRAGMA user_version")[0] == SCHEMA_VERSION
    db.close()


def test_schema_1_database_is_migrated_and_keeps_its_entries(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    Database(path).close()
    with sqlite3.connect(path) as conn:  # make it look like a database written by schema 1
        conn.execute("DROP TABLE outbox_entries")
        conn.execute(_V1_OUTBOX)
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'event', 'k-00000001', '{}', NULL, 'now')")
        conn.execute("PRAGMA user_version=1")
    conn.close()
    db = Database(path)
    with db.transaction() as conn:
        assert conn.one("PRAGMA user_version")[0] == SCHEMA_VERSION
        assert conn.one("SELECT kind FROM outbox_entries WHERE key = 'k-00000001'")["kind"] == "event"
        conn.execute("INSERT INTO outbox_entries VALUES ('XM-HALL-001', 'telemetry', 'k-00000001', '{}', NULL, 'now')")
        assert conn.one("SELECT COUNT(*) FROM outbox_entries")[0] == 2
    db.close()


def test_a_database_from_a_newer_gateway_is_refused(tmp_path: Path):
    path = tmp_path / "newer.sqlite3"
    Database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this gateway"):
        Database(path)

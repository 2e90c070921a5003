"""Opening the kiosk database: WAL, schema version, migration, damaged and too-new files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from offline_cache.errors import StoreCorrupt, StoreTooNew
from offline_cache.store import SCHEMA_VERSION, open_store


def test_new_database_is_wal_synchronous_full_and_versioned(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        conn = store.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store.schema_version() == SCHEMA_VERSION >= 1
        assert {"content", "responses", "outbox"} <= set(store.db.table_names())
        health = store.health()
        assert health.integrity == "ok" and health.size_bytes > 0
    # Reopening keeps the version and the data.
    with open_store(tmp_path) as again:
        assert again.schema_version() == SCHEMA_VERSION


def test_a_database_from_a_newer_kiosk_is_refused(tmp_path: Path) -> None:
    with open_store(tmp_path) as store, store.writing() as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreTooNew, match="newer than this kiosk understands"):
        open_store(tmp_path)


def test_an_interrupted_migration_starts_over(tmp_path: Path) -> None:
    # A file with a half-made table but version 0, as if power failed before the version bump committed.
    conn = sqlite3.connect(tmp_path / "kiosk.sqlite3")
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()
    with open_store(tmp_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert "unrelated" in store.db.table_names()


def test_a_damaged_file_is_reported_or_set_aside(tmp_path: Path, alerts: list) -> None:
    (tmp_path / "kiosk.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreCorrupt, match="damaged"):
        open_store(tmp_path)
    with open_store(tmp_path, quarantine_corrupt=True, on_alert=alerts.append) as store:
        assert store.schema_version() == SCHEMA_VERSION
    assert [a.code for a in alerts] == ["store_quarantined"]
    assert len(list(tmp_path.glob("kiosk.sqlite3.corrupt-*"))) == 1

"""The database opens without sqlite-utils, with the schema sqlite-utils made, and keeps its transactions."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from offline_cache.store import open_store


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return list(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"))


def test_v1_schema_is_the_one_sqlite_utils_made(tmp_path: Path) -> None:
    # What the v1 migration built with sqlite-utils before it was written out as plain SQL.
    reference = sqlite_utils.Database(sqlite3.connect(tmp_path / "reference.sqlite3"))
    reference["content"].create(
        {"kind": str, "key": str, "body": str, "etag": str, "version": str, "fetched_at": float,
         "checked_at": float}, pk=("kind", "key"), not_null={"body", "fetched_at", "checked_at"})
    reference["responses"].create(
        {"lookup": str, "endpoint": str, "body": bytes, "sealed": int, "personal": int, "stored_at": float,
         "fresh_until": float, "usable_until": float}, pk="lookup",
        not_null={"body", "sealed", "personal", "stored_at", "fresh_until", "usable_until"})
    reference["outbox"].create(
        {"seq": int, "idempotency_key": str, "kind": str, "payload": bytes, "sealed": int, "state": str,
         "attempts": int, "created_at": float, "next_attempt_at": float, "updated_at": float,
         "last_error": str}, pk="seq",
        not_null={"idempotency_key", "kind", "payload", "sealed", "state", "attempts", "created_at",
                  "next_attempt_at", "updated_at"}, defaults={"attempts": 0, "sealed": 0})
    reference["outbox"].create_index(["idempotency_key"], unique=True)
    reference["outbox"].create_index(["state", "next_attempt_at", "seq"])
    with open_store(tmp_path / "kiosk") as store:
        assert _schema(store.connection) == _schema(reference.conn)


def test_opening_the_store_does_not_load_sqlite_utils(tmp_path: Path) -> None:
    code = ("import sys; from offline_cache.store import open_store; s = open_store(sys.argv[1]); "
            "s.close(); print('sqlite_utils' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_failed_write_leaves_nothing_and_a_nested_failure_only_its_own_part(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        with pytest.raises(RuntimeError), store.writing() as conn:
            conn.execute("INSERT INTO content VALUES ('k', 'a', '{}', NULL, NULL, 1, 1)")
            raise RuntimeError("power cut")
        with store.writing() as conn:
            conn.execute("INSERT INTO content VALUES ('k', 'b', '{}', NULL, NULL, 1, 1)")
            with pytest.raises(sqlite3.IntegrityError), store.writing() as inner:
                inner.execute("INSERT INTO content VALUES ('k', 'c', '{}', NULL, NULL, 1, 1)")
                inner.execute("INSERT INTO content VALUES ('k', 'c', '{}', NULL, NULL, 1, 1)")
        with store.reading() as conn:
            assert [r[0] for r in conn.execute("SELECT key FROM content ORDER BY key")] == ["b"]
            assert not conn.in_transaction
        assert "content" in store.db.table_names()  # sqlite-utils still there for tools that want it

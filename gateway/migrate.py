"""Bring the gateway's database to the newest schema when it is opened: Alembic, plus SQLite's past.

Gateways before Alembic versioned their SQLite file with ``PRAGMA user_version`` (1 to 3) and made
the fleet tables on first use. Such a file is taken to schema 3 by the steps those gateways had,
given any fleet tables it lacks, stamped as revision ``0001`` (the same tables) and then upgraded
like any other database; nothing in it is lost. Several worker processes starting at once on
PostgreSQL take turns (an advisory lock), so the upgrade runs once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from gateway.storage import Database

log = logging.getLogger("gateway.server")
if logging.getLogger("alembic").level == logging.NOTSET:
    logging.getLogger("alembic").setLevel(logging.WARNING)  # each step's INFO line; ours says what happened

MIGRATIONS = Path(__file__).with_name("migrations")
LEGACY_SCHEMA = 3
BASELINE = "0001"

# Each step takes a pre-Alembic database from the version before it to its own number.
_LEGACY_STEPS: dict[int, list[str]] = {
    # 2: outbox entries keyed per kind, so one key used for two kinds is two entries, not a clash.
    2: ["ALTER TABLE outbox_entries RENAME TO outbox_entries_v1",
        "CREATE TABLE outbox_entries (kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, "
        "payload TEXT NOT NULL, created_at TEXT, received_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, kind, key))",
        "INSERT INTO outbox_entries SELECT * FROM outbox_entries_v1",
        "DROP TABLE outbox_entries_v1"],
    # 3: replays keep a reference instead of the whole answer, with the time as a number so old rows
    # can be pruned; payment-reconciliation payloads (processed at once) are dropped.
    3: ["CREATE TABLE idempotency_v3 (kiosk_id TEXT NOT NULL, key TEXT NOT NULL, scope TEXT NOT NULL, "
        "request_hash TEXT NOT NULL, status INTEGER NOT NULL, ref TEXT NOT NULL, created_ts REAL NOT NULL, "
        "PRIMARY KEY (kiosk_id, key))",
        "INSERT INTO idempotency_v3 SELECT kiosk_id, key, scope, request_hash, status, "
        "json_object('order_id', json_extract(body, '$.order_id'), 'ticket_id', json_extract(body, '$.ticket_id'), "
        "'feedback_id', json_extract(body, '$.feedback_id'), 'mailing_id', json_extract(body, '$.mailing_id'), "
        "'document', json_extract(body, '$.document.number'), 'latest', json_extract(body, '$.latest'), "
        "'stored', json_extract(body, '$.stored')), COALESCE(CAST(strftime('%s', created_at) AS REAL), 0) "
        "FROM idempotency WHERE json_valid(body)",
        "DROP TABLE idempotency",
        "ALTER TABLE idempotency_v3 RENAME TO idempotency",
        "CREATE INDEX idempotency_by_age ON idempotency (created_ts)",
        "CREATE TABLE outbox_entries_v3 (kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, "
        "payload TEXT NOT NULL, created_at TEXT, received_at TEXT NOT NULL, received_ts REAL NOT NULL, "
        "PRIMARY KEY (kiosk_id, kind, key))",
        "INSERT INTO outbox_entries_v3 SELECT kiosk_id, kind, key, payload, created_at, received_at, "
        "COALESCE(CAST(strftime('%s', received_at) AS REAL), 0) FROM outbox_entries WHERE kind IN ('telemetry', 'event')",
        "DROP TABLE outbox_entries",
        "ALTER TABLE outbox_entries_v3 RENAME TO outbox_entries",
        "CREATE INDEX outbox_entries_by_age ON outbox_entries (received_ts)"],
}

# The fleet tables as the pre-Alembic gateways made them on first use (a file may have none, or all).
_LEGACY_FLEET = [
    "CREATE TABLE IF NOT EXISTS fleet_kiosks (kiosk_id TEXT PRIMARY KEY, group_name TEXT NOT NULL, "
    "heartbeat TEXT NOT NULL, sent_at TEXT NOT NULL, received_at TEXT NOT NULL, received_ts REAL NOT NULL, "
    "app_version TEXT NOT NULL, config_version INTEGER NOT NULL, first_seen_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fleet_heartbeats (seq INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, "
    "received_at TEXT NOT NULL, heartbeat TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS fleet_heartbeats_by_kiosk ON fleet_heartbeats (kiosk_id, seq)",
    "CREATE TABLE IF NOT EXISTS fleet_reports (seq INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, "
    "version INTEGER, outcome TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL, group_name TEXT NOT NULL, "
    "at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS fleet_reports_by_kiosk ON fleet_reports (kiosk_id, seq)",
    "CREATE TABLE IF NOT EXISTS fleet_bundles (version INTEGER PRIMARY KEY, digest TEXT NOT NULL, key_id TEXT, "
    "groups TEXT NOT NULL, files TEXT NOT NULL, expires_at TEXT NOT NULL, bundle BLOB NOT NULL, "
    "published_to TEXT NOT NULL, stage TEXT NOT NULL, published_at TEXT NOT NULL, promoted_at TEXT)",
    "CREATE TABLE IF NOT EXISTS fleet_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fleet_admin_tokens (token_hash TEXT PRIMARY KEY, label TEXT NOT NULL, "
    "created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fleet_sessions (id_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL, "
    "created_ts REAL NOT NULL, seen_ts REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fleet_login_failures (source TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
    "locked_until REAL NOT NULL)",
]


def alembic_config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The newest revision this gateway knows."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    found = ScriptDirectory.from_config(config).get_current_head()
    assert found is not None
    return found


def current(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def upgrade(db: Database) -> None:
    """Take ``db`` to the newest revision (a new database gets every table); raises RuntimeError when newer."""
    newest = head()
    with db.core_transaction(lock="schema") as tx:
        conn = tx.connection
        found = current(conn)
        if found == newest:
            return
        if found is not None and found not in _known_revisions():
            raise RuntimeError(f"database {db} has schema revision {found}, newer than this gateway ({newest})")
        if found is None and not db.postgres:
            _adopt_legacy_sqlite(db, conn)
        command.upgrade(alembic_config(conn), "head")
        log.info("database %s at schema revision %s (was %s)", db, newest, found or "empty")


def _known_revisions() -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def _adopt_legacy_sqlite(db: Database, conn: Connection) -> None:
    """A SQLite file from a gateway before Alembic: to schema 3, fleet tables added, stamped ``0001``."""
    version = conn.exec_driver_sql("PRAGMA user_version").scalar() or 0
    if version == 0:
        return  # a new, empty file: Alembic creates everything
    if version > LEGACY_SCHEMA:
        raise RuntimeError(f"database {db} has schema {version}, newer than this gateway ({LEGACY_SCHEMA})")
    for step in range(version + 1, LEGACY_SCHEMA + 1):
        for statement in _LEGACY_STEPS[step]:
            conn.exec_driver_sql(statement)
        log.info("database %s migrated to schema %d", db, step)
    for statement in _LEGACY_FLEET:
        conn.exec_driver_sql(statement)
    command.stamp(alembic_config(conn), BASELINE)
    log.info("database %s (schema %d) now versioned by Alembic at revision %s", db, LEGACY_SCHEMA, BASELINE)

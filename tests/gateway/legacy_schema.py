"""The SQLite schema of the hall gateway before Alembic (``PRAGMA user_version`` 3), to make old databases from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_3 = """
CREATE TABLE kiosks (
    kiosk_id TEXT PRIMARY KEY, token_salt TEXT NOT NULL, token_hash TEXT NOT NULL,
    zone TEXT NOT NULL DEFAULT 'hall', enabled INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL
);
CREATE TABLE citizens (
    id_number TEXT PRIMARY KEY, name TEXT NOT NULL, card_type TEXT NOT NULL,
    social_security TEXT, properties TEXT, household TEXT
);
CREATE TABLE appointments (
    code TEXT PRIMARY KEY, id_number TEXT NOT NULL, service_id TEXT NOT NULL, day TEXT NOT NULL,
    slot TEXT NOT NULL, ticket_id TEXT
);
CREATE TABLE tickets (
    ticket_id TEXT PRIMARY KEY, service_id TEXT NOT NULL, day TEXT NOT NULL, seq INTEGER NOT NULL,
    number TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0, priority_reason TEXT,
    appointment_code TEXT, state TEXT NOT NULL DEFAULT 'waiting', issued_at TEXT NOT NULL,
    called_at TEXT, kiosk_id TEXT,
    UNIQUE (service_id, day, seq)
);
CREATE INDEX tickets_waiting ON tickets (service_id, day, state);
CREATE TABLE documents (
    number TEXT PRIMARY KEY, kind TEXT NOT NULL, holder_masked TEXT NOT NULL, issued_at TEXT NOT NULL,
    kiosk_id TEXT NOT NULL
);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE notices (
    number TEXT PRIMARY KEY, item_zh TEXT NOT NULL, item_en TEXT NOT NULL, payer_name TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, due_date TEXT NOT NULL, status TEXT NOT NULL
);
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY, notice_number TEXT NOT NULL, amount_fen INTEGER NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, paid_at TEXT,
    transaction_ref TEXT, kiosk_id TEXT NOT NULL
);
CREATE INDEX orders_by_notice ON orders (notice_number, status);
CREATE TABLE feedback (
    feedback_id TEXT PRIMARY KEY, service_id TEXT NOT NULL, rating INTEGER NOT NULL, comment TEXT NOT NULL,
    kiosk_id TEXT NOT NULL, received_at TEXT NOT NULL
);
CREATE TABLE mailings (
    mailing_id TEXT PRIMARY KEY, document_number TEXT NOT NULL, recipient_name TEXT NOT NULL,
    phone TEXT NOT NULL, address TEXT NOT NULL, postcode TEXT, kiosk_id TEXT NOT NULL, received_at TEXT NOT NULL
);
CREATE TABLE outbox_entries (
    kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
    created_at TEXT, received_at TEXT NOT NULL, received_ts REAL NOT NULL, PRIMARY KEY (kiosk_id, kind, key)
);
CREATE INDEX outbox_entries_by_age ON outbox_entries (received_ts);
CREATE TABLE idempotency (
    kiosk_id TEXT NOT NULL, key TEXT NOT NULL, scope TEXT NOT NULL, request_hash TEXT NOT NULL,
    status INTEGER NOT NULL, ref TEXT NOT NULL, created_ts REAL NOT NULL, PRIMARY KEY (kiosk_id, key)
);
CREATE INDEX idempotency_by_age ON idempotency (created_ts);
"""

FLEET = """
CREATE TABLE IF NOT EXISTS fleet_kiosks (
    kiosk_id TEXT PRIMARY KEY, group_name TEXT NOT NULL, heartbeat TEXT NOT NULL, sent_at TEXT NOT NULL,
    received_at TEXT NOT NULL, received_ts REAL NOT NULL, app_version TEXT NOT NULL,
    config_version INTEGER NOT NULL, first_seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fleet_heartbeats (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, received_at TEXT NOT NULL, heartbeat TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fleet_heartbeats_by_kiosk ON fleet_heartbeats (kiosk_id, seq);
CREATE TABLE IF NOT EXISTS fleet_reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT NOT NULL, version INTEGER, outcome TEXT NOT NULL,
    reason TEXT NOT NULL, message TEXT NOT NULL, group_name TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fleet_reports_by_kiosk ON fleet_reports (kiosk_id, seq);
CREATE TABLE IF NOT EXISTS fleet_bundles (
    version INTEGER PRIMARY KEY, digest TEXT NOT NULL, key_id TEXT, groups TEXT NOT NULL, files TEXT NOT NULL,
    expires_at TEXT NOT NULL, bundle BLOB NOT NULL, published_to TEXT NOT NULL, stage TEXT NOT NULL,
    published_at TEXT NOT NULL, promoted_at TEXT
);
CREATE TABLE IF NOT EXISTS fleet_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fleet_admin_tokens (
    token_hash TEXT PRIMARY KEY, label TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fleet_sessions (
    id_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL, created_ts REAL NOT NULL, seen_ts REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS fleet_login_failures (
    source TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until REAL NOT NULL
);
"""


def make_schema_3(path: Path, with_fleet: bool = True) -> sqlite3.Connection:
    """A database as the gateway of schema 3 left it (fleet tables made on first use); left open for filling in."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(SCHEMA_3 + (FLEET if with_fleet else ""))
    conn.execute("PRAGMA user_version=3")
    return conn

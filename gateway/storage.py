"""The gateway's SQLite database: one connection, one lock, schema versioned by user_version.

The reference gateway serves one hall; a single serialised connection in WAL mode is ample and
keeps every read-modify-write (queue numbers, orders, idempotency keys) atomic.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger("gateway.server")

SCHEMA_VERSION = 3

# Each step takes the database from the version before it to its own number.
_MIGRATIONS: dict[int, str] = {
    # 2: outbox entries keyed per kind, so one key used for two kinds is two entries, not a clash.
    2: """
    ALTER TABLE outbox_entries RENAME TO outbox_entries_v1;
    CREATE TABLE outbox_entries (
        kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
        created_at TEXT, received_at TEXT NOT NULL, PRIMARY KEY (kiosk_id, kind, key)
    );
    INSERT INTO outbox_entries SELECT * FROM outbox_entries_v1;
    DROP TABLE outbox_entries_v1
    """,
    # 3: replays keep a reference (order id, ticket id, document number…) instead of the whole answer,
    # with the time as a number so old rows can be pruned; payment-reconciliation payloads (processed at
    # once, and the only raw ones kept) are dropped.
    3: """
    CREATE TABLE idempotency_v3 (
        kiosk_id TEXT NOT NULL, key TEXT NOT NULL, scope TEXT NOT NULL, request_hash TEXT NOT NULL,
        status INTEGER NOT NULL, ref TEXT NOT NULL, created_ts REAL NOT NULL, PRIMARY KEY (kiosk_id, key)
    );
    INSERT INTO idempotency_v3 SELECT kiosk_id, key, scope, request_hash, status,
        json_object('order_id', json_extract(body, '$.order_id'), 'ticket_id', json_extract(body, '$.ticket_id'),
                    'feedback_id', json_extract(body, '$.feedback_id'),
                    'mailing_id', json_extract(body, '$.mailing_id'),
                    'document', json_extract(body, '$.document.number'), 'latest', json_extract(body, '$.latest'),
                    'stored', json_extract(body, '$.stored')),
        COALESCE(CAST(strftime('%s', created_at) AS REAL), 0)
        FROM idempotency WHERE json_valid(body);
    DROP TABLE idempotency;
    ALTER TABLE idempotency_v3 RENAME TO idempotency;
    CREATE INDEX idempotency_by_age ON idempotency (created_ts);
    CREATE TABLE outbox_entries_v3 (
        kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
        created_at TEXT, received_at TEXT NOT NULL, received_ts REAL NOT NULL, PRIMARY KEY (kiosk_id, kind, key)
    );
    INSERT INTO outbox_entries_v3 SELECT kiosk_id, kind, key, payload, created_at, received_at,
        COALESCE(CAST(strftime('%s', received_at) AS REAL), 0)
        FROM outbox_entries WHERE kind IN ('telemetry', 'event');
    DROP TABLE outbox_entries;
    ALTER TABLE outbox_entries_v3 RENAME TO outbox_entries;
    CREATE INDEX outbox_entries_by_age ON outbox_entries (received_ts)
    """,
}

_SCHEMA = """
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


class Database:
    """A serialised SQLite connection. Use ``with db.transaction() as conn:`` for every access."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._lock = threading.RLock()
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _migrate(self) -> None:
        with self.transaction() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"database {self.path} has schema {version}, newer than this gateway ({SCHEMA_VERSION})"
                )
            if version == 0:
                conn.executescript_in_transaction(_SCHEMA)
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                log.info("database %s created (schema %d)", self.path, SCHEMA_VERSION)
                return
            for step in range(version + 1, SCHEMA_VERSION + 1):
                conn.executescript_in_transaction(_MIGRATIONS[step])
                conn.execute(f"PRAGMA user_version={step}")
                log.info("database %s migrated to schema %d", self.path, step)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Exclusive access; commits when the block ends, rolls back if it raises."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def ping(self) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1").fetchone()[0] == 1

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class Transaction:
    """The connection inside a transaction, with two conveniences for JSON columns and counters."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        return self._conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    def executescript_in_transaction(self, script: str) -> None:
        # executescript() would COMMIT first; run statement by statement to stay in the transaction.
        for statement in script.split(";"):
            if statement.strip():
                self._conn.execute(statement)

    def next_value(self, name: str) -> int:
        """Increment and return a named counter (document numbers, ids)."""
        self._conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1",
            (name,),
        )
        return int(self._conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)

"""The kiosk's one SQLite database: opened in WAL mode, schema versioned and migrated on start.

Every part of the offline store (content cache, response cache, outbox) shares one :class:`Store`
and therefore one connection, guarded by a lock so the sync worker's thread and the kiosk's other
threads take turns. Commits use ``synchronous=FULL``: once a write returns, it survives a crash
or a power cut.

The schema version lives in ``PRAGMA user_version``. Each migration runs in its own transaction
together with the version bump, so a kiosk switched off mid-migration starts over cleanly.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from offline_cache.alerts import AlertSink, TechnicianAlert, raise_alert
from offline_cache.errors import StoreCorrupt, StoreTooNew, translated

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger("cache")

DEFAULT_FILENAME = "kiosk.sqlite3"
BUSY_TIMEOUT_MS = 5000


def _v1_initial(conn: sqlite3.Connection) -> None:
    # The statements sqlite-utils generated when this migration was written, verbatim: the schema
    # stays byte-for-byte the same, and the kiosk no longer loads sqlite-utils (with click, pluggy
    # and dateutil: ~6 MB) at every start.
    for statement in _V1_SCHEMA:
        conn.execute(statement)


_V1_SCHEMA = (
    'CREATE TABLE "content" (\n   "kind" TEXT,\n   "key" TEXT,\n   "body" TEXT NOT NULL,\n   "etag" TEXT,\n'
    '   "version" TEXT,\n   "fetched_at" REAL NOT NULL,\n   "checked_at" REAL NOT NULL,\n'
    '   PRIMARY KEY ("kind", "key")\n)',
    'CREATE TABLE "responses" (\n   "lookup" TEXT PRIMARY KEY,\n   "endpoint" TEXT,\n   "body" BLOB NOT NULL,\n'
    '   "sealed" INTEGER NOT NULL,\n   "personal" INTEGER NOT NULL,\n   "stored_at" REAL NOT NULL,\n'
    '   "fresh_until" REAL NOT NULL,\n   "usable_until" REAL NOT NULL\n)',
    'CREATE TABLE "outbox" (\n   "seq" INTEGER PRIMARY KEY,\n   "idempotency_key" TEXT NOT NULL,\n'
    '   "kind" TEXT NOT NULL,\n   "payload" BLOB NOT NULL,\n   "sealed" INTEGER NOT NULL DEFAULT 0,\n'
    '   "state" TEXT NOT NULL,\n   "attempts" INTEGER NOT NULL DEFAULT 0,\n   "created_at" REAL NOT NULL,\n'
    '   "next_attempt_at" REAL NOT NULL,\n   "updated_at" REAL NOT NULL,\n   "last_error" TEXT\n)',
    'CREATE UNIQUE INDEX "idx_outbox_idempotency_key"\n    ON "outbox" ("idempotency_key")',
    'CREATE INDEX "idx_outbox_state_next_attempt_at_seq"\n    ON "outbox" ("state", "next_attempt_at", "seq")',
)


# Migration N takes the schema from version N-1 to N. Append only; never edit a shipped one.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1_initial,)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class StoreHealth:
    """What a technician's diagnostic shows about the database."""

    path: str
    schema_version: int
    size_bytes: int
    integrity: str


class Store:
    """An open kiosk database. Use :func:`open_store`; share one instance across threads."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._conn = connection
        self._lock = threading.RLock()

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection through sqlite-utils (tools and tests; loaded only when asked for)."""
        import sqlite_utils

        return sqlite_utils.Database(self._conn)

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for diagnostics, benchmarks and tests; hold :meth:`reading` while using it."""
        return self._conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A transaction: committed (and synced to disk) when the block ends, rolled back on any error.

        Environment failures surface as :class:`~offline_cache.errors.StoreFull` or
        :class:`~offline_cache.errors.StoreUnavailable`, with the database unchanged.
        """
        with self._lock, translated(self.path), _transaction(self._conn):
            yield self._conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads, held exclusively by this thread for the block."""
        with self._lock, translated(self.path):
            yield self._conn

    def schema_version(self) -> int:
        with self.reading() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def health(self) -> StoreHealth:
        """Integrity check and size, for ``kiosk diag``; reads the whole file, so not for the GUI thread."""
        with self.reading() as conn:
            integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
        size = sum(p.stat().st_size for p in _database_files(self.path) if p.exists())
        return StoreHealth(str(self.path), self.schema_version(), size, integrity)

    def close(self) -> None:
        """Checkpoint the write-ahead log and close. Idempotent."""
        with self._lock:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # closing anyway; the WAL is replayed on the next open
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN … COMMIT, rolled back on any error; nested blocks are savepoints (as sqlite-utils' atomic())."""
    if conn.in_transaction:
        savepoint = f"nested_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield
        except BaseException:
            # An error may already have ended the whole transaction, savepoint included.
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        conn.rollback()
        raise


def _database_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _owner_only(path: Path) -> None:
    """Create the database file 0600 (it holds personal data); tighten an existing one made 0644 before.

    SQLite gives the -wal and -shm files the database file's permissions.
    """
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError:
        return  # e.g. a read-only file or folder: opening says what is wrong
    with contextlib.suppress(OSError):
        for part in _database_files(path):
            if part.exists() and part.stat().st_mode & 0o077:
                part.chmod(0o600)


def _connect(path: Path) -> sqlite3.Connection:
    _owner_only(path)
    with translated(path):
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        with translated(path):
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreCorrupt(f"{path}: expected WAL journal mode, SQLite gave {mode!r}")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(store: Store) -> None:
    current = store.schema_version()
    if current > SCHEMA_VERSION:
        raise StoreTooNew(
            f"{store.path}: database schema version {current} is newer than this kiosk understands "
            f"({SCHEMA_VERSION}); install the newer kiosk version or move the file aside"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with store.writing() as conn:
            MIGRATIONS[version - 1](conn)
            conn.execute(f"PRAGMA user_version = {version}")
        log.info("database %s migrated to schema version %d", store.path, version)


def open_store(
    state_dir: Path | str,
    *,
    filename: str = DEFAULT_FILENAME,
    quarantine_corrupt: bool = False,
    on_alert: AlertSink | None = None,
) -> Store:
    """Open (creating and migrating as needed) the kiosk database in ``state_dir``.

    With ``quarantine_corrupt`` a damaged file is renamed ``<name>.corrupt-<unix time>`` and a
    fresh database is started, with a technician alert; otherwise :class:`StoreCorrupt` is raised.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / filename
    try:
        store = Store(path, _connect(path))
        try:
            _migrate(store)
        except BaseException:
            store.close()
            raise
        return store
    except StoreCorrupt as exc:
        if not quarantine_corrupt:
            raise
        stamp = int(time.time())
        for part in _database_files(path):
            if part.exists():
                os.replace(part, part.with_name(f"{part.name}.corrupt-{stamp}"))
        raise_alert(on_alert, TechnicianAlert(
            "store_quarantined", "the kiosk database was damaged and has been set aside; starting empty",
            {"path": str(path), "error": str(exc)},
        ), log)
        return open_store(state_dir, filename=filename, quarantine_corrupt=False, on_alert=on_alert)

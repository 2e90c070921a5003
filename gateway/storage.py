"""The gateway's database, SQLite or PostgreSQL, through SQLAlchemy Core: one code path for both.

``Database(location)`` takes a file path (SQLite, the embedded default: one hall) or a
``postgresql://`` URL (a province: thousands of kiosks, several worker processes). The schema is
brought to the newest revision with Alembic when the database is opened (:mod:`gateway.migrate`).

Every access is a short transaction:

- ``with db.transaction() as conn:`` changes things. On SQLite it is ``BEGIN IMMEDIATE`` on the one
  writing connection, serialised in the process as well; on PostgreSQL it takes the transaction-level
  advisory lock ``lock`` (``"hall"`` by default), so every read-modify-write (queue numbers, one open
  order per notice, idempotency keys) stays atomic across worker processes. The hot path asks for a
  narrower lock (``lock=None``, then ``conn.lock("kiosk:…")``) so kiosks do not queue behind each other.
- ``with db.read() as conn:`` only reads: a snapshot, never the write lock (SQLite's WAL readers,
  PostgreSQL's MVCC), so the fleet console can page through 10,000 kiosks while heartbeats land.

Statements are plain SQL in the subset both engines speak, with ``?`` placeholders, run on the
driver's cursor of the transaction's connection (:mod:`gateway.driver_sql`: no SQLAlchemy
execution context per statement; psycopg prepares the frequent ones on the server).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from gateway import driver_sql
from gateway.driver_sql import DriverCursor

log = logging.getLogger("gateway.server")

POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_postgres(location: str | Path) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def database_location(text_: str) -> str | Path:
    """A ``--db`` value: a PostgreSQL URL as it is, anything else a SQLite file path."""
    return text_ if is_postgres(text_) else Path(text_)


def describe(location: str | Path) -> str:
    """The database as it may be logged: a file path, or a URL without its password."""
    if is_postgres(location):
        return make_url(_postgres_url(str(location))).render_as_string(hide_password=True)
    return str(location)


def _postgres_url(location: str) -> str:
    for scheme in ("postgresql://", "postgres://"):
        if location.startswith(scheme):
            return "postgresql+psycopg://" + location[len(scheme):]
    return location


def _advisory_key(name: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


class Record(dict[str, Any]):
    """One result row: by column name (``row["kiosk_id"]``), by position (``row[0]``), or as a dict."""

    __slots__ = ("_values",)

    def __init__(self, keys: Sequence[str], values: Sequence[Any]) -> None:
        super().__init__(zip(keys, values, strict=True))
        self._values = tuple(values)

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, int):
            return self._values[key]
        return super().__getitem__(key)


class Transaction:
    """A connection inside a transaction: ``execute``/``one``/``all`` with ``?`` parameters."""

    def __init__(self, driver: DriverCursor, postgres: bool, conn: Connection | None = None) -> None:
        self._driver = driver
        self._conn = conn
        self.postgres = postgres

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        """Run one statement (``?`` or ``:name`` parameters); the result has ``rowcount`` (and rows, for a SELECT).

        Statements go straight to the driver's cursor (:mod:`gateway.driver_sql`).
        """
        return self._driver.execute(sql, params)

    def execute_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        """One statement with ``:name`` parameters, for each of ``rows`` (sent as a batch)."""
        if rows:
            self._driver.execute_many(sql, rows)

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Record | None:
        result = self.execute(sql, params)
        row = result.fetchone()
        return None if row is None else Record(list(result.keys()), row)

    def row(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Record:
        """The row a query always answers (an aggregate, or a row this transaction knows is there)."""
        found = self.one(sql, params)
        if found is None:
            raise LookupError(f"no row where one was certain: {sql[:80]}")
        return found

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Record]:
        result = self.execute(sql, params)
        keys = list(result.keys())
        return [Record(keys, row) for row in result.fetchall()]

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection (for Alembic): only in :meth:`Database.core_transaction`."""
        if self._conn is None:
            raise RuntimeError("a SQLAlchemy connection is only in Database.core_transaction()")
        return self._conn

    def lock(self, name: str) -> None:
        """Hold the named lock until this transaction ends (PostgreSQL; SQLite's writes are exclusive anyway)."""
        if self.postgres:
            self._driver.execute("SELECT pg_advisory_xact_lock(?)", (_advisory_key(name),))

    def next_value(self, name: str) -> int:
        """Increment and return a named counter (document numbers, ids)."""
        row = self.one("INSERT INTO counters (name, value) VALUES (?, 1) "
                       "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value", (name,))
        assert row is not None
        return int(row[0])


class Database:
    """The gateway's database; open once per process and share between threads."""

    def __init__(self, location: str | Path, pool_size: int = 8, upgrade: bool = True) -> None:
        self.location = location
        self.postgres = is_postgres(location)
        self._lock = threading.RLock()  # SQLite: one writer in this process at a time
        if self.postgres:
            self.engine = create_engine(_postgres_url(str(location)), pool_size=pool_size, max_overflow=pool_size,
                                        pool_timeout=10, pool_recycle=3600)
            self._reader = self.engine
        else:
            self.engine, self._reader = _sqlite_engines(str(location), pool_size)
        if upgrade:
            from gateway.migrate import upgrade as upgrade_schema

            try:
                upgrade_schema(self)
            except BaseException:
                self.close()
                raise

    @property
    def path(self) -> Path:
        """The SQLite file (for messages and tests); a PostgreSQL database has none."""
        return Path(str(self.location))

    def __str__(self) -> str:
        return describe(self.location)

    @contextmanager
    def transaction(self, lock: str | None = "hall") -> Iterator[Transaction]:
        """Exclusive where it matters: commits when the block ends, rolls back if it raises."""
        if self.postgres:
            with driver_sql.transaction(self.engine, True, None) as driver:
                tx = Transaction(driver, True)
                if lock is not None:
                    tx.lock(lock)
                yield tx
            return
        with self._lock, driver_sql.transaction(self.engine, False, "BEGIN IMMEDIATE") as driver:
            yield Transaction(driver, False)

    @contextmanager
    def core_transaction(self, lock: str | None = "hall") -> Iterator[Transaction]:
        """:meth:`transaction` on a SQLAlchemy connection (``tx.connection``), for Alembic's migrations."""
        with (self._lock if not self.postgres else nullcontext()), self.engine.begin() as conn:
            tx = Transaction(DriverCursor(conn.connection.dbapi_connection, self.postgres, conn.dialect),
                             self.postgres, conn)
            if lock is not None:
                tx.lock(lock)
            yield tx

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A consistent snapshot for reading, without the write lock (changes are rolled back)."""
        if self._reader is self.engine and not self.postgres:  # :memory: has one connection
            with self.transaction() as tx:
                yield tx
            return
        begin = None if self.postgres else "BEGIN"
        with driver_sql.transaction(self._reader, self.postgres, begin, commit=False) as driver:
            yield Transaction(driver, self.postgres)

    def ping(self) -> bool:
        with self.read() as conn:
            row = conn.one("SELECT 1")
        return row is not None and row[0] == 1

    def close(self) -> None:
        with self._lock:
            self.engine.dispose()
            if self._reader is not self.engine:
                self._reader.dispose()


def _sqlite_engines(path: str, pool_size: int) -> tuple[Engine, Engine]:
    """(writer, reader) engines over one SQLite file in WAL mode; ``:memory:`` gets one for both."""
    if path == ":memory:":
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
        _sqlite_events(engine, "BEGIN IMMEDIATE")
        return engine, engine
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{Path(path)}"
    args = {"check_same_thread": False, "timeout": 10.0}
    writer = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=30, connect_args=args)
    reader = create_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30, connect_args=args)
    _sqlite_events(writer, "BEGIN IMMEDIATE")
    _sqlite_events(reader, "BEGIN")
    return writer, reader


def _sqlite_events(engine: Engine, begin: str) -> None:
    """Let SQLAlchemy, not the sqlite3 module, say when transactions begin (and how)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text_: str | None) -> Any:
    return None if text_ is None else json.loads(text_)

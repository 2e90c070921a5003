"""Plain SQL with positional parameters, run on the driver's own cursor inside a SQLAlchemy transaction.

Most of the gateway's statements are fixed strings with ``?`` placeholders (:mod:`gateway.storage`).
Through SQLAlchemy each execution builds an execution context, a compiled-parameter dictionary and
a result object with its metadata: on a heartbeat that was more of the gateway's CPU than SQLite
itself. Here such a statement goes to the DBAPI cursor of the transaction's own connection (same
connection, same transaction, same locks): sqlite3 takes ``?`` as it is; for psycopg each
statement is rewritten once to ``%s`` (and cached), and psycopg prepares it on the server after a
few executions, so the hot statements are parsed and planned once per connection. The driver's
errors are raised as SQLAlchemy's (:class:`sqlalchemy.exc.DBAPIError` and its kinds, with
``.orig``), exactly as before, so the error handlers see no difference.

Named parameters (``:name``) and batches go the same way (sqlite3 reads ``:name`` itself; psycopg
gets ``%(name)s``). :func:`transaction` begins, commits or rolls back on the pooled connection
itself, without SQLAlchemy's ``Connection`` and transaction objects and their events: the pool
(sizes, recycling, reset on return) is still SQLAlchemy's, and a connection the server dropped is
invalidated so the pool opens a new one. Alembic's migrations still get a SQLAlchemy connection
(:meth:`gateway.storage.Database.core_transaction`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound


@lru_cache(maxsize=4096)
def placeholders(sql: str, postgres: bool) -> tuple[str, int]:
    """``sql`` in the driver's own style (``?`` for SQLite, ``%s`` for psycopg) and its count of placeholders."""
    out: list[str] = []
    count, quote = 0, ""
    for char in sql:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s" if postgres else "?")
            count += 1
            continue
        if char == "%" and postgres:
            out.append("%%")  # psycopg reads % as the start of a placeholder, even inside quotes
            continue
        out.append(char)
    return "".join(out), count


@lru_cache(maxsize=1024)
def named(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s`` (``::type`` casts, quoted text and ``%`` kept as they mean)."""
    out: list[str] = []
    quote, i = "", 0
    while i < len(sql):
        char = sql[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ":" and sql[i + 1:i + 2] == ":":
            out.append("::")
            i += 2
            continue
        elif char == ":" and (sql[i + 1:i + 2].isalpha() or sql[i + 1:i + 2] == "_"):
            end = i + 1
            while end < len(sql) and (sql[end].isalnum() or sql[end] == "_"):
                end += 1
            out.append(f"%({sql[i + 1:end]})s")
            i = end
            continue
        out.append("%%" if char == "%" else char)
        i += 1
    return "".join(out)


class Result:
    """What callers use of a SQLAlchemy result: ``rowcount``, ``keys()``, ``fetchone()``, ``fetchall()``, ``first()``,
    ``scalar()``, ``scalar_one()``."""

    __slots__ = ("_cursor", "rowcount")

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self.rowcount: int = cursor.rowcount

    def keys(self) -> list[str]:
        return [column[0] for column in self._cursor.description or ()]

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall()) if self._cursor.description else []

    def first(self) -> Any:
        row = self.fetchone()
        self._cursor.close()
        return row

    def scalar(self) -> Any:
        row = self.first()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        rows = self.fetchall()
        if len(rows) != 1:
            raise (NoResultFound("no row was found") if not rows else MultipleResultsFound("more than one row"))
        return rows[0][0]


class DriverCursor:
    """Runs statements on one raw DBAPI connection (inside whatever transaction it is in)."""

    __slots__ = ("_dialect", "_postgres", "raw")

    def __init__(self, raw: Any, postgres: bool, dialect: Dialect) -> None:
        self.raw = raw
        self._postgres = postgres
        self._dialect = dialect

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> Result:
        if isinstance(params, Mapping):
            statement, values = (named(sql) if self._postgres else sql), dict(params)
            return self._run(statement, values)
        statement, count = placeholders(sql, self._postgres)
        if count != len(params):
            raise ValueError(f"{count} placeholders, {len(params)} parameters: {sql[:80]}")
        return self._run(statement, tuple(params))

    def execute_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        statement = named(sql) if self._postgres else sql
        cursor = self.raw.cursor()
        try:
            cursor.executemany(statement, rows)
        except self._dialect.loaded_dbapi.Error as exc:
            raise self._wrapped(statement, rows, exc) from exc
        finally:
            cursor.close()

    def _run(self, statement: str, values: Any) -> Result:
        cursor = self.raw.cursor()
        try:
            cursor.execute(statement, values)
        except self._dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise self._wrapped(statement, values, exc) from exc
        return Result(cursor)

    def _wrapped(self, statement: str, values: Any, exc: Exception) -> Exception:
        """The driver's error as SQLAlchemy would have raised it (IntegrityError, DataError …, with ``.orig``)."""
        return DBAPIError.instance(statement, values, exc, self._dialect.loaded_dbapi.Error, dialect=self._dialect)

    def end(self, commit: bool) -> None:
        """COMMIT or ROLLBACK the connection's transaction."""
        try:
            if self._postgres:
                (self.raw.commit if commit else self.raw.rollback)()
            else:
                self.raw.execute("COMMIT" if commit else "ROLLBACK")
        except self._dialect.loaded_dbapi.Error as exc:
            raise self._wrapped("COMMIT" if commit else "ROLLBACK", (), exc) from exc


@contextlib.contextmanager
def transaction(engine: Engine, postgres: bool, begin: str | None, commit: bool = True) -> Iterator[DriverCursor]:
    """One transaction on a pooled connection: ``begin`` (SQLite: ``BEGIN IMMEDIATE`` or ``BEGIN``; psycopg begins by
    itself), then COMMIT when the block ends (ROLLBACK when ``commit`` is false or the block raised)."""
    pooled = engine.raw_connection()
    cursor = DriverCursor(pooled.dbapi_connection, postgres, engine.dialect)
    try:
        if begin is not None:
            cursor.execute(begin, ())
        yield cursor
    except BaseException:
        with contextlib.suppress(Exception):  # the block's own error is the one to see
            cursor.end(commit=False)
        if getattr(cursor.raw, "closed", False) or getattr(cursor.raw, "broken", False):
            pooled.invalidate()  # the server dropped it: the pool opens a new one
        raise
    else:
        cursor.end(commit)
    finally:
        pooled.close()  # back to the pool

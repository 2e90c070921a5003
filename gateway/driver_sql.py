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

Statements with named parameters (``:name``), batches and SQLAlchemy expressions keep going through
SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Connection
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
    """Runs ``?`` statements on the raw DBAPI connection under ``conn`` (opened on first use)."""

    __slots__ = ("_conn", "_postgres", "_raw")

    def __init__(self, conn: Connection, postgres: bool) -> None:
        self._conn = conn
        self._postgres = postgres
        self._raw: Any = None

    def execute(self, sql: str, params: Sequence[Any]) -> Result:
        statement, count = placeholders(sql, self._postgres)
        if count != len(params):
            raise ValueError(f"{count} placeholders, {len(params)} parameters: {sql[:80]}")
        if self._raw is None:
            self._raw = self._conn.connection.dbapi_connection
        dialect = self._conn.dialect
        dbapi = dialect.loaded_dbapi
        cursor = self._raw.cursor()
        try:
            cursor.execute(statement, tuple(params))
        except dbapi.Error as exc:
            cursor.close()
            raise DBAPIError.instance(statement, tuple(params), exc, dbapi.Error, dialect=dialect) from exc
        return Result(cursor)

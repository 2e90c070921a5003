"""What can go wrong in the offline store, split into the environment's fault and ours.

:class:`StoreUnavailable` (and :class:`StoreFull`, :class:`OutboxFull`) are the environment's
fault: the kiosk tells the citizen the service is unavailable and alerts a technician; nothing
already committed is lost. :class:`StoreCorrupt` and :class:`StoreTooNew` stop the store from
opening. Anything else escaping the store is a bug in our code.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

SQLITE_PERM = 3
SQLITE_READONLY = 8
SQLITE_FULL = 13
SQLITE_IOERR = 10
SQLITE_CANTOPEN = 14
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26


class StoreError(Exception):
    """Base of every error the offline store raises on purpose."""


class StoreUnavailable(StoreError):
    """The store cannot take a write right now (the environment's fault). Committed data is intact."""


class StoreFull(StoreUnavailable):
    """The disk, or the database's size limit, is full. The write was rolled back; earlier commits remain."""


class OutboxFull(StoreUnavailable):
    """The outbox holds as many unsent entries as it may; new ones are refused until it drains."""


class StoreCorrupt(StoreError):
    """The database file is damaged or is not a database."""


class StoreTooNew(StoreError):
    """The database was written by a newer version of the kiosk than this one."""


class SealingError(StoreError):
    """The encryption key is missing, unsafe, or a sealed value does not open (tampered or wrong key)."""


@contextlib.contextmanager
def translated(path: object) -> Iterator[None]:
    """Turn sqlite3 errors caused by the environment into the store's own error types."""
    try:
        yield
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc)
        if primary == SQLITE_FULL or "database or disk is full" in text:
            raise StoreFull(f"the kiosk's storage is full ({path}): {text}") from exc
        if primary == SQLITE_IOERR:
            raise StoreUnavailable(f"the kiosk's storage failed to read or write ({path}): {text}") from exc
        if primary in (SQLITE_READONLY, SQLITE_PERM) or "readonly database" in text:
            raise StoreUnavailable(f"the kiosk's database cannot be written ({path}: read-only file or "
                                   f"file system): {text}") from exc
        if primary == SQLITE_CANTOPEN or "unable to open database" in text:
            raise StoreUnavailable(f"the kiosk's database cannot be opened ({path}): {text}") from exc
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "not a database" in text or "malformed" in text:
            raise StoreCorrupt(f"the kiosk's database is damaged ({path}): {text}") from exc
        raise

"""The record of issued documents: what a verification code stands for, and the signed file's digest.

``IssuedDocuments`` is the interface the rest of the documents package uses; ``SqliteIssuedDocuments``
keeps it in the ``issued_documents`` table of the gateway's schema (an Alembic revision, like
every other table: :mod:`gateway.migrations`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from gateway.storage import Database

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U to misread
CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def new_code() -> str:
    """An unguessable verification code (80 bits), written in four groups: 7K3M-9QXD-2HFA-P4WN."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def normal_code(text: str) -> str | None:
    """``text`` as a verification code (any case, dashes or spaces optional), or None if it is not one."""
    raw = re.sub(r"[\s-]", "", text.upper()).translate(str.maketrans("ILO", "110"))
    if len(raw) != 16:
        return None
    code = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
    return code if CODE_PATTERN.match(code) else None


@dataclass(frozen=True)
class IssuedDocument:
    code: str
    number: str
    kind: str
    holder_masked: str
    issued_at: str
    kiosk_id: str
    digest: str  # SHA-256 of the signed PDF, hex
    pages: int
    size: int


class IssuedDocuments(Protocol):
    def record(self, document: IssuedDocument) -> None: ...
    def by_code(self, code: str) -> IssuedDocument | None: ...
    def by_digest(self, digest: str) -> IssuedDocument | None: ...


_COLUMNS = "code, number, kind, holder_masked, issued_at, kiosk_id, digest, pages, size"


class SqliteIssuedDocuments:
    """Issued documents in the gateway's database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, document: IssuedDocument) -> None:
        with self._db.transaction() as conn:
            conn.execute(f"INSERT INTO issued_documents ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                         (document.code, document.number, document.kind, document.holder_masked,
                          document.issued_at, document.kiosk_id, document.digest, document.pages, document.size))

    def _one(self, column: str, value: str) -> IssuedDocument | None:
        with self._db.read() as conn:
            row = conn.one(f"SELECT {_COLUMNS} FROM issued_documents WHERE {column} = ?", (value,))
        return IssuedDocument(**dict(row)) if row is not None else None

    def by_code(self, code: str) -> IssuedDocument | None:
        return self._one("code", code)

    def by_digest(self, digest: str) -> IssuedDocument | None:
        return self._one("digest", digest)

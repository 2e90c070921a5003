"""The kiosk registry: which kiosks may call the gateway, with their secret tokens stored hashed.

Tokens are long random secrets chosen by the fleet, not passwords people pick, so a salted
SHA-256 is enough (the same choice as API-token stores) and keeps each request's check cheap.
The fleet console reuses ``register_kiosk``/``verify_kiosk`` when it enrols new kiosks.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from gateway.storage import Database, Transaction

TOKENS_COUNTER = "kiosk_tokens"
"""The row of ``counters`` every change of a kiosk's token or access moves; token caches follow it."""

DEMO_KIOSKS: tuple[tuple[str, str, str], ...] = (
    ("XM-HALL-001", "demo-hall-001-secret", "hall"),
    ("XM-24H-001", "demo-24h-001-secret", "24h"),
)


@dataclass(frozen=True)
class KioskIdentity:
    kiosk_id: str
    zone: str


def token_hash(salt: str, token: str) -> str:
    return hashlib.sha256((salt + token).encode("utf-8")).hexdigest()


def register_kiosk(db: Database, kiosk_id: str, token: str, zone: str = "hall", created_at: str = "") -> None:
    """Add a kiosk or replace its token (a token rotation)."""
    salt = secrets.token_hex(16)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO kiosks (kiosk_id, token_salt, token_hash, zone, enabled, created_at) "
            "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT(kiosk_id) DO UPDATE SET "
            "token_salt = excluded.token_salt, token_hash = excluded.token_hash, zone = excluded.zone",
            (kiosk_id, salt, token_hash(salt, token), zone, created_at),
        )
        tokens_changed(conn)


def set_enabled(db: Database, kiosk_id: str, enabled: bool) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE kiosks SET enabled = ? WHERE kiosk_id = ?", (int(enabled), kiosk_id))
        tokens_changed(conn)


def verify_kiosk(db: Database, kiosk_id: str, token: str) -> KioskIdentity | None:
    """The kiosk when ``token`` is its current secret and it is enabled; otherwise None."""
    with db.read() as conn:
        row = conn.one("SELECT kiosk_id, token_salt, token_hash, zone, enabled FROM kiosks WHERE kiosk_id = ?",
                       (kiosk_id,))
    if row is None:
        # Compare anyway so an unknown id costs the same time as a wrong token.
        hmac.compare_digest(token_hash("", token), "0" * 64)
        return None
    if not hmac.compare_digest(token_hash(row["token_salt"], token), row["token_hash"]):
        return None
    if not row["enabled"]:
        return None
    return KioskIdentity(kiosk_id=row["kiosk_id"], zone=row["zone"])


def tokens_changed(conn: Transaction) -> None:
    """Inside the transaction that changes a kiosk's token or access: every worker's cache forgets."""
    conn.next_value(TOKENS_COUNTER)


def token_version(db: Database) -> int:
    """The change counter as it is now (0 before any change)."""
    with db.read() as conn:
        row = conn.one("SELECT value FROM counters WHERE name = ?", (TOKENS_COUNTER,))
    return 0 if row is None else int(row[0])

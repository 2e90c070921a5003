"""Encryption at rest for anything personal the kiosk must keep on disk for a while.

AES-256-GCM with a random 96-bit nonce per value; the associated data binds a sealed value to its
row (its lookup key or idempotency key), so a value copied into another row does not open. The key
lives in a file in the state directory readable by the kiosk user only (0600), or is given by the
caller (e.g. from a TPM or the fleet configuration).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from offline_cache.atomic_write import sync_folder, write_temporary
from offline_cache.errors import SealingError

log = logging.getLogger("cache")

KEY_BYTES = 32
NONCE_BYTES = 12
DEFAULT_KEY_FILENAME = "store.key"


class Sealer:
    """Seals and opens values with one secret key; also derives non-reversible lookup keys."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise SealingError(f"expected a {KEY_BYTES}-byte key, got {len(key)} bytes")
        self._aead = AESGCM(key)
        # A separate subkey for lookup fingerprints, so the same secret is not used for two purposes.
        self._lookup_key = hmac.new(key, b"xm-kiosk lookup fingerprint v1", hashlib.sha256).digest()

    @classmethod
    def from_key_file(cls, path: Path | str, *, sealed_with_it: Callable[[], bool] | None = None) -> Sealer:
        """Load the key from ``path``, creating it (mode 0600) if it does not exist.

        The key is written whole or not at all (temporary file, fsync, rename), so a full disk
        leaves no key file behind. An empty or short key file (left by an older kiosk that ran out
        of space while writing it) is replaced by a new key when nothing was sealed with it; if
        something was, the file is damaged and :class:`SealingError` says so, since a new key
        would make those entries unreadable. ``sealed_with_it`` answers that question; by default
        the kiosk database beside the key file is asked. A key file that group or others may read
        or write is refused with :class:`SealingError`.
        """
        path = Path(path)
        if not path.exists():
            _create_key(path)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SealingError(
                f"{path}: key file mode is {mode:04o}; expected 0600 (owner only) — run: chmod 600 {path}"
            )
        key = path.read_bytes()
        if len(key) != KEY_BYTES:
            in_use = sealed_with_it() if sealed_with_it is not None else _sealed_entries_beside(path)
            if in_use:
                raise SealingError(
                    f"{path}: the key file is damaged ({len(key)} bytes, expected {KEY_BYTES}) and sealed "
                    f"entries in the kiosk database need it; restore the key file from a backup, or move "
                    f"the database aside to start empty"
                )
            log.warning("store key %s was incomplete (%d bytes) and never used; replacing it", path, len(key))
            _create_key(path, replace=True)
            key = path.read_bytes()
        return cls(key)

    def seal(self, plaintext: bytes, bound_to: bytes) -> bytes:
        """Encrypt ``plaintext``; it will only open with the same ``bound_to`` bytes."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, bound_to)

    def open(self, sealed: bytes, bound_to: bytes) -> bytes:
        """Decrypt a sealed value; :class:`SealingError` if it was altered, moved or sealed with another key."""
        if len(sealed) < NONCE_BYTES + 16:
            raise SealingError("sealed value is too short to be genuine")
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], bound_to)
        except InvalidTag:
            raise SealingError("sealed value does not open: altered, moved, or sealed with another key") from None

    def fingerprint(self, text: str) -> str:
        """A keyed hash of ``text`` (e.g. a URL containing an ID number) that cannot be reversed by guessing."""
        return hmac.new(self._lookup_key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _create_key(path: Path, *, replace: bool = False) -> None:
    """A new random key at ``path``, mode 0600 from the first byte, written whole or not at all."""
    temporary = write_temporary(path, os.urandom(KEY_BYTES), 0o600)
    try:
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # never over a key another process made meanwhile
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    sync_folder(path.parent)
    log.info("created a new store key at %s", path)


def _sealed_entries_beside(key_path: Path) -> bool:
    """Whether the kiosk database next to the key holds any sealed value (outbox or response cache)."""
    from offline_cache.store import DEFAULT_FILENAME

    database = key_path.parent / DEFAULT_FILENAME
    if not database.exists():
        return False
    try:
        conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True  # cannot tell: do not risk making sealed entries unreadable
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return any(conn.execute(f"SELECT 1 FROM {table} WHERE sealed = 1 LIMIT 1").fetchone()
                   for table in ("outbox", "responses") if table in tables)
    except sqlite3.Error:
        return True
    finally:
        conn.close()

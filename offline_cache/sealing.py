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
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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
    def from_key_file(cls, path: Path | str) -> Sealer:
        """Load the key from ``path``, creating it (mode 0600) if it does not exist.

        A key file that group or others may read or write is refused with :class:`SealingError`.
        """
        path = Path(path)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(KEY_BYTES))
                handle.flush()
                os.fsync(handle.fileno())
            log.info("created a new store key at %s", path)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SealingError(
                f"{path}: key file mode is {mode:04o}; expected 0600 (owner only) — run: chmod 600 {path}"
            )
        key = path.read_bytes()
        if len(key) != KEY_BYTES:
            raise SealingError(f"{path}: expected a {KEY_BYTES}-byte key file, found {len(key)} bytes")
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

"""Salted scrypt hashes of a secret (the technician PIN; fleet console passwords of earlier gateways).

One form, ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``: the cost travels with the hash, so it can
be raised later without invalidating hashes already stored. A stored hash is not trusted to name
its own cost: :class:`ScryptLimits` bounds what a reader of hashes is willing to pay, and a hash
asking for more is refused as damaged rather than run, so a tampered file or row cannot stall the
kiosk or the gateway. Comparisons take constant time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scrypt"
_MAXMEM_SLACK = 16 * 1024 * 1024


@dataclass(frozen=True)
class ScryptLimits:
    """The most a stored hash may ask for, and the sizes its salt and hash may have."""

    max_n: int = 2**20
    max_r: int = 32
    max_p: int = 16
    salt_bytes: tuple[int, int] = (8, 1024)
    key_bytes: tuple[int, int] = (16, 1024)


@dataclass(frozen=True)
class ScryptHash:
    """A parsed ``scrypt$…`` string."""

    n: int
    r: int
    p: int
    salt: bytes
    key: bytes

    @classmethod
    def make(cls, secret: str, *, n: int, r: int, p: int, salt: bytes | None = None,
             salt_bytes: int = 16, key_bytes: int = 32) -> ScryptHash:
        """A new hash of ``secret`` with a fresh random salt (or the one given)."""
        salt = salt if salt is not None else secrets.token_bytes(salt_bytes)
        return cls(n, r, p, salt, derive(secret, salt, n, r, p, key_bytes))

    @classmethod
    def parse(cls, text: str, limits: ScryptLimits = ScryptLimits(), *, made_by: str = "") -> ScryptHash:
        """Read a stored hash; raises ``ValueError`` saying what form or bound was expected.

        ``made_by`` names what makes such hashes, for the message (e.g. a command).
        """
        expected = f"expected {SCHEME}$n$r$p$salt$hash" + (f" as made by {made_by}" if made_by else "")
        parts = text.strip().split("$") if isinstance(text, str) else []
        if len(parts) != 6 or parts[0] != SCHEME:
            raise ValueError(expected)
        try:
            n, r, p = (int(part) for part in parts[1:4])
            salt = base64.b64decode(parts[4], validate=True)
            key = base64.b64decode(parts[5], validate=True)
        except (ValueError, binascii.Error):
            raise ValueError(expected) from None
        if n < 2 or n & (n - 1) or n > limits.max_n or not 1 <= r <= limits.max_r or not 1 <= p <= limits.max_p:
            raise ValueError(f"scrypt parameters out of range (n a power of two up to {limits.max_n}, "
                             f"r up to {limits.max_r}, p up to {limits.max_p})")
        (least_salt, most_salt), (least_key, most_key) = limits.salt_bytes, limits.key_bytes
        if not least_salt <= len(salt) <= most_salt or not least_key <= len(key) <= most_key:
            raise ValueError(f"salt or hash of a size not made here ({len(salt)} and {len(key)} bytes); "
                             f"{'make a new one with ' + made_by if made_by else 'make a new one'}")
        return cls(n, r, p, salt, key)

    def matches(self, secret: str) -> bool:
        """Whether ``secret`` gives this hash; compared in constant time."""
        return hmac.compare_digest(derive(secret, self.salt, self.n, self.r, self.p, len(self.key)), self.key)

    def __str__(self) -> str:
        b64 = base64.b64encode
        return f"{SCHEME}${self.n}${self.r}${self.p}${b64(self.salt).decode()}${b64(self.key).decode()}"


def derive(secret: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    """The scrypt key of ``secret`` (memory allowed: what n, r and p need, and a little more)."""
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * n * p + _MAXMEM_SLACK)


def looks_like_scrypt_hash(text: str) -> bool:
    """Whether ``text`` has the outline of a stored scrypt hash (not whether it is sound)."""
    return text.startswith(SCHEME + "$") and text.count("$") == 5

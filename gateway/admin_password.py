"""The fleet console password as stored: an Argon2id hash, with bounded cost read back from the database.

``argon2.PasswordHasher`` makes and checks the hash. A hash carries its own cost parameters, and
the database is not a trusted source of them: a hash asking for gigabytes of memory or thousands
of passes is refused as damaged rather than run, so a tampered row cannot stall the gateway on
every login. Hashes made by earlier gateways (``scrypt$N$r$p$salt$hash``) still verify, within
the same kind of bounds, and the console login then stores an Argon2id hash in their place
(:func:`needs_rehash`); so does an Argon2 hash made with weaker settings than today's.
"""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type

from contract.scrypt_hash import ScryptHash, ScryptLimits

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's RFC 9106 "low memory" profile (64 MiB, t=3)

# The most any stored hash may ask for (well above what this gateway writes, far below a stall).
MAX_MEMORY_KIB = 256 * 1024
MAX_TIME_COST = 10
MAX_PARALLELISM = 8
# what an earlier gateway's console hash may ask for (read back from the database, so bounded)
_LEGACY_LIMITS = ScryptLimits(max_n=2**17, max_r=16, max_p=4, salt_bytes=(8, 64), key_bytes=(16, 64))


def hash_password(password: str) -> str:
    """The Argon2id hash (``$argon2id$v=19$m=…,t=…,p=…$salt$hash``) of ``password``."""
    return _hasher.hash(password)


def is_hash(text: str) -> bool:
    """Whether ``text`` looks like a stored hash (Argon2 or legacy scrypt) rather than a password."""
    return text.startswith("$argon2") or (text.startswith("scrypt$") and text.count("$") == 5)


def within_bounds(stored: str) -> bool:
    """Whether the cost a stored hash asks for is one this gateway is willing to pay."""
    if stored.startswith("scrypt$"):
        return _legacy(stored) is not None
    try:
        params = extract_parameters(stored)
    except (InvalidHashError, ValueError):
        return False
    return (params.type == Type.ID and params.memory_cost <= MAX_MEMORY_KIB
            and params.time_cost <= MAX_TIME_COST and params.parallelism <= MAX_PARALLELISM)


def check_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches ``stored``; a missing, damaged or too costly hash matches nothing."""
    if not stored or not within_bounds(stored):
        return False
    if stored.startswith("scrypt$"):
        return _check_scrypt(password, stored)
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash that just verified should be replaced by a fresh Argon2id one (old scheme or settings)."""
    if stored.startswith("scrypt$"):
        return True
    try:
        return _hasher.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def _legacy(stored: str) -> ScryptHash | None:
    try:
        return ScryptHash.parse(stored, _LEGACY_LIMITS)
    except ValueError:
        return None


def _check_scrypt(password: str, stored: str) -> bool:
    legacy = _legacy(stored)
    if legacy is None:
        return False
    try:
        return legacy.matches(password)
    except (ValueError, MemoryError):
        return False

"""Signing keys for configuration bundles: public keys as pinned text, key ids, the kiosk's key ring,
and the admins' private key files (PKCS#8 PEM, encrypted with a passphrase by default).

A key id is the first 16 hex digits of SHA-256 over the raw 32-byte public key; bundle headers,
logs and the fleet console name keys by it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from config.errors import ConfigError


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text(key: Ed25519PublicKey) -> str:
    """The base64 form that goes into ``security.trusted_keys``."""
    return base64.b64encode(public_key_bytes(key)).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint naming the key in bundle headers, logs and the console."""
    return hashlib.sha256(public_key_bytes(key)).hexdigest()[:16]


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key from its base64 text; raises ``ValueError`` saying what was expected."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("expected a base64 Ed25519 public key (as printed by `kiosk-admin keygen`)") from None
    if len(raw) != 32:
        raise ValueError(f"expected 32 bytes of Ed25519 public key in base64, got {len(raw)} bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


class KeyRing:
    """The public keys a kiosk (or an admin) trusts, found by key id."""

    def __init__(self, keys: Iterable[Ed25519PublicKey] = ()) -> None:
        self._keys = {key_id(key): key for key in keys}

    @classmethod
    def from_text(cls, texts: Iterable[str], source: str = "security.trusted_keys") -> KeyRing:
        """Parse base64 keys; a bad one raises :class:`ConfigError` naming its position."""
        keys, problems = [], []
        for index, text in enumerate(texts):
            try:
                keys.append(parse_public_key(text))
            except ValueError as exc:
                problems.append(f"{source}[{index}] = {text!r}: {exc}")
        if problems:
            raise ConfigError(source, problems)
        return cls(keys)

    def get(self, kid: str) -> Ed25519PublicKey | None:
        return self._keys.get(kid)

    def ids(self) -> list[str]:
        return sorted(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


ENCRYPTED_PEM = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def private_key_pem(key: Ed25519PrivateKey, passphrase: bytes | None = None) -> bytes:
    """The key as PKCS#8 PEM, encrypted with ``passphrase`` (the library's best scheme) when given."""
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def private_key_is_encrypted(path: Path) -> bool:
    """Whether the key file at ``path`` needs a passphrase (False when it cannot be read: loading says why)."""
    try:
        return ENCRYPTED_PEM in Path(path).read_bytes()[:200]
    except OSError:
        return False


def load_private_key(path: Path, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Read a private key file written by ``kiosk-admin keygen``; raises :class:`ConfigError`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(path, [f"cannot read the private key: {exc.strerror or exc}"]) from None
    encrypted = ENCRYPTED_PEM in data
    if encrypted and not passphrase:
        raise ConfigError(path, ["the private key is encrypted: its passphrase is needed"])
    try:
        key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except (ValueError, TypeError) as exc:
        if encrypted:
            raise ConfigError(path, ["wrong passphrase for the private key (or a damaged key file)"]) from None
        raise ConfigError(path, [f"not a PEM private key ({exc})"]) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(path, ["expected an Ed25519 private key (made by `kiosk-admin keygen`)"])
    return key



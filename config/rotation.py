"""Signed key rotation: the way out of a version floor that a wrong bundle pushed too high.

A kiosk refuses every bundle whose version is not above the highest it has ever accepted (the
*version floor*). One bundle at version 2^53−1, or a typo of a few zeros, would fix that floor for
good. A key rotation lowers it again, the way TUF rotates its root: a small signed document in
which the key that owns the floor (the key that signed the bundle that set it) names its
successor and the new floor::

    {
     "format": "xm-kiosk-key-rotation",
     "rotation": {"format_version": 1, "from_key_id": "3f9a0c…", "new_key": "<base64 public key>",
                  "new_key_id": "9be41d…", "version_floor": 40,
                  "issued_at": "2026-11-20T08:00:00Z", "expires_at": "2026-12-20T08:00:00Z",
                  "groups": ["*"]},
     "signature": "<base64 Ed25519 signature by the from key>"
    }

The signature covers ``ROTATION_CONTEXT`` followed by the canonical bytes of ``format`` and
``rotation`` (as for bundles). A kiosk accepts a rotation (``kiosk config apply ROTATION``) when:

- it is signed by the key that owns the kiosk's floor (remembered even after that key is
  un-pinned from ``security.trusted_keys``), and is for this kiosk's group and within its dates;
- the new key is pinned in ``security.trusted_keys`` (pin it first; the local file stays the
  only place that grants trust).

Then the floor becomes ``version_floor``, the new key owns it, and the old key is *retired*:
bundles signed by it are refused from then on (``retired_key``), so no old bundle of the old key
can be replayed below the old floor, and the same rotation cannot be applied twice. Make it with
``kiosk-admin rotate``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from config.bundle import (
    ALL_GROUPS,
    CLOCK_SKEW,
    GROUP_PATTERN,
    MAX_CONFIG_VERSION,
    BundleRefused,
    Reason,
    canonical_bytes,
    format_time,
)
from config.bundle_format import parse_time
from config.signing_keys import key_id, parse_public_key, public_key_text

FORMAT = "xm-kiosk-key-rotation"
FORMAT_VERSION = 1
ROTATION_CONTEXT = b"xm-kiosk-key-rotation/1\n"
MAX_SIZE = 16 * 1024
_FIELDS = {"format_version", "from_key_id", "new_key", "new_key_id", "version_floor", "issued_at", "expires_at",
           "groups"}


@dataclass(frozen=True)
class Rotation:
    """What a rotation says (signed or not)."""

    from_key_id: str
    new_key: str  # base64 public key
    version_floor: int
    issued_at: datetime
    expires_at: datetime
    groups: tuple[str, ...] = (ALL_GROUPS,)
    signature: bytes | None = None

    @property
    def new_key_id(self) -> str:
        return key_id(parse_public_key(self.new_key))

    def as_json(self) -> dict[str, Any]:
        return {"format_version": FORMAT_VERSION, "from_key_id": self.from_key_id, "new_key": self.new_key,
                "new_key_id": self.new_key_id, "version_floor": self.version_floor,
                "issued_at": format_time(self.issued_at), "expires_at": format_time(self.expires_at),
                "groups": list(self.groups)}

    def signed_bytes(self) -> bytes:
        return ROTATION_CONTEXT + canonical_bytes({"format": FORMAT, "rotation": self.as_json()})

    def signed_with(self, private_key: Ed25519PrivateKey) -> Rotation:
        if key_id(private_key.public_key()) != self.from_key_id:
            raise ValueError("a rotation is signed by the key it rotates away from")
        return replace(self, signature=private_key.sign(self.signed_bytes()))

    def to_bytes(self) -> bytes:
        document = {"format": FORMAT, "rotation": self.as_json(),
                    "signature": base64.b64encode(self.signature).decode("ascii") if self.signature else None}
        return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def targets(self, group: str) -> bool:
        return ALL_GROUPS in self.groups or group in self.groups


def make(old_key: Ed25519PrivateKey, new_key: Ed25519PublicKey, version_floor: int, issued_at: datetime,
         expires_at: datetime, groups: tuple[str, ...] = (ALL_GROUPS,)) -> Rotation:
    """A rotation from ``old_key`` to ``new_key`` with the floor at ``version_floor``, signed."""
    if not 0 <= version_floor <= MAX_CONFIG_VERSION:
        raise ValueError(f"the version floor must be from 0 to {MAX_CONFIG_VERSION}, got {version_floor}")
    if key_id(old_key.public_key()) == key_id(new_key):
        raise ValueError("the new key must differ from the old one")
    rotation = Rotation(key_id(old_key.public_key()), public_key_text(new_key), version_floor, issued_at,
                        expires_at, tuple(groups))
    return rotation.signed_with(old_key)


def is_rotation(data: bytes) -> bool:
    """Whether ``data`` claims to be a key rotation (nothing is checked yet)."""
    try:
        document = json.loads(data[:MAX_SIZE + 1].decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return isinstance(document, dict) and document.get("format") == FORMAT


def parse(data: bytes) -> Rotation:
    """Read a rotation without trusting it; :class:`BundleRefused` (malformed or oversized) when it is not one."""
    if len(data) > MAX_SIZE:
        raise BundleRefused(Reason.OVERSIZED, f"a key rotation is at most {MAX_SIZE} bytes, this is {len(data)}")

    def malformed(message: str) -> BundleRefused:
        return BundleRefused(Reason.MALFORMED, f"key rotation: {message}")

    try:
        document = json.loads(data.decode("utf-8"))
        canonical_bytes(document)
    except (ValueError, RecursionError, UnicodeError):
        raise malformed("not UTF-8 JSON text") from None
    if not isinstance(document, dict) or set(document) != {"format", "rotation", "signature"} \
            or document["format"] != FORMAT:
        raise malformed(f"expected an object with format {FORMAT!r}, rotation and signature")
    body = document["rotation"]
    if not isinstance(body, dict) or set(body) != _FIELDS or body["format_version"] != FORMAT_VERSION:
        raise malformed(f"rotation: expected exactly the fields {sorted(_FIELDS)} (format_version {FORMAT_VERSION})")
    floor, groups = body["version_floor"], body["groups"]
    if not isinstance(floor, int) or isinstance(floor, bool) or not 0 <= floor <= MAX_CONFIG_VERSION:
        raise malformed(f"rotation.version_floor: expected a whole number from 0, got {floor!r}")
    if not isinstance(groups, list) or not groups or not all(
            isinstance(g, str) and (g == ALL_GROUPS or GROUP_PATTERN.match(g)) for g in groups):
        raise malformed('rotation.groups: expected a non-empty list of groups or ["*"]')
    try:
        new_key = parse_public_key(body["new_key"]) if isinstance(body["new_key"], str) else None
        issued, expires = parse_time(body["issued_at"], "issued_at"), parse_time(body["expires_at"], "expires_at")
    except ValueError as exc:
        raise malformed(str(exc)) from None
    if new_key is None or key_id(new_key) != body["new_key_id"]:
        raise malformed("rotation.new_key_id does not name rotation.new_key")
    if not isinstance(body["from_key_id"], str) or body["from_key_id"] == body["new_key_id"]:
        raise malformed("rotation.from_key_id: expected the id of another key than the new one")
    try:
        signature = base64.b64decode(document["signature"], validate=True) \
            if isinstance(document["signature"], str) else b""
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:
        raise malformed("signature: expected a base64 Ed25519 signature (64 bytes)")
    return Rotation(body["from_key_id"], public_key_text(new_key), floor, issued, expires, tuple(groups), signature)


def verify(data: bytes, owner: Ed25519PublicKey | None, group: str, now: datetime) -> Rotation:
    """A rotation this kiosk may apply: signed by ``owner`` (the key owning its floor), for ``group``, in date.

    Whether the new key is pinned is the caller's check (it knows the pinned keys).
    """
    rotation = parse(data)
    if owner is None or key_id(owner) != rotation.from_key_id:
        raise BundleRefused(Reason.UNKNOWN_KEY, f"the rotation is signed by key {rotation.from_key_id}, which does "
                                                f"not own this kiosk's version floor"
                                                f"{f' (key {key_id(owner)} does)' if owner else ''}")
    try:
        owner.verify(rotation.signature or b"", rotation.signed_bytes())
    except InvalidSignature:
        raise BundleRefused(Reason.BAD_SIGNATURE, "the rotation's signature does not match its content") from None
    if not rotation.targets(group):
        raise BundleRefused(Reason.WRONG_GROUP, f"the rotation is for group(s) {', '.join(rotation.groups)}")
    if rotation.issued_at > now + CLOCK_SKEW:
        raise BundleRefused(Reason.NOT_YET_VALID, f"the rotation is issued at {format_time(rotation.issued_at)}, "
                                                  f"after this kiosk's clock")
    if now >= rotation.expires_at:
        raise BundleRefused(Reason.EXPIRED, f"the rotation expired at {format_time(rotation.expires_at)}")
    return rotation

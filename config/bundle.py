"""What a kiosk checks before it installs a signed configuration bundle, and the bundle it then holds.

The checks, in order: size, format, signature by a pinned key, target group, validity window,
version above the one installed, and the schema of every file (:func:`verify`). A kiosk pins
several public keys (``security.trusted_keys``), so keys can be rotated: a bundle signed by any
pinned key is accepted.

The one-file format, building, parsing and signing are :mod:`config.bundle_format`; this module
also offers their names, and the key helpers of :mod:`config.signing_keys`, so that one import
serves whoever handles bundles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature

from config.bundle_format import (  # noqa: F401 (the format is part of this module's interface)
    ALL_GROUPS,
    FORMAT,
    FORMAT_VERSION,
    GROUP_PATTERN,
    MAX_CONFIG_VERSION,
    SIGNING_CONTEXT,
    Bundle,
    BundleHeader,
    BundleRefused,
    Reason,
    build,
    canonical_bytes,
    format_time,
    parse,
    read_folder,
    signed_bytes,
)
from config.errors import ConfigError
from config.remote import RemoteConfig, parse_bundle_files
from config.signing_keys import (  # noqa: F401 (the key helpers are part of this module's interface)
    ENCRYPTED_PEM,
    KeyRing,
    key_id,
    load_private_key,
    parse_public_key,
    private_key_is_encrypted,
    private_key_pem,
    public_key_bytes,
    public_key_text,
)

DEFAULT_MAX_SIZE = 2 * 1024 * 1024
CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future ``issued_at`` may lie before a kiosk says the bundle is not yet valid."""


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle whose signature, target and schema were checked; ``raw`` are the exact bytes received."""

    header: BundleHeader
    files: Mapping[str, str]
    config: RemoteConfig
    raw: bytes

    @property
    def version(self) -> int:
        return self.header.config_version

    @property
    def digest(self) -> str:
        """SHA-256 of the file, to tell two copies apart in logs and the heartbeat."""
        return hashlib.sha256(self.raw).hexdigest()


def read_bundle_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """The bytes of a bundle file, reading no more than ``max_size + 1`` of them.

    Raises :class:`BundleRefused` (oversized) for a larger file, without reading it whole, and
    ``OSError`` when it cannot be read.
    """
    with Path(path).open("rb") as handle:
        data = handle.read(max_size + 1)
    if len(data) > max_size:
        raise BundleRefused(Reason.OVERSIZED, f"{Path(path).name} is larger than the {max_size} bytes allowed")
    return data


def check_signature(data: bytes, trusted: KeyRing | Iterable[str], max_size: int = DEFAULT_MAX_SIZE) -> Bundle:
    """Size, format and signature by a trusted key; nothing about time, group or version."""
    if len(data) > max_size:
        raise BundleRefused(Reason.OVERSIZED, f"the bundle is {len(data)} bytes, more than the {max_size} allowed")
    bundle = parse(data)
    ring = trusted if isinstance(trusted, KeyRing) else KeyRing.from_text(trusted)
    if bundle.signature is None or bundle.header.key_id is None:
        raise BundleRefused(Reason.BAD_SIGNATURE, "the bundle is not signed (run `kiosk-admin bundle sign`)")
    key = ring.get(bundle.header.key_id)
    if key is None:
        raise BundleRefused(Reason.UNKNOWN_KEY, f"signed with key {bundle.header.key_id}, which this kiosk does "
                                                f"not trust (trusted: {', '.join(ring.ids()) or 'none'})")
    try:
        key.verify(bundle.signature, signed_bytes(bundle.header, bundle.files))
    except InvalidSignature:
        raise BundleRefused(Reason.BAD_SIGNATURE, f"the signature does not match the content for key "
                                                  f"{bundle.header.key_id}: the bundle was changed after "
                                                  f"signing or signed with another key") from None
    return bundle


def check_schema(bundle: Bundle, raw: bytes) -> VerifiedBundle:
    """Validate the files of an authentic bundle; raises :class:`BundleRefused` (schema_invalid)."""
    try:
        config = parse_bundle_files(bundle.files, source=f"bundle version {bundle.header.config_version}")
    except ConfigError as exc:
        raise BundleRefused(Reason.SCHEMA_INVALID, "; ".join(exc.problems),
                            bundle.header.config_version) from None
    return VerifiedBundle(bundle.header, dict(bundle.files), config, raw)


def verify(bundle_bytes: bytes, trusted_keys: KeyRing | Iterable[str], installed_version: int,
           kiosk_group: str | None, now: datetime, max_size: int = DEFAULT_MAX_SIZE) -> VerifiedBundle:
    """Everything a kiosk checks before it may install a bundle.

    Checks, in this order: size, format, signature by a pinned key, target group (skipped when
    ``kiosk_group`` is None, as an admin checking a bundle does), validity window at ``now``
    (an aware datetime), version above ``installed_version``, and the schema of every file.
    Returns the verified bundle or raises :class:`BundleRefused`; a bad entry in ``trusted_keys``
    raises :class:`ConfigError` because it is the kiosk's own configuration that is wrong.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    bundle = check_signature(bundle_bytes, trusted_keys, max_size)
    header = bundle.header
    version = header.config_version
    if kiosk_group is not None and not header.targets(kiosk_group):
        raise BundleRefused(Reason.WRONG_GROUP, f"version {version} is for group(s) {', '.join(header.groups)}; "
                                                f"this kiosk is in group {kiosk_group}", version)
    if header.issued_at > now + CLOCK_SKEW:
        raise BundleRefused(Reason.NOT_YET_VALID, f"version {version} is issued at {format_time(header.issued_at)}, "
                                                  f"after this kiosk's clock ({format_time(now)}); check the clock",
                            version)
    if now >= header.expires_at:
        raise BundleRefused(Reason.EXPIRED, f"version {version} expired at {format_time(header.expires_at)} "
                                            f"(now {format_time(now)})", version)
    if version <= installed_version:
        raise BundleRefused(Reason.NOT_NEWER, f"version {version} is not newer than version {installed_version} "
                                              f"already accepted here", version)
    return check_schema(bundle, bundle_bytes)

"""Signed configuration bundles: their one-file format, reading and writing it, and signing it.

A bundle is one UTF-8 JSON file::

    {
     "format": "xm-kiosk-bundle",
     "header": {"format_version": 1, "config_version": 7,
                "issued_at": "2026-11-20T08:00:00Z", "expires_at": "2026-12-20T08:00:00Z",
                "groups": ["canary"], "key_id": "3f9a0c…"},
     "files": {"announcements.toml": "<TOML text>", "settings.toml": "<TOML text>"},
     "signature": "<base64 Ed25519 signature>"
    }

The signature covers ``SIGNING_CONTEXT`` followed by the *canonical bytes* of ``format``,
``header`` and ``files``: JSON with sorted keys, no whitespace, UTF-8 without escapes. Because the
kiosk recomputes those bytes from what it parsed, the file's own layout (indentation, key order)
does not matter, and nothing outside the signed part can change what the kiosk applies. The
header's ``key_id`` (the first 16 hex digits of SHA-256 over the raw public key) is itself signed,
so a signature cannot be passed off as another key's.

``config_version`` is a monotonic integer chosen by the admins; a kiosk refuses any bundle whose
version is not above the highest it has ever accepted. ``groups`` lists the roll-out groups the
bundle is meant for, or ``["*"]`` for every kiosk.

What a kiosk checks before it installs a bundle is :mod:`config.bundle`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.errors import ConfigError
from config.remote import BUNDLE_FILES, RemoteConfig, parse_bundle_files
from config.signing_keys import key_id

FORMAT = "xm-kiosk-bundle"
FORMAT_VERSION = 1
SIGNING_CONTEXT = b"xm-kiosk-bundle/1\n"
"""Prefixed to the signed bytes so a bundle signature can never be mistaken for another kind."""

MAX_CONFIG_VERSION = 2**53 - 1  # still exact in every JSON parser

ALL_GROUPS = "*"
GROUP_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")  # same rule as kiosk.group in the local file
_KEY_ID_PATTERN = re.compile(r"^[0-9a-f]{16}$")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Reason(StrEnum):
    """Why a kiosk refused a bundle; stable codes for logs, the heartbeat and the fleet console."""

    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    NOT_NEWER = "not_newer"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    WRONG_GROUP = "wrong_group"
    MALFORMED = "malformed"
    OVERSIZED = "oversized"
    SCHEMA_INVALID = "schema_invalid"
    RETIRED_KEY = "retired_key"  # signed by a key a signed key rotation has since retired


class BundleRefused(Exception):
    """A bundle was not accepted. ``reason`` is a :class:`Reason`, ``message`` says why in plain words.

    ``version`` is the bundle's config version when it could be read (it is only trustworthy for
    refusals that come after the signature check). ``offered_version`` is the version its sender
    said the file is (a fetch refused unread names it from the gateway's header), None when unsaid.
    """

    offered_version: int | None = None

    def __init__(self, reason: Reason, message: str, version: int | None = None) -> None:
        self.reason = Reason(reason)
        self.message = message
        self.version = version
        super().__init__(f"{self.reason}: {message}")


# -- the format --------------------------------------------------------------------------------

def format_time(moment: datetime) -> str:
    """An aware datetime as the header writes it: UTC, whole seconds, ``Z``."""
    if moment.tzinfo is None:
        raise ValueError("expected an aware datetime")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: object, field: str) -> datetime:
    """A header time (``2026-11-20T08:00:00Z``) as an aware datetime; ``ValueError`` names ``field``."""
    if not isinstance(text, str):
        raise ValueError(f"header.{field}: expected a time like 2026-11-20T08:00:00Z, got {text!r}")
    try:
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"header.{field}: expected a time like 2026-11-20T08:00:00Z, got {text!r}") from None


@dataclass(frozen=True)
class BundleHeader:
    """The signed facts about a bundle other than its files."""

    config_version: int
    issued_at: datetime
    expires_at: datetime
    groups: tuple[str, ...]
    key_id: str | None = None
    format_version: int = FORMAT_VERSION

    def as_json(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "config_version": self.config_version,
            "issued_at": format_time(self.issued_at),
            "expires_at": format_time(self.expires_at),
            "groups": list(self.groups),
            "key_id": self.key_id,
        }

    @classmethod
    def from_json(cls, data: object) -> BundleHeader:
        """Read a header; raises ``ValueError`` naming the field that is wrong."""
        if not isinstance(data, dict):
            raise ValueError("header: expected an object")
        expected = {"format_version", "config_version", "issued_at", "expires_at", "groups", "key_id"}
        if set(data) != expected:
            missing, extra = sorted(expected - set(data)), sorted(set(data) - expected)
            raise ValueError(f"header: expected exactly the fields {sorted(expected)}"
                             f"{f', missing {missing}' if missing else ''}{f', unknown {extra}' if extra else ''}")
        if data["format_version"] != FORMAT_VERSION or isinstance(data["format_version"], bool):
            raise ValueError(f"header.format_version: this kiosk reads format {FORMAT_VERSION}, "
                             f"got {data['format_version']!r} (update the kiosk software first)")
        version = data["config_version"]
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_CONFIG_VERSION:
            raise ValueError(f"header.config_version: expected a whole number from 1, got {version!r}")
        issued, expires = parse_time(data["issued_at"], "issued_at"), parse_time(data["expires_at"], "expires_at")
        if expires <= issued:
            raise ValueError("header.expires_at: expected a time after issued_at")
        groups = data["groups"]
        if not isinstance(groups, list) or not groups:
            raise ValueError(f'header.groups: expected a non-empty list of groups or ["*"], got {groups!r}')
        for group in groups:
            if not isinstance(group, str) or not (group == ALL_GROUPS or GROUP_PATTERN.match(group)):
                raise ValueError(f"header.groups: expected group names like 'canary' or '*', got {group!r}")
        if len(set(groups)) != len(groups):
            raise ValueError("header.groups: a group is listed twice")
        kid = data["key_id"]
        if kid is not None and not (isinstance(kid, str) and _KEY_ID_PATTERN.match(kid)):
            raise ValueError(f"header.key_id: expected 16 hex digits or null, got {kid!r}")
        return cls(version, issued, expires, tuple(groups), kid)

    def targets(self, group: str) -> bool:
        return ALL_GROUPS in self.groups or group in self.groups


def canonical_bytes(value: Any) -> bytes:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8 without escapes, no floats' surprises."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def signed_bytes(header: BundleHeader, files: Mapping[str, str]) -> bytes:
    """Exactly the bytes an Ed25519 signature of this bundle covers."""
    return SIGNING_CONTEXT + canonical_bytes({"format": FORMAT, "header": header.as_json(), "files": dict(files)})


def read_folder(folder: Path) -> dict[str, str]:
    """The bundle files in ``folder`` (its ``*.toml`` files; other files such as a README are ignored).

    Raises :class:`ConfigError` for a missing folder, an unknown TOML file name or unreadable text.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(folder, ["not a folder of configuration files"])
    files, problems = {}, []
    for path in sorted(folder.glob("*.toml")):
        if path.name not in BUNDLE_FILES:
            problems.append(f"{path.name}: not a bundle file (expected one of {', '.join(BUNDLE_FILES)})")
            continue
        try:
            files[path.name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: cannot read as UTF-8 text: {exc}")
    if problems:
        raise ConfigError(folder, problems)
    if not files:
        raise ConfigError(folder, [f"no bundle files found (expected some of {', '.join(BUNDLE_FILES)})"])
    return files


@dataclass(frozen=True)
class Bundle:
    """A bundle document in memory, signed or not."""

    header: BundleHeader
    files: Mapping[str, str]
    signature: bytes | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "header": self.header.as_json(),
            "files": dict(self.files),
            "signature": base64.b64encode(self.signature).decode("ascii") if self.signature else None,
        }

    def to_bytes(self) -> bytes:
        """The file on disk: readable JSON (the signature does not depend on this layout)."""
        return (json.dumps(self.as_json(), sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def signed_with(self, private_key: Ed25519PrivateKey) -> Bundle:
        """This bundle signed by ``private_key`` (its key id goes into the header; an old signature is replaced)."""
        header = BundleHeader(self.header.config_version, self.header.issued_at, self.header.expires_at,
                              self.header.groups, key_id(private_key.public_key()))
        return Bundle(header, dict(self.files), private_key.sign(signed_bytes(header, self.files)))


def build(files: Mapping[str, str], *, version: int, issued_at: datetime, expires_at: datetime,
          groups: Iterable[str]) -> tuple[Bundle, RemoteConfig]:
    """An unsigned bundle of ``files``, after validating them against the schema.

    Raises :class:`ConfigError` if a file fails validation or the header values are wrong.
    """
    config = parse_bundle_files(files, source="bundle files")
    header_json = {"format_version": FORMAT_VERSION, "config_version": version,
                   "issued_at": format_time(issued_at), "expires_at": format_time(expires_at),
                   "groups": list(groups), "key_id": None}
    try:
        header = BundleHeader.from_json(header_json)
    except ValueError as exc:
        raise ConfigError("bundle header", [str(exc)]) from None
    return Bundle(header, dict(files)), config


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # two values for one key would let a reader and a signer see different bundles
            raise ValueError(f"key {key!r} appears twice")
        result[key] = value
    return result


def parse(data: bytes) -> Bundle:
    """Read a bundle file without trusting it; raises :class:`BundleRefused` (malformed)."""
    def malformed(message: str) -> BundleRefused:
        return BundleRefused(Reason.MALFORMED, message)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise malformed("not UTF-8 text") from None
    try:
        document = json.loads(text, object_pairs_hook=_reject_duplicates)
    except RecursionError:
        raise malformed("JSON nested far too deeply (a bundle nests three levels)") from None
    except ValueError as exc:
        raise malformed(f"not a JSON bundle: {exc}") from None
    try:
        canonical_bytes(document)
    except RecursionError:
        raise malformed("JSON nested far too deeply (a bundle nests three levels)") from None
    except UnicodeEncodeError as exc:
        # a lone surrogate escape (\ud800) parses as JSON but is no UTF-8 text: nothing to sign or apply
        raise malformed(f"text with an unpaired surrogate escape (\\u{ord(exc.object[exc.start]):04x}) "
                        f"is not valid Unicode") from None
    if not isinstance(document, dict):
        raise malformed("expected a JSON object")
    if document.get("format") != FORMAT:
        raise malformed(f"not a kiosk configuration bundle (format {document.get('format')!r})")
    expected = {"format", "header", "files", "signature"}
    if set(document) != expected:
        raise malformed(f"expected exactly the fields {sorted(expected)}, got {sorted(document)}")
    try:
        header = BundleHeader.from_json(document["header"])
    except ValueError as exc:
        raise malformed(str(exc)) from None
    files = document["files"]
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise malformed("files: expected an object of file name → text")
    signature = document["signature"]
    if signature is None:
        return Bundle(header, files)
    try:
        raw = base64.b64decode(signature, validate=True) if isinstance(signature, str) else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 64:
        raise malformed("signature: expected a base64 Ed25519 signature (64 bytes) or null")
    return Bundle(header, files, raw)

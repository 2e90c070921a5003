"""Signed bundles: format, canonical bytes, and every reason a kiosk refuses one."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.bundle import (
    Bundle,
    BundleRefused,
    KeyRing,
    Reason,
    build,
    canonical_bytes,
    check_signature,
    key_id,
    load_private_key,
    parse,
    private_key_is_encrypted,
    private_key_pem,
    public_key_text,
    verify,
)
from config.errors import ConfigError

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SETTINGS = 'theme = "high-contrast"\n[timeouts]\nidle_timeout_s = 90\n'
ANNOUNCEMENT = """[[announcements]]
id = "hello"
text_zh = "欢迎"
text_en = "Welcome"
from = 2026-11-01T00:00:00+08:00
until = 2026-12-01T00:00:00+08:00
"""

FIRST_KEY = Ed25519PrivateKey.generate()
SECOND_KEY = Ed25519PrivateKey.generate()
STRANGER = Ed25519PrivateKey.generate()
TRUSTED = [public_key_text(FIRST_KEY.public_key()), public_key_text(SECOND_KEY.public_key())]


def unsigned(version: int = 5, groups: tuple[str, ...] = ("canary",), files: dict[str, str] | None = None,
             issued: datetime = NOW - timedelta(hours=1), days: float = 30) -> Bundle:
    bundle, _ = build(files if files is not None else {"settings.toml": SETTINGS}, version=version,
                      issued_at=issued, expires_at=issued + timedelta(days=days), groups=groups)
    return bundle


def signed(key: Ed25519PrivateKey = FIRST_KEY, **kwargs) -> bytes:
    return unsigned(**kwargs).signed_with(key).to_bytes()


def refusal(data: bytes, installed: int = 4, group: str = "canary", now: datetime = NOW,
            max_size: int = 1 << 20) -> BundleRefused:
    with pytest.raises(BundleRefused) as caught:
        verify(data, TRUSTED, installed, group, now, max_size)
    return caught.value


def test_a_signed_bundle_is_accepted_with_its_configuration():
    verified = verify(signed(), TRUSTED, 4, "canary", NOW)
    assert verified.version == 5
    assert verified.header.key_id == key_id(FIRST_KEY.public_key())
    assert verified.config.theme == "high-contrast" and verified.config.timeouts.idle_timeout_s == 90
    assert verified.config.catalogue is None  # not carried: the kiosk keeps its default
    assert len(verified.digest) == 64


def test_key_rotation_a_bundle_signed_by_the_second_pinned_key_is_accepted():
    assert verify(signed(SECOND_KEY), TRUSTED, 4, "canary", NOW).header.key_id == key_id(SECOND_KEY.public_key())


def test_every_group_star_reaches_any_group():
    assert verify(signed(groups=("*",)), TRUSTED, 0, "hall-2f", NOW).version == 5


def test_the_file_layout_does_not_matter_only_the_signed_content():
    document = json.loads(signed())
    compact = json.dumps(document, separators=(",", ":"), ensure_ascii=True).encode()
    assert verify(compact, TRUSTED, 4, "canary", NOW).config.theme == "high-contrast"


def test_canonical_bytes_are_sorted_compact_utf8():
    assert canonical_bytes({"b": "厦门", "a": [1, 2]}) == '{"a":[1,2],"b":"厦门"}'.encode()


def test_wrong_signature_content_changed_after_signing():
    document = json.loads(signed())
    document["files"]["settings.toml"] = SETTINGS.replace("90", "600")
    assert refusal(json.dumps(document).encode()).reason is Reason.BAD_SIGNATURE


def test_wrong_signature_header_relabelled_with_another_trusted_key():
    document = json.loads(signed(STRANGER))
    document["header"]["key_id"] = key_id(SECOND_KEY.public_key())
    assert refusal(json.dumps(document).encode()).reason is Reason.BAD_SIGNATURE


def test_unsigned_bundle_is_refused_as_bad_signature():
    found = refusal(unsigned().to_bytes())
    assert found.reason is Reason.BAD_SIGNATURE and "not signed" in found.message


def test_unknown_key():
    found = refusal(signed(STRANGER))
    assert found.reason is Reason.UNKNOWN_KEY
    assert key_id(STRANGER.public_key()) in found.message


def test_no_trusted_keys_means_nothing_is_accepted():
    with pytest.raises(BundleRefused) as caught:
        verify(signed(), [], 0, "canary", NOW)
    assert caught.value.reason is Reason.UNKNOWN_KEY and "none" in caught.value.message


@pytest.mark.parametrize("installed", [5, 9])
def test_not_newer(installed: int):
    found = refusal(signed(version=5), installed=installed)
    assert found.reason is Reason.NOT_NEWER and found.version == 5


def test_expired():
    found = refusal(signed(days=1), now=NOW + timedelta(days=2))
    assert found.reason is Reason.EXPIRED and "2026-11-21T07:00:00Z" in found.message


def test_not_yet_valid_beyond_the_allowed_clock_skew():
    assert refusal(signed(issued=NOW + timedelta(hours=2))).reason is Reason.NOT_YET_VALID
    # a few minutes of clock difference between the admin's desk and the kiosk is tolerated
    assert verify(signed(issued=NOW + timedelta(minutes=2)), TRUSTED, 4, "canary", NOW).version == 5


def test_wrong_group():
    found = refusal(signed(groups=("canary",)), group="hall-2f")
    assert found.reason is Reason.WRONG_GROUP and "hall-2f" in found.message


def test_admin_verification_without_a_group_skips_the_group_check():
    assert verify(signed(groups=("canary",)), TRUSTED, 0, None, NOW).version == 5


@pytest.mark.parametrize("mangle", [
    lambda doc: b"\xff\xfe not text",
    lambda doc: b"{ not json",
    lambda doc: b"[1, 2, 3]",
    lambda doc: json.dumps({**doc, "format": "something-else"}).encode(),
    lambda doc: json.dumps({**doc, "extra": 1}).encode(),
    lambda doc: json.dumps({**doc, "header": {**doc["header"], "config_version": "7"}}).encode(),
    lambda doc: json.dumps({**doc, "header": {**doc["header"], "config_version": True}}).encode(),
    lambda doc: json.dumps({**doc, "header": {**doc["header"], "format_version": 2}}).encode(),
    lambda doc: json.dumps({**doc, "header": {**doc["header"], "expires_at": "next week"}}).encode(),
    lambda doc: json.dumps({**doc, "header": {**doc["header"], "groups": []}}).encode(),
    lambda doc: json.dumps({**doc, "header": {**doc["header"], "groups": ["Canary Group"]}}).encode(),
    lambda doc: json.dumps({**doc, "files": {"settings.toml": 42}}).encode(),
    lambda doc: json.dumps({**doc, "signature": "!!not base64!!"}).encode(),
    lambda doc: json.dumps({**doc, "signature": base64.b64encode(b"short").decode()}).encode(),
    # a duplicated key could show a reviewer one value and the kiosk another
    lambda doc: json.dumps(doc).replace('"format"', '"format": "xm-kiosk-bundle", "format"', 1).encode(),
], ids=["binary", "not-json", "array", "format", "extra-field", "version-text", "version-bool",
        "format-version", "time", "no-groups", "group-name", "file-not-text", "signature-text",
        "signature-length", "duplicate-key"])
def test_malformed(mangle):
    found = refusal(mangle(json.loads(signed())))
    assert found.reason is Reason.MALFORMED, found.message


def test_oversized_is_refused_before_it_is_even_parsed():
    data = signed()
    found = refusal(data, max_size=len(data) - 1)
    assert found.reason is Reason.OVERSIZED and str(len(data)) in found.message
    assert verify(data, TRUSTED, 4, "canary", NOW, max_size=len(data)).version == 5


def test_schema_invalid_even_when_properly_signed():
    # bypass build()'s own validation, as a careless or hostile signer could
    bad = {"settings.toml": "[timeouts]\nidle_timeout_s = 3\n", "announcements.toml": ANNOUNCEMENT}
    bundle = Bundle(unsigned().header, bad).signed_with(FIRST_KEY)
    found = refusal(bundle.to_bytes())
    assert found.reason is Reason.SCHEMA_INVALID
    assert "settings.toml: timeouts.idle_timeout_s = 3" in found.message


def test_unknown_file_in_a_signed_bundle_is_schema_invalid():
    bundle = Bundle(unsigned().header, {"passwords.toml": "x = 1"}).signed_with(FIRST_KEY)
    assert refusal(bundle.to_bytes()).reason is Reason.SCHEMA_INVALID


def test_build_validates_the_files_first():
    with pytest.raises(ConfigError) as caught:
        build({"settings.toml": 'theme = "pink"\n'}, version=1, issued_at=NOW, expires_at=NOW + timedelta(days=1),
              groups=["canary"])
    assert "settings.toml: theme = 'pink'" in caught.value.describe()


def test_build_rejects_bad_header_values():
    with pytest.raises(ConfigError, match="config_version"):
        build({}, version=0, issued_at=NOW, expires_at=NOW + timedelta(days=1), groups=["canary"])
    with pytest.raises(ConfigError, match="expires_at"):
        build({}, version=1, issued_at=NOW, expires_at=NOW, groups=["canary"])


def test_signing_again_with_another_key_replaces_the_signature():
    once = unsigned().signed_with(STRANGER)
    again = parse(once.to_bytes()).signed_with(SECOND_KEY)
    assert check_signature(again.to_bytes(), TRUSTED).header.key_id == key_id(SECOND_KEY.public_key())


def test_trusted_keys_that_are_not_keys_name_the_entry():
    with pytest.raises(ConfigError) as caught:
        KeyRing.from_text([TRUSTED[0], "bm90IGEga2V5"])
    assert "security.trusted_keys[1]" in caught.value.describe() and "32 bytes" in caught.value.describe()


def test_private_key_files_round_trip_and_bad_files_are_named(tmp_path):
    path = tmp_path / "admin.key"
    path.write_bytes(private_key_pem(FIRST_KEY))
    assert key_id(load_private_key(path).public_key()) == key_id(FIRST_KEY.public_key())
    (tmp_path / "junk.key").write_text("hello")
    with pytest.raises(ConfigError, match="junk.key"):
        load_private_key(tmp_path / "junk.key")
    with pytest.raises(ConfigError, match="cannot read"):
        load_private_key(tmp_path / "missing.key")


def test_an_encrypted_private_key_opens_only_with_its_passphrase(tmp_path):
    path = tmp_path / "admin.key"
    path.write_bytes(private_key_pem(FIRST_KEY, b"hall admin passphrase"))
    assert private_key_is_encrypted(path) and not private_key_is_encrypted(tmp_path / "missing.key")
    with pytest.raises(ConfigError, match="passphrase is needed"):
        load_private_key(path)
    with pytest.raises(ConfigError, match="wrong passphrase"):
        load_private_key(path, b"something else")
    assert key_id(load_private_key(path, b"hall admin passphrase").public_key()) == key_id(FIRST_KEY.public_key())


_REFERENCE = signed(files={"settings.toml": SETTINGS, "announcements.toml": ANNOUNCEMENT})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(0, len(_REFERENCE) - 1), value=st.integers(0, 255))
def test_any_changed_byte_is_refused_or_changes_nothing_that_is_signed(position: int, value: int):
    data = bytearray(_REFERENCE)
    data[position] = value
    reference = verify(_REFERENCE, TRUSTED, 0, "canary", NOW)
    try:
        result = verify(bytes(data), TRUSTED, 0, "canary", NOW)
    except BundleRefused:
        return
    # accepted only when the change was in layout (whitespace, escapes), not in meaning
    assert result.header == reference.header and dict(result.files) == dict(reference.files)

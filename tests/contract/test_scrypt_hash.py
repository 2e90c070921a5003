"""The salted scrypt hash form: making, reading back within bounds, matching, hostile stored text."""

from __future__ import annotations

import base64

import pytest

from contract.scrypt_hash import ScryptHash, ScryptLimits, looks_like_scrypt_hash

CHEAP = {"n": 2**4, "r": 8, "p": 1}
SALT = base64.b64encode(b"saltsalt").decode()
KEY = base64.b64encode(b"k" * 32).decode()


def test_a_hash_reads_back_and_matches_only_its_secret() -> None:
    made = ScryptHash.make("270315", **CHEAP)
    text = str(made)
    assert text.startswith("scrypt$16$8$1$") and "270315" not in text and looks_like_scrypt_hash(text)
    again = ScryptHash.parse(text)
    assert again == made and again.matches("270315") and not again.matches("270316")


def test_two_hashes_of_one_secret_differ_by_their_salt() -> None:
    assert str(ScryptHash.make("x", **CHEAP)) != str(ScryptHash.make("x", **CHEAP))
    assert str(ScryptHash.make("x", salt=b"s" * 16, **CHEAP)) == str(ScryptHash.make("x", salt=b"s" * 16, **CHEAP))


@pytest.mark.parametrize("stored", [
    "", "plain", "bcrypt$1$2$3$4$5", "scrypt$1024$8$1$salt!$hash", f"scrypt$x$8$1${SALT}${KEY}",
    f"scrypt$1024$8${SALT}${KEY}", f"scrypt$1024$8$1$1${SALT}${KEY}", "scrypt$" + "$" * 10,
    None, b"scrypt$1024$8$1$c2FsdHNhbHQ=$" + b"A" * 44, 12345,
])
def test_malformed_stored_text_is_a_clear_value_error(stored: object) -> None:
    with pytest.raises(ValueError, match=r"expected scrypt\$n\$r\$p\$salt\$hash as made by `make`"):
        ScryptHash.parse(stored, made_by="`make`")  # type: ignore[arg-type]


@pytest.mark.parametrize("stored", [
    f"scrypt$1000$8$1${SALT}${KEY}",  # not a power of two
    f"scrypt$1$8$1${SALT}${KEY}",
    f"scrypt$4194304$8$1${SALT}${KEY}",  # more memory than any reader pays
    f"scrypt$1024$0$1${SALT}${KEY}",
    f"scrypt$1024$8$99${SALT}${KEY}",
    f"scrypt$-1024$8$1${SALT}${KEY}",
])
def test_a_stored_hash_asking_too_much_is_refused_not_run(stored: str) -> None:
    with pytest.raises(ValueError, match="out of range"):
        ScryptHash.parse(stored)


def test_limits_are_the_readers_to_set() -> None:
    stored = f"scrypt$262144$8$1${SALT}${KEY}"
    assert ScryptHash.parse(stored).n == 262144
    with pytest.raises(ValueError, match="up to 131072"):
        ScryptHash.parse(stored, ScryptLimits(max_n=2**17, max_r=16, max_p=4))


@pytest.mark.parametrize(("salt", "key"), [(b"short", b"k" * 32), (b"saltsalt", b"k" * 8), (b"s" * 65, b"k" * 32)])
def test_salt_and_hash_sizes_are_bounded(salt: bytes, key: bytes) -> None:
    stored = f"scrypt$16$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
    with pytest.raises(ValueError, match="salt or hash of a size not made here"):
        ScryptHash.parse(stored, ScryptLimits(salt_bytes=(8, 64)))

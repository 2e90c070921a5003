"""Content served offline with its age; the response cache's per-endpoint policy; sealing personal data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from offline_cache.content import ContentCache
from offline_cache.errors import SealingError
from offline_cache.responses import (
    EndpointPolicy,
    ResponseCache,
    ResponsePolicyError,
    policies_from_config,
)
from offline_cache.sealing import Sealer
from offline_cache.store import open_store


class Clock:
    def __init__(self) -> None:
        self.t = 1_770_000_000.0

    def __call__(self) -> float:
        return self.t


def test_content_is_versioned_refreshed_by_etag_and_aged(store) -> None:
    clock = Clock()
    cache = ContentCache(store, now=clock)
    assert cache.get("guides", "social_security_card") is None and cache.etag("guides", "x") is None
    cache.put("guides", "social_security_card", {"title": "社保卡申领", "steps": [1, 2]}, etag='"v7"', version="7")
    clock.t += 3600
    item = cache.get("guides", "social_security_card")
    assert item.body["title"] == "社保卡申领" and item.version == "7"
    assert item.age_s(clock.t) == 3600
    assert cache.etag("guides", "social_security_card") == '"v7"'
    assert cache.confirm("guides", "social_security_card")  # 304 Not Modified
    assert cache.get("guides", "social_security_card").age_s(clock.t) == 0
    assert not cache.confirm("guides", "never_cached")
    cache.put("guides", "property_lookup", {"title": "不动产查询"})
    clock.t += 60
    ages = cache.ages()
    assert ages["guides"] == 60 and ages["announcements"] is None
    assert [i.key for i in cache.items("guides")] == ["property_lookup", "social_security_card"]
    assert cache.remove("guides", "property_lookup") and len(cache.items("guides")) == 1
    with pytest.raises(ValueError, match="expected JSON"):
        cache.put("guides", "bad", {"x": {1, 2}})
    with pytest.raises(ValueError, match="content kind"):
        cache.put("Guides!", "bad", {})


def test_a_kiosk_started_without_network_browses_from_the_cache(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        ContentCache(store).put("catalogue", "all", {"departments": ["市社保中心"]}, etag="e1")
    with open_store(tmp_path) as store:  # next start, gateway unreachable
        assert ContentCache(store).get("catalogue", "all").body == {"departments": ["市社保中心"]}


def test_public_answers_fresh_then_stale_only_while_offline(store) -> None:
    clock = Clock()
    cache = ResponseCache(store, [EndpointPolicy("/api/v1/fees*", ttl_s=60, stale_if_offline_s=600)], now=clock)
    assert cache.put("/api/v1/fees/table", b'{"fee": 10}', variant="zh")
    hit = cache.lookup("/api/v1/fees/table", online=True, variant="zh")
    assert hit.body == b'{"fee": 10}' and not hit.stale
    assert cache.lookup("/api/v1/fees/table", online=True, variant="en") is None
    clock.t += 61
    assert cache.lookup("/api/v1/fees/table", online=True, variant="zh") is None
    stale = cache.lookup("/api/v1/fees/table", online=False, variant="zh")
    assert stale.stale and stale.age_s == 61
    clock.t += 600
    assert cache.lookup("/api/v1/fees/table", online=False, variant="zh") is None
    assert cache.purge_expired() == 1
    assert not cache.put("/api/v1/unknown", b"x")  # no policy: not cached


def test_personal_answers_are_not_cached_by_default(store) -> None:
    cache = ResponseCache(store)
    assert not cache.put("/api/v1/lookups/social-security/350203194803120021", '{"name":"林秀英"}'.encode())
    assert cache.lookup("/api/v1/lookups/social-security/350203194803120021", online=False) is None
    assert store.connection.execute("SELECT count(*) FROM responses").fetchone()[0] == 0


def test_personal_answers_when_configured_are_sealed_short_lived_and_never_stale(tmp_path: Path) -> None:
    clock = Clock()
    sealer = Sealer.from_key_file(tmp_path / "store.key")
    policy = EndpointPolicy("/api/v1/lookups/*", personal=True, cache_personal=True, ttl_s=120)
    with open_store(tmp_path) as store:
        cache = ResponseCache(store, [policy], sealer=sealer, now=clock)
        url = "/api/v1/lookups/social-security/350203194803120021"
        assert cache.put(url, '{"name":"林秀英"}'.encode())
        raw = bytes(store.connection.execute("SELECT lookup, endpoint, body FROM responses").fetchone()[2])
        row = store.connection.execute("SELECT lookup, endpoint FROM responses").fetchone()
        assert "林秀英".encode() not in raw and row[1] is None and "3502031948" not in row[0]
        assert cache.lookup(url, online=True).body.decode() == '{"name":"林秀英"}'
        clock.t += 121
        assert cache.lookup(url, online=False) is None  # never served stale
        clock.t -= 121
        # Another key cannot open it: the answer is discarded, not shown.
        other = ResponseCache(store, [policy], sealer=Sealer(os.urandom(32)), now=clock)
        assert other.lookup(url, online=True) is None
        cache.put(url, b"again")
        assert cache.forget_personal() == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"/api/v1/lookups/*": {"personal": True, "cache_personal": True, "ttl_s": 86400}}, r"\.ttl_s: expected a short TTL"),
        ({"/api/v1/lookups/*": {"personal": True, "cache_personal": True, "ttl_s": 60, "stale_if_offline_s": 5}},
         "never served stale"),
        ({"/api/v1/guides*": {"ttl": 60}}, r'"/api/v1/guides\*"\.ttl: no such setting'),
        ({"/api/v1/guides*": {"ttl_s": "an hour"}}, "expected a number of seconds"),
        ({"/api/v1/guides*": {"personal": "yes"}}, "expected true or false"),
        ({"api/v1/guides*": {"ttl_s": 1}}, "starting with '/'"),
        ({"/api/v1/guides*": {"cache_personal": True}}, "only on a policy with personal = true"),
        ({"/api/v1/guides*": 5}, "expected a table"),
    ],
)
def test_bad_policies_name_the_key(table, message) -> None:
    with pytest.raises(ResponsePolicyError, match=message):
        policies_from_config(table)


def test_caching_personal_data_needs_a_key(store) -> None:
    policies = policies_from_config({"/api/v1/lookups/*": {"personal": True, "cache_personal": True, "ttl_s": 60}})
    with pytest.raises(ResponsePolicyError, match="encryption key"):
        ResponseCache(store, policies)


def test_key_file_is_private_and_values_are_bound_to_their_row(tmp_path: Path) -> None:
    path = tmp_path / "store.key"
    sealer = Sealer.from_key_file(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    assert Sealer.from_key_file(path).open(sealer.seal(b"hello", b"row-1"), b"row-1") == b"hello"
    with pytest.raises(SealingError, match="does not open"):
        sealer.open(sealer.seal(b"hello", b"row-1"), b"row-2")
    with pytest.raises(SealingError, match="too short"):
        sealer.open(b"x", b"row-1")
    path.chmod(0o644)
    with pytest.raises(SealingError, match="chmod 600"):
        Sealer.from_key_file(path)
    path.chmod(0o600)
    path.write_bytes(b"short")  # a damaged key whose sealed values still exist
    with pytest.raises(SealingError, match="damaged"):
        Sealer.from_key_file(path, sealed_with_it=lambda: True)
    with pytest.raises(SealingError, match="32-byte key"):
        Sealer(b"short")

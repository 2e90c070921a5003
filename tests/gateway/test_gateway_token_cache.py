"""The per-process memory of good kiosk tokens: seconds long, bounded, never the token itself."""

from __future__ import annotations

from gateway.kiosks import KioskIdentity
from gateway.token_cache import TokenCache

HALL = KioskIdentity("XM-HALL-001", "hall")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_good_token_is_remembered_for_its_seconds_only():
    clock = Clock()
    cache = TokenCache(ttl_s=5, clock=clock)
    assert cache.get("XM-HALL-001", "secret-token") is None
    cache.put("XM-HALL-001", "secret-token", HALL)
    assert cache.get("XM-HALL-001", "secret-token") == HALL
    assert cache.get("XM-HALL-001", "another-token") is None  # only the token that was checked
    assert cache.get("XM-HALL-002", "secret-token") is None
    clock.now += 5
    assert cache.get("XM-HALL-001", "secret-token") is None and len(cache) == 0


def test_forget_drops_a_kiosk_at_once_and_the_token_is_not_kept_in_clear():
    cache = TokenCache(ttl_s=5)
    cache.put("XM-HALL-001", "secret-token", HALL)
    cache.put("XM-HALL-001", "older-token", HALL)
    assert "secret-token" not in repr(cache._entries)
    cache.forget("XM-HALL-001")
    assert len(cache) == 0


def test_the_cache_is_bounded_and_can_be_switched_off():
    cache = TokenCache(ttl_s=5, max_entries=100)
    for n in range(1000):
        cache.put(f"XM-{n:04d}", "t", KioskIdentity(f"XM-{n:04d}", "hall"))
    assert len(cache) == 100 and cache.get("XM-0999", "t") is not None and cache.get("XM-0000", "t") is None
    off = TokenCache(ttl_s=0)
    off.put("XM-HALL-001", "t", HALL)
    assert off.get("XM-HALL-001", "t") is None

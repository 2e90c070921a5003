"""The outbox's life cycle: keys before attempts, pending → sent → acknowledged, back-off, parking."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.backoff import Backoff
from offline_cache.outbox import Outbox
from offline_cache.sealing import Sealer
from offline_cache.store import open_store


class Clock:
    def __init__(self) -> None:
        self.t = 1_770_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_entry_has_its_key_before_any_attempt_and_moves_through_states(store, clock) -> None:
    outbox = Outbox(store, now=clock)
    entry = outbox.append("feedback", {"service": "queue_ticket", "stars": 5})
    assert len(entry.idempotency_key) == 32 and entry.state == "pending" and entry.attempts == 0
    assert outbox.due() == [outbox.get(entry.idempotency_key)]
    outbox.mark_sent(entry.idempotency_key)
    assert outbox.get(entry.idempotency_key).state == "sent"
    assert outbox.due() == []
    outbox.acknowledge(entry.idempotency_key)
    assert outbox.counts() == {"pending": 0, "sent": 0, "acknowledged": 1, "parked": 0, "unfinished": 0}
    clock.t += 2 * 24 * 3600
    assert outbox.purge_acknowledged() == 1
    assert outbox.get(entry.idempotency_key) is None


def test_appending_a_natural_key_twice_keeps_one_entry(store) -> None:
    outbox = Outbox(store)
    first = outbox.append("payment_reconciliation", {"notice": "3502000001"}, idempotency_key="pay-3502000001-1")
    again = outbox.append("payment_reconciliation", {"notice": "changed"}, idempotency_key="pay-3502000001-1")
    assert again.payload == first.payload and again.seq == first.seq
    assert outbox.counts()["pending"] == 1


@pytest.mark.parametrize(
    ("kind", "payload", "key", "message"),
    [
        ("Feedback!", {}, None, "outbox kind"),
        ("feedback", {"when": object()}, None, "expected a JSON object"),
        ("feedback", {"x": float("nan")}, None, "expected a JSON object"),
        ("feedback", {}, "short", "idempotency key"),
        ("feedback", {}, "has spaces in it", "idempotency key"),
    ],
)
def test_bad_appends_are_refused_and_store_nothing(store, kind, payload, key, message) -> None:
    outbox = Outbox(store)
    with pytest.raises(ValueError, match=message):
        outbox.append(kind, payload, idempotency_key=key)
    assert outbox.counts()["unfinished"] == 0


def test_failures_back_off_exponentially_with_jitter_then_park(store, clock, alerts) -> None:
    outbox = Outbox(store, max_attempts=4, backoff=Backoff(first=10, factor=2, limit=25, jitter=0.5), now=clock,
                    rng=lambda: 1.0, on_alert=alerts.append)
    key = outbox.append("ems_mailing", {"request": 1}).idempotency_key
    delays = []
    for _ in range(3):
        outbox.mark_sent(key)
        entry = outbox.record_failure(key, "ConnectionError: gateway unreachable")
        assert entry.state == "pending"
        delays.append(entry.next_attempt_at - clock.t)
        assert outbox.due() == []
        clock.t = entry.next_attempt_at
        assert [e.idempotency_key for e in outbox.due()] == [key]
    assert delays == [10, 20, 25]  # rng at its top: the full delay, capped
    parked = outbox.record_failure(key, "ConnectionError: gateway unreachable")
    assert parked.state == "parked" and parked.attempts == 4
    assert [a.code for a in alerts] == ["outbox_entry_parked"]
    assert alerts[0].details["kind"] == "ems_mailing"
    clock.t += 10**6
    assert outbox.due() == []  # never retried on its own
    assert outbox.retry_parked(key) == 1
    assert outbox.due()[0].attempts == 0


def test_jitter_keeps_half_of_the_delay() -> None:
    backoff = Backoff(first=8, factor=2, limit=1000, jitter=0.5)
    assert backoff.delay(1, lambda: 0.0) == 4 and backoff.delay(1, lambda: 1.0) == 8
    assert backoff.delay(3, lambda: 0.5) == 24
    assert backoff.delay(50, lambda: 1.0) == 1000


def test_a_permanent_refusal_parks_at_once(store, alerts) -> None:
    outbox = Outbox(store, on_alert=alerts.append)
    key = outbox.append("event", {"code": "cover_open"}).idempotency_key
    assert outbox.record_failure(key, "HTTP 422", permanent=True).state == "parked"
    assert outbox.counts()["parked"] == 1 and alerts[0].code == "outbox_entry_parked"
    with pytest.raises(KeyError):
        outbox.record_failure(key, "again")


def test_an_attempt_cut_short_by_a_crash_is_retried_with_the_same_key(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    outbox = Outbox(store)
    key = outbox.append("feedback", {"stars": 3}).idempotency_key
    outbox.mark_sent(key)
    store.close()
    reopened = open_store(tmp_path)
    again = Outbox(reopened)
    assert [e.idempotency_key for e in again.due()] == [key]
    reopened.close()


def test_sealed_payloads_are_not_readable_on_disk(tmp_path: Path) -> None:
    sealer = Sealer.from_key_file(tmp_path / "store.key")
    store = open_store(tmp_path)
    outbox = Outbox(store, sealer=sealer)
    entry = outbox.append("ems_mailing", {"address": "厦门市思明区示例路1号"})
    raw = store.connection.execute("SELECT payload, sealed FROM outbox").fetchone()
    assert raw[1] == 1 and "思明".encode() not in raw[0]
    assert outbox.get(entry.idempotency_key).payload == {"address": "厦门市思明区示例路1号"}
    with pytest.raises(ValueError, match="no key was given"):
        Outbox(store).get(entry.idempotency_key)
    store.close()

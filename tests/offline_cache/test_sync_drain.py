"""The sync worker against a recording gateway on 127.0.0.1: drains, survives the gateway stopping, stops cleanly."""

from __future__ import annotations

import threading
import time

from contract.backoff import Backoff
from offline_cache.outbox import Outbox
from offline_cache.sync import SyncWorker


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def test_drain_delivers_each_entry_once_with_its_key(store, gateway) -> None:
    outbox = Outbox(store)
    keys = [outbox.append("feedback", {"n": n}).idempotency_key for n in range(12)]
    report = SyncWorker(outbox, gateway.send).drain_once()
    assert report.acknowledged == 12 and not report.interrupted
    assert gateway.keys == keys and gateway.duplicates == []
    assert gateway.received[3] == ("feedback", keys[3], {"n": 3})
    assert outbox.counts()["acknowledged"] == 12
    assert SyncWorker(outbox, gateway.send).drain_once().acknowledged == 0


def test_gateway_stopping_mid_drain_loses_nothing_and_sends_nothing_twice(store, gateway) -> None:
    clock = {"t": 1_770_000_000.0}
    outbox = Outbox(store, backoff=Backoff(first=10, limit=60, jitter=0.5), now=lambda: clock["t"])
    keys = [outbox.append("ems_mailing", {"n": n}).idempotency_key for n in range(30)]
    gateway.stop_after = 10  # the gateway goes away after its tenth entry
    worker = SyncWorker(outbox, gateway.send)
    report = worker.drain_once()
    assert report.interrupted and report.failed == 1
    wait_until(gateway.stopped.is_set)
    delivered = gateway.keys
    assert 10 <= len(delivered) < 30
    counts = outbox.counts()
    assert counts["acknowledged"] == len(delivered) and counts["pending"] == 30 - len(delivered)
    failed = [e for e in outbox.entries("pending") if e.attempts]
    assert len(failed) == 1 and "ConnectionError" in failed[0].last_error
    # Still down: the next attempt fails too, nothing is lost.
    clock["t"] += 61  # past the back-off of the failed entry
    assert worker.drain_once().failed == 1
    assert outbox.counts()["unfinished"] == 30 - len(delivered)
    gateway.start()  # the gateway comes back on the same port
    clock["t"] += 3600

    def drained() -> bool:
        worker.drain_once()
        return outbox.counts()["unfinished"] == 0

    wait_until(drained, 5)
    assert sorted(gateway.keys) == sorted(keys)
    assert gateway.duplicates == []


def test_worker_thread_drains_on_wake_and_stop_joins(store, gateway) -> None:
    outbox = Outbox(store)
    worker = SyncWorker(outbox, gateway.send, poll_s=60)
    worker.start()
    try:
        wait_until(lambda: worker.rounds >= 1)
        key = outbox.append("event", {"code": "paper_low"}).idempotency_key
        worker.wake()
        wait_until(lambda: key in gateway.keys)
    finally:
        assert worker.stop(timeout=5)
    assert not worker.running
    assert worker.stop() is True  # idempotent


def test_unreachable_gateway_is_not_tried(store) -> None:
    outbox = Outbox(store)
    outbox.append("telemetry", {"uptime": 1})
    calls: list[str] = []
    online = threading.Event()
    probes: list[bool] = []

    def reachable() -> bool:
        probes.append(online.is_set())
        return probes[-1]

    worker = SyncWorker(outbox, lambda kind, key, payload: calls.append(key), reachable=reachable, poll_s=0.02)
    worker.start()
    try:
        wait_until(lambda: len(probes) >= 3)  # several rounds pass while offline
        assert calls == [] and outbox.counts()["pending"] == 1
        online.set()
        worker.wake()
        wait_until(lambda: outbox.counts()["acknowledged"] == 1)
    finally:
        worker.stop()
    assert len(calls) == 1


class Refused(Exception):
    permanent = True


def test_a_refused_entry_is_parked_and_the_rest_still_go(store, alerts) -> None:
    outbox = Outbox(store, on_alert=alerts.append)
    bad = outbox.append("feedback", {"bad": True}).idempotency_key
    good = outbox.append("feedback", {"bad": False}).idempotency_key
    sent: list[str] = []

    def send(kind: str, key: str, payload: dict) -> None:
        if payload["bad"]:
            raise Refused("HTTP 422: payload rejected")
        sent.append(key)

    report = SyncWorker(outbox, send).drain_once()
    assert (report.acknowledged, report.parked) == (1, 1)
    assert sent == [good] and outbox.get(bad).state == "parked"
    assert alerts[0].code == "outbox_entry_parked"


def test_a_crashing_round_does_not_kill_the_worker(store, gateway) -> None:
    outbox = Outbox(store)
    outbox.append("feedback", {"n": 1})
    flaky = {"calls": 0}

    def reachable() -> bool:
        flaky["calls"] += 1
        if flaky["calls"] == 1:
            raise RuntimeError("network probe broke")
        return True

    worker = SyncWorker(outbox, gateway.send, reachable=reachable, poll_s=0.05)
    worker.start()
    try:
        wait_until(lambda: outbox.counts()["acknowledged"] == 1)
    finally:
        worker.stop()
    assert flaky["calls"] >= 2


def test_each_entry_is_sent_before_its_request_and_acknowledged_before_the_next(store) -> None:
    outbox = Outbox(store)
    keys = [outbox.append("feedback", {"n": n}).idempotency_key for n in range(4)]
    seen: list[tuple[str, str | None]] = []
    worker: SyncWorker

    def send(kind: str, key: str, payload: dict) -> None:
        index = keys.index(key)
        previous = outbox.get(keys[index - 1]).state if index else None
        seen.append((outbox.get(key).state, previous))
        if index == 2:
            worker.stop(timeout=0)  # stop arrives while the third request is under way

    worker = SyncWorker(outbox, send)
    report = worker.drain_once()
    assert seen == [("sent", None), ("sent", "acknowledged"), ("sent", "acknowledged")]
    assert report.interrupted and report.acknowledged == 3
    # The entry delivered just before the stop is acknowledged, the rest waits.
    assert [outbox.get(k).state for k in keys] == ["acknowledged"] * 3 + ["pending"]


class Overloaded(Exception):
    """What the kiosk's gateway client raises for an answer with Retry-After (503 or 429)."""

    def __init__(self, retry_after_s) -> None:
        super().__init__("gateway busy (HTTP 503)")
        self.retry_after_s = retry_after_s


def test_an_overloaded_gateway_is_left_alone_for_its_retry_after(store) -> None:
    outbox = Outbox(store, backoff=Backoff(first=0.01, limit=0.02))
    key = outbox.append("telemetry", {"n": 1}).idempotency_key
    worker = SyncWorker(outbox, lambda kind, k, payload: (_ for _ in ()).throw(Overloaded(30)))
    before = time.time()
    report = worker.drain_once()
    assert report.failed == 1 and report.retry_after_s == 30
    entry = outbox.get(key)
    assert entry.state == "pending" and entry.next_attempt_at >= before + 30  # not the 0.02 s back-off
    assert outbox.due() == []


def test_a_hostile_retry_after_is_bounded() -> None:
    from offline_cache.sync import MAX_RETRY_AFTER_S, _retry_after_s

    assert _retry_after_s(Overloaded(10**9)) == MAX_RETRY_AFTER_S
    assert _retry_after_s(Overloaded(-5)) == 0.0
    assert _retry_after_s(Overloaded(float("nan"))) == 0.0
    assert _retry_after_s(Overloaded("soon")) == 0.0
    assert _retry_after_s(ValueError("no attribute")) == 0.0

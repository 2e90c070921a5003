"""The outbox's bounds: an alert before the bound, a clear refusal at it, and a full disk."""

from __future__ import annotations

import pytest

from offline_cache.errors import OutboxFull, StoreFull, StoreUnavailable
from offline_cache.outbox import Outbox


def test_technician_is_alerted_before_the_bound_and_entries_are_refused_at_it(store, alerts) -> None:
    outbox = Outbox(store, capacity=10, alert_ratio=0.8, on_alert=alerts.append)
    keys = [outbox.append("feedback", {"n": n}).idempotency_key for n in range(7)]
    assert alerts == []
    outbox.append("feedback", {"n": 7})
    assert [a.code for a in alerts] == ["outbox_nearly_full"]
    # Telemetry is shed at the alert level, keeping room for what citizens asked for.
    with pytest.raises(OutboxFull):
        outbox.append("telemetry", {"cpu": 3})
    outbox.append("payment_reconciliation", {"n": 8})
    outbox.append("payment_reconciliation", {"n": 9})
    with pytest.raises(OutboxFull, match="refusing new ones"):
        outbox.append("payment_reconciliation", {"n": 10})
    assert [a.code for a in alerts][-1] == "outbox_full"
    assert outbox.counts()["unfinished"] == 10
    # Draining makes room again and re-arms the early alert.
    for key in keys:
        outbox.acknowledge(key)
    outbox.append("telemetry", {"cpu": 3})
    assert outbox.counts()["unfinished"] == 4


def test_a_full_disk_is_a_clear_error_and_loses_nothing(store, alerts) -> None:
    outbox = Outbox(store, capacity=100_000, on_alert=alerts.append)
    committed = [outbox.append("feedback", {"n": n}).idempotency_key for n in range(20)]
    conn = store.connection
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the database may not grow any more
    big = {"text": "x" * 20_000}
    with pytest.raises(StoreFull, match="storage is full") as caught:
        for _ in range(50):
            committed.append(outbox.append("feedback", big).idempotency_key)
    assert isinstance(caught.value, StoreUnavailable)  # the kiosk shows "service unavailable"
    assert alerts[-1].code == "disk_full"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not conn.in_transaction
    assert [e.idempotency_key for e in outbox.entries()] == committed
    # Small entries that still fit, and state changes, keep working; so does everything after space returns.
    outbox.acknowledge(committed[0])
    conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    assert outbox.append("feedback", big).state == "pending"
    assert outbox.counts()["unfinished"] == len(committed)

"""A full disk: clear technician alert, citizens told the services that store requests are unavailable,
nothing committed before is lost."""

from __future__ import annotations

import logging

import pytest

from offline_cache.errors import StoreFull


def test_full_storage_pauses_what_must_be_stored_and_keeps_what_was(live_kiosk, qtbot, caplog):
    context = live_kiosk.context
    outbox, store = context.services.outbox, context.services.store
    kept = outbox.append("feedback", {"service_id": "ee-passport", "rating": 5})
    payment = context.catalogue.service("fin-non-tax-payment")
    assert context.offer(payment).available

    with store.writing() as conn:  # the disk is as full as the database file now is
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
    with caplog.at_level(logging.WARNING), pytest.raises(StoreFull):
        for _ in range(200):
            outbox.append("feedback", {"service_id": "ee-passport", "comment": "x" * 4000})
    assert any("disk_full" in r.getMessage() for r in caplog.records)

    qtbot.waitUntil(lambda: not context.offer(payment).available, timeout=5000)
    offer = context.offer(payment)
    assert offer.reason_zh and offer.alternative_zh  # plain words and what to do instead
    assert context.offer(context.catalogue.service("ee-self-endorsement")).available  # guides store nothing
    assert context.offer(context.catalogue.service("ee-passport")).available  # nor do queue tickets
    assert outbox.get(kept.idempotency_key) is not None  # what was committed before is still there
    with store.reading() as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"

"""The availability engine: each service at each moment, with the reason and the alternative."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from config.calendar import load_calendar
from config.catalogue import load_default_catalogue
from kiosk.hall.availability import (
    AvailabilityEngine,
    DeviceStates,
    KioskConditions,
    ServiceNeeds,
    age_wording,
)
from kiosk.system.clock import HALL_ZONE, SettableClock

ENGINE = AvailabilityEngine(load_calendar())
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=HALL_ZONE)
SATURDAY_NIGHT = datetime(2026, 3, 7, 22, 0, tzinfo=HALL_ZONE)

LOOKUP = ServiceNeeds("social-security-lookup", "24h", frozenset({"gateway", "identity"}), frozenset({"printer"}))
PAYMENT = ServiceNeeds.for_service(SimpleNamespace(id="non-tax-fee", hours="24h", journey="payment"))
GUIDE = ServiceNeeds.for_service(SimpleNamespace(id="guide-passport", hours="24h", journey="guide"))
TICKET = ServiceNeeds.for_service(SimpleNamespace(id="ticket-tax", hours="hall", journey="queue_ticket"))
FEEDBACK = ServiceNeeds("feedback", "24h", frozenset({"outbox"}))

ONLINE_24H = KioskConditions(zone="24h", gateway_online=True)


def test_everything_available_when_all_is_well() -> None:
    verdicts = ENGINE.evaluate_all([LOOKUP, PAYMENT, GUIDE, TICKET, FEEDBACK], ONLINE_24H, MONDAY_10)
    assert {v.code for v in verdicts.values()} == {"ok"}
    assert all(v.available and v.reason is None for v in verdicts.values())


def test_hall_services_close_after_hours_with_the_reopening_time() -> None:
    verdict = ENGINE.evaluate(TICKET, ONLINE_24H, datetime(2026, 3, 6, 17, 45, tzinfo=HALL_ZONE))
    assert not verdict.available and verdict.code == "closed"
    assert verdict.reason.en == "Closed until 08:30 Monday"
    assert verdict.opens_at == datetime(2026, 3, 9, 8, 30, tzinfo=HALL_ZONE)
    assert verdict.alternative is not None
    # The 24-hour zone keeps round-the-clock services; a kiosk inside the closed hall offers none.
    assert ENGINE.evaluate(LOOKUP, ONLINE_24H, SATURDAY_NIGHT).available
    hall_kiosk = KioskConditions(zone="hall", gateway_online=True)
    assert ENGINE.evaluate(LOOKUP, hall_kiosk, SATURDAY_NIGHT).code == "closed"


def test_printing_unavailable_offers_the_phone() -> None:
    conditions = KioskConditions(zone="24h", gateway_online=True, devices=DeviceStates(printer=False))
    verdict = ENGINE.evaluate(LOOKUP, conditions, MONDAY_10)
    assert verdict.available and verdict.code == "degraded"
    assert [n.en for n in verdict.notices] == ["Printing unavailable — send to your phone"]
    assert verdict.notices[0].zh == "打印暂不可用，可发送到手机"


def test_payment_unavailable_while_offline() -> None:
    offline = KioskConditions(zone="24h", gateway_online=False)
    verdict = ENGINE.evaluate(PAYMENT, offline, SATURDAY_NIGHT)
    assert not verdict.available and verdict.reason.en == "Payment paused: offline"
    assert "QR code" in verdict.alternative.en
    assert ENGINE.evaluate(LOOKUP, offline, SATURDAY_NIGHT).code == "offline"
    channel_down = KioskConditions(zone="24h", gateway_online=True, payment_online=False)
    assert ENGINE.evaluate(PAYMENT, channel_down, SATURDAY_NIGHT).code == "payment_down"


def test_identity_falls_back_to_the_scanner_then_to_another_kiosk() -> None:
    no_reader = KioskConditions(zone="24h", gateway_online=True, devices=DeviceStates(idcard=False))
    verdict = ENGINE.evaluate(LOOKUP, no_reader, MONDAY_10)
    assert verdict.available and "scan your e-ID" in verdict.notices[0].en
    neither = KioskConditions(zone="24h", gateway_online=True, devices=DeviceStates(idcard=False, scanner=False))
    verdict = ENGINE.evaluate(LOOKUP, neither, MONDAY_10)
    assert not verdict.available and verdict.code == "identity"
    assert verdict.alternative.en == "Please use another kiosk or the staff desk"


def test_a_full_disk_makes_services_that_store_requests_unavailable() -> None:
    full = KioskConditions(zone="24h", gateway_online=True, outbox_accepting=False)
    assert ENGINE.evaluate(FEEDBACK, full, MONDAY_10).code == "outbox"
    assert ENGINE.evaluate(PAYMENT, full, MONDAY_10).code == "outbox"
    assert ENGINE.evaluate(LOOKUP, full, MONDAY_10).available


def test_guides_run_offline_from_the_cache_with_their_age() -> None:
    hours = 3 * 3600.0
    offline = KioskConditions(zone="24h", gateway_online=False, content_ages={"guides": hours})
    verdict = ENGINE.evaluate(GUIDE, offline, SATURDAY_NIGHT)
    assert verdict.available and verdict.notices[-1].en == "Offline: information from 3 hours ago"
    assert verdict.notices[-1].zh == "离线模式：信息更新于3小时前"
    never = KioskConditions(zone="24h", gateway_online=False, content_ages={"guides": None})
    assert ENGINE.evaluate(GUIDE, never, SATURDAY_NIGHT).code == "content_missing"
    ancient = KioskConditions(zone="24h", gateway_online=False, content_ages={"guides": 30 * 86400.0})
    assert ENGINE.evaluate(GUIDE, ancient, SATURDAY_NIGHT).code == "content_too_old"
    # Online, the age does not matter: the guide is fetched fresh.
    assert ENGINE.evaluate(GUIDE, KioskConditions(zone="24h", gateway_online=True), SATURDAY_NIGHT).code == "ok"


def test_the_shipped_catalogue_maps_onto_needs_and_follows_the_clock() -> None:
    services = [ServiceNeeds.for_service(s) for s in load_default_catalogue().services()]
    assert services and {s.hours for s in services} <= {"hall", "24h"}
    clock = SettableClock(datetime(2026, 2, 14, 17, 29, tzinfo=HALL_ZONE))  # make-up Saturday, closing soon
    before = ENGINE.evaluate_all(services, ONLINE_24H, clock.now())
    clock.advance(minutes=1)
    after = ENGINE.evaluate_all(services, ONLINE_24H, clock.now())
    hall_only = [s.id for s in services if s.hours == "hall"]
    assert hall_only and all(before[i].available for i in hall_only)
    assert all(after[i].code == "closed" and "Spring Festival" in after[i].reason.en for i in hall_only)
    assert all(after[s.id].available for s in services if s.hours == "24h")


def test_unknown_needs_and_journeys_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown capability 'fax'"):
        ServiceNeeds("x", "24h", frozenset({"fax"}))
    with pytest.raises(ValueError, match="hours expected"):
        ServiceNeeds("x", "always")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no declared needs"):
        ServiceNeeds.for_service(SimpleNamespace(id="x", hours="24h", journey="teleport"))
    id_needed = ServiceNeeds.for_service(
        SimpleNamespace(id="x", hours="24h", journey="queue_ticket", id_card_required=True))
    assert "identity" in id_needed.needs


@pytest.mark.parametrize(("seconds", "en", "zh"), [
    (10, "just now", "刚刚"), (300, "5 min ago", "5分钟前"), (3600, "1 hour ago", "1小时前"),
    (5 * 86400, "5 days ago", "5天前"),
])
def test_age_in_words(seconds: float, en: str, zh: str) -> None:
    assert age_wording(seconds) == type(age_wording(0))(zh=zh, en=en)

"""Checking in a booking: once the code is scanned (or typed) or the card read, the kiosk knows the service
and goes straight to confirming it; a booking for another day says which day; junk codes are refused.

Against the reference gateway over HTTP with the kiosk's real client (its demo seeds today's booking
YY<today>0001 for the demo's elderly citizen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from queue_fakes import FakeDevices

from config.catalogue import load_default_catalogue
from devices.scanner.codes import AppointmentCode
from gateway.app import create_app
from gateway.demo_seed import APPOINTMENT_HOLDER
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from kiosk.gateway_client.client import GatewayClient
from kiosk.gateway_client.errors import GatewayRefused
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.queue_ticket import QueueTicketJourney
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import SettableClock


@pytest.fixture(scope="module")
def hall(tmp_path_factory) -> Iterator[tuple[GatewayClient, dt.date, str]]:
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("booking") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000)
    app = create_app(settings)
    server = GatewayThread(app)
    with server:
        client = GatewayClient(server.url, "XM-HALL-001", "demo-hall-001-secret")
        today = settings.now().date()
        with app.state.gateway.db.read() as conn:
            booked_service = conn.one("SELECT service_id FROM appointments WHERE code = ?",
                                      (f"YY{today:%Y%m%d}0001",))["service_id"]
        yield client, today, booked_service
        client.close()


def journey_for(client: GatewayClient, today: dt.date, online: bool = True) -> QueueTicketJourney:
    catalogue = load_default_catalogue()
    from config.local import demo_settings

    env = JourneyEnv(settings=demo_settings(dt_path()), catalogue=catalogue, session=CitizenSession(),
                     calls=ImmediateCalls(), gateway=client, devices=FakeDevices(),
                     clock=SettableClock(dt.datetime.combine(today, dt.time(10, 0), tzinfo=dt.UTC).astimezone()),
                     online=lambda: online)
    journey = QueueTicketJourney(env)
    journey.seen = []
    journey.subscribe(lambda j: j.seen.append(j.state))
    journey.start()
    return journey


def dt_path():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp())


def code_for(day: dt.date, n: int = 1) -> AppointmentCode:
    return AppointmentCode(f"YY{day:%Y%m%d}{n:04d}", day)


def test_the_gateway_finds_a_booking_by_code_and_by_card(hall):
    client, today, booked_service = hall
    found = client.find_appointment(appointment_code=f"YY{today:%Y%m%d}0001")
    assert (found.service_id, found.date) == (booked_service, today.isoformat()) and found.slot
    by_card = client.find_appointment(id_number=APPOINTMENT_HOLDER)
    assert by_card.code == found.code


@pytest.mark.parametrize("fields, code", [
    ({"appointment_code": "YY2026"}, "invalid_request"),  # junk: refused before it leaves the kiosk
    ({"appointment_code": "'; DROP TABLE appointments; --"}, "invalid_request"),
    ({}, "invalid_request"),  # neither
    ({"id_number": "12345"}, "invalid_request"),  # not an ID number
])
def test_junk_lookups_are_refused_with_a_clear_error(hall, fields, code):
    client, _, _ = hall
    with pytest.raises(GatewayRefused) as refused:
        client.find_appointment(**fields)
    assert refused.value.code == code and refused.value.permanent


def test_no_booking_and_another_days_booking_are_told_apart(hall):
    client, today, _ = hall
    with pytest.raises(GatewayRefused) as missing:
        client.find_appointment(appointment_code=f"YY{today:%Y%m%d}0999")
    assert missing.value.code == "appointment_not_found"


def test_a_scanned_booking_goes_straight_to_its_service(hall):
    client, today, booked_service = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    journey.on_scan(code_for(today))
    assert journey.seen[-2:] == ["finding", "confirm"] and "choose" not in journey.seen[1:]
    assert journey.service.id == booked_service and journey.appointment_code == f"YY{today:%Y%m%d}0001"


def test_a_card_with_a_booking_today_goes_straight_to_its_service(hall):
    from queue_fakes import card

    client, today, booked_service = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    journey.on_card(card("appointment"))
    assert journey.state == "confirm" and journey.service.id == booked_service


def test_a_card_without_a_booking_chooses_the_service_as_before(hall):
    from queue_fakes import card

    client, today, _ = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    journey.on_card(card("young"))
    assert journey.state == "choose" and journey.card_note


def test_an_unknown_scanned_code_says_so(hall):
    client, today, _ = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    journey.on_scan(code_for(today, 999))
    assert journey.state == "appointment_problem" and journey.problem.code == "appointment_not_found"
    assert journey.appointment_code is None


def test_a_booking_for_another_day_shows_its_date(hall):
    client, today, _ = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    other = today + dt.timedelta(days=3)
    journey.on_scan(code_for(other))
    problem = journey.problem
    assert journey.state == "appointment_problem" and problem.code == "appointment_not_today"
    assert f"{other.year}年{other.month}月{other.day}日" in problem.what_zh
    assert str(other.day) in problem.what_en and other.strftime("%B") in problem.what_en


def test_offline_the_citizen_chooses_the_service_and_the_ticket_checks_the_booking(hall):
    client, today, _ = hall
    journey = journey_for(client, today, online=False)
    journey.open_checkin()
    journey.on_scan(code_for(today))
    assert journey.state == "choose" and journey.appointment_code is not None


def test_the_code_typed_from_the_sms_checks_in_like_a_scan(hall):
    client, today, booked_service = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    journey.open_code_pad()
    assert journey.state == "code_pad"
    journey.type_code(f"{today:%Y%m%d}0001")  # the 12 digits after YY
    assert journey.state == "confirm" and journey.service.id == booked_service
    assert journey.appointment_code == f"YY{today:%Y%m%d}0001"


@pytest.mark.parametrize("typed", ["", "123", "2026111800011", "202613400001", "２０２６１１１８０００１",
                                   "YY2026-1118-01", "'; DROP TABLE appointments; --", "9" * 5000])
def test_a_junk_typed_code_is_said_plainly_and_nothing_is_asked(hall, typed):
    client, today, _ = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    journey.open_code_pad()
    journey.type_code(typed)
    assert journey.state == "appointment_problem" and journey.problem.code == "bad_booking_code"
    assert "12" in journey.problem.what_zh and "12 digits" in journey.problem.what_en
    assert journey.appointment_code is None and "finding" not in journey.seen


def test_back_from_the_code_pad_is_the_check_in_page(hall):
    client, today, _ = hall
    journey = journey_for(client, today)
    journey.open_checkin()
    journey.open_code_pad()
    assert journey.step_back() and journey.state == "checkin"

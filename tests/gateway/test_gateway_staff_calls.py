"""呼叫工作人员 at the gateway: a kiosk's staff call is kept once, shown in the console's alerts with where
the kiosk stands, a flood of calls stays one alert, and an old call leaves the console."""

from __future__ import annotations

import pytest
from fleet_fixtures import Fleet
from gateway_api import HALL, NIGHT, Api


@pytest.fixture
def fleet(new_database):
    running = Fleet(new_database("staff"))
    yield running
    running.server.stop()


def call(fleet: Fleet, key: str, kiosk=HALL, location: str = "一楼A区 3号机") -> dict:
    payload = {"event": "staff_called", "level": "error",
               "attributes": {"location": location, "zone": "hall", "page": "payment"}}
    answer = Api(fleet.url, kiosk).post("/outbox/event", json={"payload": payload}, key=key)
    assert answer.status_code == 200, answer.text
    return answer.json()


def staff_alerts(fleet: Fleet, kiosk_id: str) -> list[dict]:
    return [a for a in fleet.kiosks()[kiosk_id]["alerts"] if a["code"] == "staff_called"]


def test_a_staff_call_is_an_alert_with_the_kiosks_location(fleet):
    assert staff_alerts(fleet, HALL[0]) == []
    first = call(fleet, "staff-call-0001")
    assert first["result"] == {"stored": True}
    [alert] = staff_alerts(fleet, HALL[0])
    assert alert["level"] == "error" and "一楼A区 3号机" in alert["zh"] and "呼叫工作人员" in alert["zh"]
    assert HALL[0] in alert["en"] and "Staff called" in alert["en"]
    assert staff_alerts(fleet, NIGHT[0]) == []  # another kiosk's call is not this one's
    # the same entry replayed by the outbox is the same call
    assert call(fleet, "staff-call-0001")["duplicate"] is True


def test_a_flood_of_staff_calls_is_one_alert(fleet):
    def stored() -> int:
        with fleet.db.read() as conn:
            return conn.one("SELECT COUNT(*) AS n FROM outbox_entries WHERE payload LIKE '%staff_called%'")["n"]

    answers = [call(fleet, f"staff-flood-{n:04d}") for n in range(40)]
    assert answers[0]["result"] == {"stored": True}
    assert all(a["result"] == {"stored": False, "reason": "staff_already_called"} for a in answers[1:])
    assert stored() == 1 and len(staff_alerts(fleet, HALL[0])) == 1
    fleet.clock.advance(seconds=121)  # a later call is a new one
    assert call(fleet, "staff-flood-later")["result"] == {"stored": True}
    assert stored() == 2 and len(staff_alerts(fleet, HALL[0])) == 1  # the newest is shown


def test_the_alert_leaves_the_console_after_a_quarter_of_an_hour(fleet):
    call(fleet, "staff-call-0002", location="")
    [alert] = staff_alerts(fleet, HALL[0])
    assert "hall" in alert["zh"]  # no location configured: the kiosk's zone says where
    fleet.clock.advance(minutes=16)
    assert staff_alerts(fleet, HALL[0]) == []


@pytest.mark.parametrize("attributes", [
    {"location": "x" * 101},  # longer than an attribute may be
    {"Location": "A"},  # not an attribute name
    {f"a{n}": n for n in range(17)},  # too many
])
def test_hostile_staff_calls_are_refused_and_raise_nothing(fleet, attributes):
    payload = {"event": "staff_called", "attributes": attributes}
    answer = Api(fleet.url, HALL).post("/outbox/event", json={"payload": payload}, key="staff-hostile-01")
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_payload"
    assert staff_alerts(fleet, HALL[0]) == []

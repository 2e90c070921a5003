"""A kiosk's clock cannot make the console lie: heartbeats far from the gateway's clock are refused,
and a kiosk clock running ahead never hides the heartbeats that follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fleet_fixtures import HALL, Api, Fleet, heartbeat


@pytest.fixture
def fleet(new_database):
    running = Fleet(new_database("fleet"))
    yield running
    running.server.stop()


def test_a_heartbeat_dated_2099_is_refused_and_later_heartbeats_keep_the_kiosk_online(fleet):
    future = fleet.beat(sent_at="2099-01-01T00:00:00+08:00", config={"installed_version": 9})
    assert future.status_code == 422 and future.json()["code"] == "sent_at_out_of_range"
    assert "gateway_time" in future.json()["detail"]
    fleet.clock.advance(seconds=60)
    assert fleet.beat(config={"installed_version": 3}).json()["result"] == {"latest": True}
    row = fleet.kiosks()["XM-HALL-001"]
    assert row["online"] is True and row["config_version"] == 3


@pytest.mark.parametrize("sent_at", [
    "1970-01-01T00:00:00+00:00",  # a kiosk whose clock was never set
    "2026-11-25T10:00:00",  # no UTC offset: not a moment at all
    "yesterday",
])
def test_heartbeats_with_an_unusable_clock_are_refused_with_a_clear_problem(fleet, sent_at):
    answer = fleet.beat(sent_at=sent_at)
    assert answer.status_code == 422
    assert answer.json()["code"] in ("sent_at_out_of_range", "sent_at_invalid")
    assert answer.json()["message"] and "Traceback" not in answer.text
    assert fleet.kiosks()["XM-HALL-001"]["last_heartbeat_at"] is None


def test_the_window_is_a_setting(new_database):
    fleet = Fleet(new_database("fleet"), heartbeat_skew_s=600)
    try:
        late = (fleet.clock() - timedelta(minutes=11)).isoformat(timespec="seconds")
        assert fleet.beat(sent_at=late).json()["code"] == "sent_at_out_of_range"
        fine = (fleet.clock() - timedelta(minutes=9)).isoformat(timespec="seconds")
        assert fleet.beat(sent_at=fine).status_code == 200
    finally:
        fleet.server.stop()


def test_a_kiosk_clock_ahead_within_the_window_does_not_hide_the_next_heartbeats(fleet):
    ahead = (fleet.clock() + timedelta(hours=20)).isoformat(timespec="seconds")
    assert fleet.beat(sent_at=ahead, config={"installed_version": 1}).json()["result"] == {"latest": True}
    # The technician fixes the clock; the next heartbeat is the kiosk's state again.
    fleet.clock.advance(seconds=60)
    assert fleet.beat(config={"installed_version": 2}).json()["result"] == {"latest": True}
    fleet.clock.advance(seconds=60)
    assert fleet.beat(config={"installed_version": 3}).json()["result"] == {"latest": True}
    row = fleet.kiosks()["XM-HALL-001"]
    assert row["config_version"] == 3 and row["heartbeat_age_s"] == 0 and row["online"] is True


def test_last_seen_is_the_gateways_receive_time(fleet):
    behind = (fleet.clock() - timedelta(hours=5)).isoformat(timespec="seconds")
    assert fleet.beat(sent_at=behind).json()["result"] == {"latest": True}
    row = fleet.kiosks()["XM-HALL-001"]
    assert row["last_heartbeat_at"] == fleet.clock().isoformat(timespec="seconds") and row["online"] is True
    fleet.clock.advance(seconds=400)
    assert fleet.kiosks()["XM-HALL-001"]["online"] is False


def test_an_idempotent_replay_of_a_refused_heartbeat_is_refused_again(fleet):
    body = heartbeat(HALL[0], sent_at="2099-01-01T00:00:00+08:00")
    api = Api(fleet.url, HALL)
    for _ in range(2):
        answer = api.post("/outbox/telemetry", json={"payload": body}, key="hb-future-0001")
        assert answer.status_code == 422 and answer.json()["code"] == "sent_at_out_of_range"

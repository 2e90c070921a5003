"""Heartbeat history: every beat for a day, beats per hour for 90 days (the kiosk page's uptime), then gone."""

from __future__ import annotations

from datetime import UTC, datetime

from fleet_fixtures import HALL, Fleet, MovableClock


def _detail(fleet: Fleet) -> dict:
    answer = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks/" + HALL[0], timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _count(fleet: Fleet, table: str) -> int:
    with fleet.db.read() as conn:
        return conn.one(f"SELECT COUNT(*) FROM {table}")[0]


def test_beats_are_kept_a_day_and_hourly_counts_ninety_days(new_database):
    clock = MovableClock(datetime(2026, 11, 25, 0, 0, tzinfo=UTC))
    fleet = Fleet(new_database("history"), clock=clock)
    try:
        for _ in range(30):  # half an hour of beats: up
            assert fleet.beat().status_code == 200
            clock.advance(minutes=1)
        clock.advance(hours=2)
        assert fleet.beat().status_code == 200  # one lonely beat: that hour counts as down
        detail = _detail(fleet)
        assert len(detail["history"]) == 31 and detail["history"][0]["sent_at"] > detail["history"][-1]["sent_at"]
        assert detail["uptime"]["up_hours"] == 1 and detail["uptime"]["hours"] == 3
        assert detail["uptime"]["days"] == [{"date": "2026-11-25", "up_hours": 1}]
        clock.advance(hours=25)
        assert fleet.beat().status_code == 200  # this write prunes what is past its window
        assert _count(fleet, "fleet_beats") == 1 and _count(fleet, "fleet_uptime") == 3
        assert len(_detail(fleet)["history"]) == 1
        clock.advance(days=91)
        assert fleet.beat().status_code == 200
        assert _count(fleet, "fleet_uptime") == 1 and _count(fleet, "fleet_beats") == 1
    finally:
        fleet.server.stop()

"""Hall hours at the moments that matter: lunch, closing, midnight, holidays, make-up weekends."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.calendar import DEFAULT_CALENDAR_PATH, load_calendar, parse_calendar
from kiosk.hall.calendar import (
    ClosedBecause,
    DayKind,
    hall_day,
    hall_status,
    is_offered,
    next_opening,
)
from kiosk.system.clock import HALL_ZONE, SettableClock, SystemClock, epoch_seconds

CALENDAR = load_calendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HALL_ZONE)


def test_a_regular_monday_with_its_lunch_break() -> None:
    before = hall_status(CALENDAR, at("2026-03-02 08:29:59"))
    assert not before.open and before.closed_because is ClosedBecause.BEFORE_OPENING
    assert before.opens_at == at("2026-03-02 08:30")
    assert before.wording().en == "Closed until 08:30 today"
    opening = hall_status(CALENDAR, at("2026-03-02 08:30"))
    assert opening.open and opening.closes_at == at("2026-03-02 12:00")
    assert opening.wording().en == "Open until 12:00 today"
    lunch = hall_status(CALENDAR, at("2026-03-02 12:00"))
    assert not lunch.open and lunch.closed_because is ClosedBecause.LUNCH_BREAK
    assert lunch.opens_at == at("2026-03-02 13:30")
    assert lunch.wording().en == "Lunch break — open again at 13:30 today"
    assert lunch.wording().zh == "午休暂停服务，今天 13:30 恢复"
    assert hall_status(CALENDAR, at("2026-03-02 17:29:59")).open
    evening = hall_status(CALENDAR, at("2026-03-02 17:30"))
    assert evening.closed_because is ClosedBecause.AFTER_CLOSING
    assert evening.wording().en == "Closed until 08:30 tomorrow"


def test_friday_evening_says_monday() -> None:
    status = hall_status(CALENDAR, at("2026-03-06 17:30"))
    assert status.opens_at == at("2026-03-09 08:30")
    assert status.wording().en == "Closed until 08:30 Monday"
    assert status.wording().zh == "暂停服务，周一 08:30 开放"
    assert hall_status(CALENDAR, at("2026-03-07 10:00")).closed_because is ClosedBecause.REST_DAY


def test_midnight_turns_tomorrow_into_today() -> None:
    late = hall_status(CALENDAR, at("2026-03-08 23:59:59"))
    assert late.wording().en == "Closed until 08:30 tomorrow"
    midnight = hall_status(CALENDAR, at("2026-03-09 00:00"))
    assert midnight.closed_because is ClosedBecause.BEFORE_OPENING
    assert midnight.wording().en == "Closed until 08:30 today"
    assert late.opens_at == midnight.opens_at


def test_make_up_sunday_after_new_year_is_a_working_day() -> None:
    day = hall_day(CALENDAR, at("2026-01-04 00:00").date())
    assert day.kind is DayKind.MAKEUP_WORKDAY and day.holiday.name.en == "New Year's Day"
    holiday_night = hall_status(CALENDAR, at("2026-01-03 23:59:59"))
    assert holiday_night.closed_because is ClosedBecause.HOLIDAY
    assert holiday_night.opens_at == at("2026-01-04 08:30")
    assert holiday_night.wording().en == "Closed for New Year's Day until 08:30 tomorrow"
    assert holiday_night.wording().zh == "元旦假期暂停服务，明天 08:30 开放"
    assert hall_status(CALENDAR, at("2026-01-04 09:00")).open
    assert hall_status(CALENDAR, at("2026-09-20 16:00")).open  # make-up Sunday before National Day
    assert not hall_status(CALENDAR, at("2026-09-13 16:00")).open  # an ordinary Sunday


def test_spring_festival_closing_names_the_holiday_and_the_date() -> None:
    status = hall_status(CALENDAR, at("2026-02-14 17:30"))  # make-up Saturday, after closing
    assert hall_status(CALENDAR, at("2026-02-14 10:00")).open
    assert status.opens_at == at("2026-02-24 08:30")
    assert status.holiday is not None and status.holiday.name.zh == "春节"
    assert status.wording().en == "Closed for Spring Festival until 08:30 Tuesday 24 February"
    assert status.wording().zh == "春节假期暂停服务，2月24日（周二）08:30 开放"
    assert hall_status(CALENDAR, at("2026-02-18 10:00")).closed_because is ClosedBecause.HOLIDAY


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        ("2026-10-07 10:00", False),  # last day of National Day
        ("2026-10-08 08:30", True),   # first day back
        ("2026-10-10 10:00", True),   # make-up Saturday
        ("2026-04-06 10:00", False),  # Qingming Monday
        ("2026-04-07 10:00", True),
        ("2026-05-05 10:00", False),  # Labour Day Tuesday
        ("2026-05-09 14:00", True),   # make-up Saturday
        ("2026-06-19 10:00", False),  # Dragon Boat Friday
        ("2026-09-25 10:00", False),  # Mid-Autumn Friday
        ("2026-01-01 10:00", False),
    ],
)
def test_holiday_boundaries(moment: str, is_open: bool) -> None:
    assert hall_status(CALENDAR, at(moment)).open is is_open


def test_moment_in_another_zone_is_read_as_hall_time() -> None:
    assert hall_status(CALENDAR, datetime(2026, 3, 2, 0, 30, tzinfo=UTC)).open  # 08:30 in Xiamen
    with pytest.raises(ValueError, match="aware"):
        hall_status(CALENDAR, datetime(2026, 3, 2, 9, 0))


def test_round_the_clock_services_only_in_the_24_hour_zone() -> None:
    sunday_night = at("2026-02-17 03:00")  # Spring Festival, 3 am
    assert is_offered(CALENDAR, "24h", "24h", sunday_night)
    assert not is_offered(CALENDAR, "hall", "24h", sunday_night)
    assert not is_offered(CALENDAR, "24h", "hall", sunday_night)
    assert is_offered(CALENDAR, "hall", "hall", at("2026-03-02 09:00"))


def test_special_days_and_unpublished_hours() -> None:
    with DEFAULT_CALENDAR_PATH.open("rb") as handle:
        data = tomllib.load(handle)
    data = copy.deepcopy(data)
    data["special_days"] = [{"date": at("2026-03-03 00:00").date(), "sessions": ["08:30-12:00"]}]
    half_day = parse_calendar(data)
    assert hall_status(half_day, at("2026-03-03 11:00")).open
    assert hall_status(half_day, at("2026-03-03 13:30")).closed_because is ClosedBecause.AFTER_CLOSING
    data["week"] = {day: [] for day in data["week"]}
    data["holidays"] = []
    data["special_days"] = []
    never = parse_calendar(data)
    status = hall_status(never, at("2026-03-03 10:00"))
    assert status.opens_at is None
    assert status.wording().en == "Closed — opening hours not yet published"


@settings(max_examples=300, deadline=None)
@given(minutes=st.integers(min_value=0, max_value=366 * 24 * 60))
def test_status_and_next_opening_agree(minutes: int) -> None:
    moment = at("2026-01-01 00:00") + timedelta(minutes=minutes)
    status = hall_status(CALENDAR, moment)
    opening = next_opening(CALENDAR, moment)
    if status.open:
        assert opening == moment and status.closes_at > moment
        assert not hall_status(CALENDAR, status.closes_at).open
    else:
        assert opening is not None and opening > moment
        assert hall_status(CALENDAR, opening).open
        assert not hall_status(CALENDAR, opening - timedelta(seconds=1)).open


def test_clocks() -> None:
    clock = SettableClock(at("2026-03-06 17:29"))
    assert clock.advance(minutes=1) == at("2026-03-06 17:30")
    clock.set(at("2026-03-09 08:30"))
    assert clock.now() == at("2026-03-09 08:30")
    assert epoch_seconds(clock)() == at("2026-03-09 08:30").timestamp()
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2026, 3, 9, 8, 30))
    assert SystemClock().now().utcoffset() == timedelta(hours=8)

"""The opening-hours calendar: the shipped 2026 data and the errors admins see for bad data."""

from __future__ import annotations

import copy
import tomllib
from datetime import date, time

import pytest

from config.calendar import DEFAULT_CALENDAR_PATH, CalendarError, load_calendar, parse_calendar


@pytest.fixture(scope="module")
def shipped() -> dict:
    with DEFAULT_CALENDAR_PATH.open("rb") as handle:
        return tomllib.load(handle)


def test_shipped_calendar_has_the_2026_arrangement() -> None:
    calendar = load_calendar()
    assert calendar.holiday_years() == {2026}
    spring = calendar.holiday_on(date(2026, 2, 17))
    assert spring is not None and spring.name.zh == "春节"
    assert (spring.first, spring.last) == (date(2026, 2, 15), date(2026, 2, 23))
    # Make-up working days published by the State Council for 2026.
    makeups = sorted(d for h in calendar.holidays for d in h.makeup_workdays)
    assert makeups == [
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
        date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10),
    ]
    assert all(d.weekday() >= 5 for d in makeups)
    assert calendar.makeup_for(date(2026, 9, 20)).name.en == "National Day"
    holiday_days = sum(len(h.days()) for h in calendar.holidays)
    assert holiday_days == 3 + 9 + 3 + 5 + 3 + 3 + 7


def test_weekly_hours_have_a_lunch_break() -> None:
    calendar = load_calendar()
    monday = calendar.week.sessions(0)
    assert len(monday) == 2
    assert monday[0].end <= time(12, 0) < monday[1].start
    assert calendar.week.sessions(5) == [] and calendar.week.sessions(6) == []
    assert str(monday[0]) == "08:30-12:00"


@pytest.mark.parametrize(
    ("mutate", "key", "expected_words"),
    [
        (lambda d: d["week"].pop("sat"), "week.sat", "required"),
        (lambda d: d["week"].__setitem__("thur", []), "week.thur", "no such key"),
        (lambda d: d["week"].__setitem__("mon", ["13:30-12:00"]), "week.mon[0]", "start before the end"),
        (lambda d: d["week"].__setitem__("mon", ["8:30-12:00"]), "week.mon[0]", "HH:MM-HH:MM"),
        (lambda d: d["week"].__setitem__("mon", ["08:30-25:00"]), "week.mon[0]", "hours 00-23"),
        (lambda d: d["week"].__setitem__("tue", ["08:30-12:00", "11:00-17:00"]), "week.tue", "not overlapping"),
        (lambda d: d["week"].__setitem__("wed", [830]), "week.wed[0]", "HH:MM-HH:MM"),
        (lambda d: d.__setitem__("timezone", "Mars/Olympus"), "timezone", "IANA time zone"),
        (lambda d: d["holidays"][1].__setitem__("last", date(2026, 2, 1)), "holidays[1]", "on or after"),
        (lambda d: d["holidays"][1].__setitem__("first", "soon"), "holidays[1].first", "date"),
        (lambda d: d["holidays"][0]["makeup_workdays"].append(date(2026, 1, 2)), "holidays[0]", "outside the holiday"),
        (lambda d: d["holidays"][2].__setitem__("makeup_workdays", [date(2026, 4, 8)]), "(top level)", "normally closed"),
        (lambda d: d["holidays"][2].__setitem__("last", date(2026, 5, 2)), "(top level)", "not to overlap"),
        (lambda d: d["holidays"][3]["makeup_workdays"].append(date(2026, 10, 3)), "(top level)", "not to fall"),
        (lambda d: d["holidays"][0].pop("name"), "holidays[0].name", "required"),
    ],
)
def test_bad_calendar_names_the_key_and_what_was_expected(shipped, mutate, key, expected_words) -> None:
    data = copy.deepcopy(shipped)
    mutate(data)
    with pytest.raises(CalendarError) as caught:
        parse_calendar(data, source="bundle")
    assert caught.value.key == key
    assert expected_words in caught.value.expected
    assert str(caught.value).startswith(f"bundle: {key}: expected ")


def test_special_days_are_validated_and_found(shipped) -> None:
    data = copy.deepcopy(shipped)
    data["special_days"] = [{"date": date(2026, 12, 31), "sessions": ["08:30-12:00"]}]
    calendar = parse_calendar(data)
    assert calendar.special_day(date(2026, 12, 31)).sessions[0].end == time(12, 0)
    assert calendar.special_day(date(2026, 12, 30)) is None
    data["special_days"].append({"date": date(2026, 12, 31), "sessions": []})
    with pytest.raises(CalendarError, match="each special day once"):
        parse_calendar(data)


def test_2027_data_pushed_by_admins_is_accepted(shipped) -> None:
    data = copy.deepcopy(shipped)
    data["holidays"].append(
        {"name": {"zh": "元旦", "en": "New Year's Day"}, "first": date(2027, 1, 1), "last": date(2027, 1, 3)}
    )
    assert parse_calendar(data).holiday_years() == {2026, 2027}


def test_file_errors_are_clear(tmp_path) -> None:
    with pytest.raises(CalendarError, match="calendar TOML file"):
        load_calendar(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("week = [", encoding="utf-8")
    with pytest.raises(CalendarError) as caught:
        load_calendar(broken)
    assert caught.value.key == "(syntax)" and str(broken) in str(caught.value)

"""The hall's opening-hours calendar: weekly hours, public holidays and make-up working days (调休).

The calendar is data: it comes from ``config/defaults/calendar.toml`` or from the remote bundle the
admins push, and is validated here. Questions about a moment ("is the hall open now, when does it
open next") are answered in ``kiosk/hall/calendar.py``; this module only says what the hours *are*.

A day's opening hours are decided in this order:

1. a special day (``[[special_days]]``) gives that date's sessions outright;
2. a date inside a holiday is closed;
3. a make-up working day (listed with its holiday) opens with ``makeup_day`` sessions, even on a
   Saturday or Sunday;
4. otherwise the weekday's sessions from ``[week]`` apply.

Sessions are half-open (``08:30-12:00`` means open at 08:30, closed at 12:00) and never cross
midnight; the 24-hour zone is not described here because it is always open.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator, model_validator

log = logging.getLogger("config")

DEFAULT_CALENDAR_PATH = Path(__file__).with_name("defaults") / "calendar.toml"

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

_SESSION_PATTERN = re.compile(r"^\s*(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*$")


class CalendarError(ValueError):
    """The calendar data is wrong. ``key`` is the dotted key, ``expected`` says what would be right."""

    def __init__(self, key: str, expected: str, got: object = None, source: str | None = None) -> None:
        self.key = key
        self.expected = expected
        self.got = got
        self.source = source
        where = f"{source}: " if source else ""
        tail = "" if got is None else f", got {got!r}"
        super().__init__(f"{where}{key}: expected {expected}{tail}")


class Session(BaseModel):
    """One opening period within a day, ``start`` inclusive, ``end`` exclusive."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _parse_session(value: Any) -> Any:
    if isinstance(value, Session | Mapping):
        return value
    if not isinstance(value, str):
        raise ValueError(f'expected a string "HH:MM-HH:MM", got {value!r}')
    match = _SESSION_PATTERN.match(value)
    if not match:
        raise ValueError(f'expected "HH:MM-HH:MM" (e.g. "08:30-12:00"), got {value!r}')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise ValueError(f"expected hours 00-23 and minutes 00-59, got {value!r}") from None
    if not start < end:
        raise ValueError(f"expected the start before the end on the same day, got {value!r}")
    return Session(start=start, end=end)


SessionText = Annotated[Session, BeforeValidator(_parse_session)]


def _check_day(sessions: list[Session]) -> list[Session]:
    for earlier, later in zip(sessions, sessions[1:], strict=False):
        if not earlier.end <= later.start:
            raise ValueError(
                f"expected sessions in order and not overlapping, got {earlier} before {later}"
            )
    return sessions


class Week(BaseModel):
    """Regular opening sessions per weekday; an empty list means closed all day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mon: list[SessionText]
    tue: list[SessionText]
    wed: list[SessionText]
    thu: list[SessionText]
    fri: list[SessionText]
    sat: list[SessionText]
    sun: list[SessionText]

    _ordered = field_validator(*WEEKDAYS)(_check_day)

    def sessions(self, weekday: int) -> list[Session]:
        """Sessions for ``date.weekday()`` (0 = Monday)."""
        return getattr(self, WEEKDAYS[weekday])


class Name(BaseModel):
    """A name in both kiosk languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str
    en: str


class Holiday(BaseModel):
    """A public holiday period (closed) and the weekend days worked to make up for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Name
    first: date
    last: date
    makeup_workdays: list[date] = []

    @model_validator(mode="after")
    def _range(self) -> Holiday:
        if self.last < self.first:
            raise ValueError(f"expected 'last' on or after 'first' ({self.first}), got {self.last}")
        for day in self.makeup_workdays:
            if self.first <= day <= self.last:
                raise ValueError(f"expected make-up working days outside the holiday itself, got {day}")
        return self

    def days(self) -> list[date]:
        """Every date of the holiday, first to last."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


class SpecialDay(BaseModel):
    """A one-off day with its own hours (e.g. a half day, or closed for a power cut)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: date
    sessions: list[SessionText]
    note: Name | None = None

    _ordered = field_validator("sessions")(_check_day)


class HallCalendar(BaseModel):
    """The validated opening-hours calendar of the service hall."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = "Asia/Shanghai"
    week: Week
    makeup_day: list[SessionText]
    holidays: list[Holiday] = []
    special_days: list[SpecialDay] = []

    _ordered = field_validator("makeup_day")(_check_day)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'expected an IANA time zone name such as "Asia/Shanghai", got {value!r}') from None
        return value

    @model_validator(mode="after")
    def _no_clashes(self) -> HallCalendar:
        holiday_of: dict[date, str] = {}
        for holiday in self.holidays:
            for day in holiday.days():
                if day in holiday_of:
                    raise ValueError(
                        f"expected holidays not to overlap, got {day} in both "
                        f"{holiday_of[day]!r} and {holiday.name.en!r}"
                    )
                holiday_of[day] = holiday.name.en
        for holiday in self.holidays:
            for day in holiday.makeup_workdays:
                if day in holiday_of:
                    raise ValueError(
                        f"expected make-up working day {day} of {holiday.name.en!r} not to fall "
                        f"inside holiday {holiday_of[day]!r}"
                    )
            for day in holiday.makeup_workdays:
                if self.week.sessions(day.weekday()):
                    raise ValueError(
                        f"expected make-up working day {day} of {holiday.name.en!r} on a day the hall is "
                        f"normally closed, got a {WEEKDAYS[day.weekday()]} with regular hours"
                    )
        seen: set[date] = set()
        for special in self.special_days:
            if special.date in seen:
                raise ValueError(f"expected each special day once, got {special.date} twice")
            seen.add(special.date)
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The hall's time zone, used to read the clock as the wall clock in the hall."""
        return ZoneInfo(self.timezone)

    def holiday_on(self, day: date) -> Holiday | None:
        """The holiday that ``day`` falls in, if any."""
        for holiday in self.holidays:
            if holiday.first <= day <= holiday.last:
                return holiday
        return None

    def makeup_for(self, day: date) -> Holiday | None:
        """The holiday that ``day`` is a make-up working day for, if any."""
        for holiday in self.holidays:
            if day in holiday.makeup_workdays:
                return holiday
        return None

    def special_day(self, day: date) -> SpecialDay | None:
        """The special-day entry for ``day``, if any."""
        for special in self.special_days:
            if special.date == day:
                return special
        return None

    def holiday_years(self) -> set[int]:
        """Years for which holiday data has been given (admins push next year's arrangement)."""
        return {holiday.first.year for holiday in self.holidays} | {
            holiday.last.year for holiday in self.holidays
        }


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("function-"):
            continue  # pydantic names validator wrappers in the location; the admin needs the key
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _explain(error: Mapping[str, Any]) -> tuple[str, str]:
    kind = error["type"]
    message = str(error["msg"])
    if kind == "missing":
        return "a value (the key is required)", message
    if kind == "extra_forbidden":
        return "no such key (check the spelling)", message
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    if message.startswith("expected "):
        return message.removeprefix("expected "), message
    return message[0].lower() + message[1:], message


def parse_calendar(data: Mapping[str, Any], source: str | None = None) -> HallCalendar:
    """Validate calendar data (as read from TOML or a bundle); raise :class:`CalendarError` naming the key."""
    try:
        return HallCalendar.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        expected, _ = _explain(first)
        got = first.get("input") if first["type"] not in {"missing", "value_error"} else None
        raise CalendarError(_dotted(tuple(first["loc"])), expected, got, source) from None


def load_calendar(path: Path | str | None = None) -> HallCalendar:
    """Read and validate a calendar TOML file (the shipped default when ``path`` is None)."""
    path = Path(path) if path is not None else DEFAULT_CALENDAR_PATH
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise CalendarError("(file)", "a calendar TOML file", str(path), str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError("(syntax)", f"valid TOML ({exc})", None, str(path)) from None
    calendar = parse_calendar(data, source=str(path))
    log.info("calendar loaded from %s: holiday data for %s", path, sorted(calendar.holiday_years()) or "no year")
    return calendar

"""When the hall is open: answers about a moment, from the opening-hours calendar.

"Is this service offered now?", "when does the hall open next?", and the sentence that tells the
citizen ("Closed until 08:30 Monday" / "暂停服务，周一 08:30 开放"). Lunch breaks, public holidays,
make-up working days on weekends, special days and midnight are all handled here, in the hall's
time zone, whatever zone the given moment is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Literal

from config.calendar import HallCalendar, Holiday, Session

HoursMode = Literal["hall", "24h"]
Zone = Literal["hall", "24h"]

# How far ahead to look for the next opening; longer than any holiday run plus weekends.
SEARCH_DAYS = 60

_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_MONTH_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


@dataclass(frozen=True)
class Wording:
    """A sentence in both kiosk languages."""

    zh: str
    en: str

    def in_language(self, language: str) -> str:
        """The sentence for ``"zh"`` or ``"en"`` (Chinese for anything else)."""
        return self.en if language == "en" else self.zh


class DayKind(Enum):
    """Why a date has the hours it has."""

    WORKDAY = "workday"
    REST_DAY = "rest_day"  # a regular weekend day
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"  # 调休上班: a weekend day worked for a holiday
    SPECIAL = "special"


@dataclass(frozen=True)
class HallDay:
    """One date of the calendar: its kind, its sessions and the holiday it belongs to, if any."""

    date: date
    kind: DayKind
    sessions: tuple[Session, ...]
    holiday: Holiday | None = None


class ClosedBecause(Enum):
    """Why the hall is closed at a moment."""

    BEFORE_OPENING = "before_opening"
    LUNCH_BREAK = "lunch_break"
    AFTER_CLOSING = "after_closing"
    REST_DAY = "rest_day"
    HOLIDAY = "holiday"
    SPECIAL_DAY = "special_day"


@dataclass(frozen=True)
class HallStatus:
    """The hall at one moment: open until when, or closed why and until when."""

    at: datetime
    open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    closed_because: ClosedBecause | None = None
    holiday: Holiday | None = None

    def wording(self) -> Wording:
        """What to tell the citizen about hall hours at this moment."""
        if self.open and self.closes_at is not None:
            hhmm = f"{self.closes_at:%H:%M}"
            return Wording(zh=f"开放中，今天 {hhmm} 结束", en=f"Open until {hhmm} today")
        return closed_until_wording(self.at, self.opens_at, self.closed_because, self.holiday)


def hall_day(calendar: HallCalendar, day: date) -> HallDay:
    """The kind and opening sessions of ``day`` (special day > holiday > make-up day > weekly hours)."""
    special = calendar.special_day(day)
    if special is not None:
        return HallDay(day, DayKind.SPECIAL, tuple(special.sessions), calendar.holiday_on(day))
    holiday = calendar.holiday_on(day)
    if holiday is not None:
        return HallDay(day, DayKind.HOLIDAY, (), holiday)
    makeup = calendar.makeup_for(day)
    if makeup is not None:
        return HallDay(day, DayKind.MAKEUP_WORKDAY, tuple(calendar.makeup_day), makeup)
    sessions = tuple(calendar.week.sessions(day.weekday()))
    return HallDay(day, DayKind.WORKDAY if sessions else DayKind.REST_DAY, sessions)


def _local(calendar: HallCalendar, at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {at.isoformat()}")
    return at.astimezone(calendar.zone)


def _periods(calendar: HallCalendar, day: date) -> list[tuple[datetime, datetime]]:
    zone = calendar.zone
    return [
        (datetime.combine(day, s.start, zone), datetime.combine(day, s.end, zone))
        for s in hall_day(calendar, day).sessions
    ]


def next_opening(calendar: HallCalendar, at: datetime) -> datetime | None:
    """The first moment at or after ``at`` when the hall is open; None if none within the search horizon."""
    local = _local(calendar, at)
    for offset in range(SEARCH_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        for start, end in _periods(calendar, day):
            if end > local:
                return max(start, local)
    return None


def hall_status(calendar: HallCalendar, at: datetime) -> HallStatus:
    """Whether the hall is open at ``at``, and until when or from when."""
    local = _local(calendar, at)
    today = hall_day(calendar, local.date())
    periods = _periods(calendar, local.date())
    for start, end in periods:
        if start <= local < end:
            return HallStatus(at=local, open=True, closes_at=end)
    opens_at = next_opening(calendar, local)
    if today.kind is DayKind.HOLIDAY:
        because = ClosedBecause.HOLIDAY
    elif not periods:
        because = ClosedBecause.SPECIAL_DAY if today.kind is DayKind.SPECIAL else ClosedBecause.REST_DAY
    elif local < periods[0][0]:
        because = ClosedBecause.BEFORE_OPENING
    elif local >= periods[-1][1]:
        because = ClosedBecause.AFTER_CLOSING
    else:
        because = ClosedBecause.LUNCH_BREAK
    return HallStatus(
        at=local, open=False, opens_at=opens_at, closed_because=because,
        holiday=_holiday_before(calendar, local.date(), opens_at),
    )


def _holiday_before(calendar: HallCalendar, today: date, opens_at: datetime | None) -> Holiday | None:
    """The holiday the hall is closed for between today and the next opening, so the citizen hears why."""
    last = opens_at.date() if opens_at is not None else today + timedelta(days=SEARCH_DAYS)
    day = today
    while day < last:
        holiday = calendar.holiday_on(day)
        if holiday is not None:
            return holiday
        day += timedelta(days=1)
    return None


def is_offered(calendar: HallCalendar, hours: HoursMode, zone: Zone, at: datetime) -> bool:
    """Whether a service with ``hours`` is offered at ``at`` on a kiosk standing in ``zone``.

    A kiosk in the 24-hour zone offers round-the-clock services always and hall-hours services
    only while the hall is open. A kiosk inside the hall offers hall-hours services while the
    windows are open, and its self-service (round-the-clock) services all the time the building
    is open that day, lunch break included: the windows close for lunch, the building does not.
    """
    if hours == "24h" and zone == "24h":
        return True
    if hours == "24h":
        local = _local(calendar, at)
        periods = _periods(calendar, local.date())
        return bool(periods) and periods[0][0] <= local < periods[-1][1]
    return hall_status(calendar, at).open


def when_wording(now: datetime, moment: datetime) -> Wording:
    """``moment`` seen from ``now`` in the hall's time: today, tomorrow, a weekday within the week, or a date."""
    moment = moment.astimezone(now.tzinfo)
    hhmm = f"{moment:%H:%M}"
    days = (moment.date() - now.date()).days
    weekday = moment.weekday()
    if days == 0:
        return Wording(zh=f"今天 {hhmm}", en=f"{hhmm} today")
    if days == 1:
        return Wording(zh=f"明天 {hhmm}", en=f"{hhmm} tomorrow")
    if days < 7:
        return Wording(zh=f"{_WEEKDAY_ZH[weekday]} {hhmm}", en=f"{hhmm} {_WEEKDAY_EN[weekday]}")
    return Wording(zh=f"{moment.month}月{moment.day}日（{_WEEKDAY_ZH[weekday]}）{hhmm}",
                   en=f"{hhmm} {_WEEKDAY_EN[weekday]} {moment.day} {_MONTH_EN[moment.month - 1]}")


def closed_until_wording(
    now: datetime,
    opens_at: datetime | None,
    because: ClosedBecause | None = None,
    holiday: Holiday | None = None,
) -> Wording:
    """The "closed until 08:30 Monday" sentence in both languages, relative to ``now``.

    The opening is named as today, tomorrow, a weekday within the week, or a full date beyond it.
    """
    if opens_at is None:
        return Wording(zh="暂停服务，开放时间待公布", en="Closed — opening hours not yet published")
    when = when_wording(now, opens_at)
    when_zh, when_en = when.zh, when.en
    if because is ClosedBecause.LUNCH_BREAK:
        return Wording(zh=f"午休暂停服务，{when_zh} 恢复", en=f"Lunch break — open again at {when_en}")
    if holiday is not None:
        return Wording(
            zh=f"{holiday.name.zh}假期暂停服务，{when_zh} 开放",
            en=f"Closed for {holiday.name.en} until {when_en}",
        )
    return Wording(zh=f"暂停服务，{when_zh} 开放", en=f"Closed until {when_en}")

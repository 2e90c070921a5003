"""The kiosk's one clock.

Everything that asks "what time is it" (opening hours, availability, cache ages, back-off) takes a
:class:`Clock`, so tests and the demo can stand at any moment: a Friday at 17:29, the last minute
before the Spring Festival, midnight on a make-up Sunday. Times are aware datetimes in the hall's
time zone (China Standard Time, no daylight saving).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

HALL_ZONE = ZoneInfo("Asia/Shanghai")


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current time as an aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock of the machine, read in the hall's time zone."""

    def __init__(self, zone: tzinfo = HALL_ZONE) -> None:
        self.zone = zone

    def now(self) -> datetime:
        return datetime.now(self.zone)


class SettableClock:
    """A clock that stands still until told otherwise; for tests, demos and the technician's time travel."""

    def __init__(self, at: datetime) -> None:
        self._lock = threading.Lock()
        self._at = _aware(at)

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (an aware datetime)."""
        at = _aware(at)
        with self._lock:
            self._at = at

    def advance(self, delta: timedelta | None = None, /, **parts: float) -> datetime:
        """Move forward by ``delta`` or by keyword parts (``minutes=5``); return the new time."""
        step = (delta or timedelta()) + timedelta(**parts)
        with self._lock:
            self._at = self._at + step
            return self._at


def epoch_seconds(clock: Clock) -> Callable[[], float]:
    """The clock as a ``() -> float`` of Unix seconds, the form the offline store takes."""
    return lambda: clock.now().timestamp()


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"expected an aware datetime (with a time zone), got naive {at.isoformat()}")
    return at

"""The 24-hour zone out of hall hours: no page sends a citizen to a counter that is closed.

A kiosk in the 24-hour self-service zone (``kiosk.zone = "24h"``) stays on when the hall's windows,
staff desk and finance counter close. A next step that names one of them ("请到财政窗口缴费", "ask
at the staff desk") is then replaced by what works instead: when the counters open again (the
time from the hall calendar: "明天 08:30"), the hotline, and the online service on the citizen's
phone. Inside the hall, or while the hall is open, every sentence stays as written.

:func:`closed_counters` answers for one moment; :meth:`ClosedCounters.instead_of` rewrites one
next step (both languages); the journeys apply it to every problem they show
(:class:`kiosk.journeys.base.Journey`), the screens to their own sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from config.calendar import HallCalendar
from kiosk.hall.calendar import Wording, hall_status, when_wording

# A counter, desk, window or its staff; not the scanner's "扫码窗口" (the glass a code is held to).
_COUNTER_ZH = re.compile(r"(?<!扫码)(?:窗口|服务台|柜台|人工|工作人员)")
_COUNTER_EN = re.compile(r"\b(?:windows?|desks?|counters?|staff)\b", re.IGNORECASE)
_CALL_STAFF_BUTTON = re.compile(r"“呼叫工作人员”|“Call staff”")  # the button works out of hours (hotline)


def names_a_counter(zh: str, en: str = "") -> bool:
    """Whether a sentence (in either language) sends the citizen to a counter or its staff."""
    return bool(_COUNTER_ZH.search(_CALL_STAFF_BUTTON.sub("", zh)) or _COUNTER_EN.search(_CALL_STAFF_BUTTON.sub("", en)))


@dataclass(frozen=True)
class ClosedCounters:
    """The counters are closed at ``now``; they open at ``opens_at`` (None: not yet published)."""

    now: datetime
    opens_at: datetime | None
    hotline: str
    site: str

    def instead(self) -> Wording:
        """What the citizen can do now, and when the counters open."""
        if self.opens_at is None:
            when_zh, when_en = "大厅服务窗口现已关闭", "The hall's counters are closed now"
        else:
            when = when_wording(self.now, self.opens_at)
            when_zh = f"大厅服务窗口现已关闭，{when.zh} 开放"
            when_en = f"The hall's counters are closed now and open at {when.en}"
        return Wording(
            zh=f"{when_zh}。现在可拨打服务热线 {self.hotline}，或用手机访问 {self.site} 在线办理。",
            en=f"{when_en}. Meanwhile call the hotline {self.hotline}, or go to {self.site} on your phone.",
        )

    def instead_of(self, zh: str, en: str, what_zh: str = "", what_en: str = "") -> tuple[str, str]:
        """``(zh, en)``, a next step, as it may stand now: the same, or what works instead when it (or the
        ``what`` it follows) names a counter."""
        if not (names_a_counter(zh, en) or names_a_counter(what_zh, what_en)):
            return zh, en
        instead = self.instead()
        return instead.zh, instead.en


def closed_counters(calendar: HallCalendar | None, zone: str, now: datetime, hotline: str,
                    site: str) -> ClosedCounters | None:
    """The closed counters a 24-hour zone kiosk must not send anyone to, or None (inside the hall, or open)."""
    if zone != "24h" or calendar is None:
        return None
    status = hall_status(calendar, now)
    if status.open:
        return None
    return ClosedCounters(now=status.at, opens_at=status.opens_at, hotline=hotline, site=site)


def for_kiosk(availability: Any, settings: Any, now: datetime) -> ClosedCounters | None:
    """:func:`closed_counters` for a running kiosk: its availability engine's calendar and its settings."""
    calendar = getattr(availability, "calendar", None)
    kiosk = settings.kiosk
    return closed_counters(calendar, kiosk.zone, now, kiosk.hotline, kiosk.center_domain)

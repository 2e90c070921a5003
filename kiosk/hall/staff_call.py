"""呼叫工作人员: a citizen asks for a person; the hall's staff see it on the fleet console.

The call is an ``event`` entry (``staff_called``) in the durable outbox, so it reaches the gateway
even if the network is down at the moment of the call (it goes as soon as the gateway answers);
the gateway shows it among the kiosk's alerts with where the kiosk stands. While the hall is open
the citizen is told someone is coming; when it is closed (nights, weekends, holidays — the 24-hour
zone has no staff then) no one would come, so nothing is raised and the hotline is given instead.

A second call within ``REPEAT_S`` raises nothing new: the citizen is told staff are already on
their way (a child pressing the button forty times is one call, not forty).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from kiosk.hall.calendar import hall_status

log = logging.getLogger("hall")

REPEAT_S = 120.0
"""Calls closer together than this are one call (the gateway keeps the same rule for its alerts)."""
PAGE_CHARS = 40  # the page's name the staff see (a screen name, never what the citizen typed)


class Answer(Enum):
    COMING = "coming"  # raised: someone is on the way
    ALREADY = "already"  # raised moments ago: still on the way
    HOTLINE = "hotline"  # the hall is closed (or the call could not be kept): call the hotline


@dataclass(frozen=True)
class Outcome:
    answer: Answer
    hotline: str

    def wording(self) -> tuple[str, str]:
        """What the citizen is told, (Chinese, English)."""
        if self.answer is Answer.COMING:
            return ("已通知工作人员，请在原地稍候，工作人员马上就到。",
                    "Staff have been called. Please wait here; someone is on the way.")
        if self.answer is Answer.ALREADY:
            return ("工作人员正在赶来，请在原地稍候。",
                    "Staff are already on the way. Please wait here.")
        return (f"现在不是办公时间，现场没有工作人员。如需帮助，请拨打服务热线 {self.hotline}。",
                f"No staff are on duty at this hour. For help, please call the hotline {self.hotline}.")


class StaffCall:
    """Raises staff calls for one kiosk. ``outbox`` is the kiosk's durable outbox (None: not opened)."""

    def __init__(self, settings: Any, calendar: Any, outbox: Any, now: Callable[[], datetime],
                 wake: Callable[[], None] | None = None, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.calendar = calendar
        self.outbox = outbox
        self._now = now
        self._wake = wake
        self._monotonic = monotonic
        self._last_call: float | None = None

    def call(self, page: str) -> Outcome:
        kiosk = self.settings.kiosk
        hotline = kiosk.hotline
        at = self._now()
        if not hall_status(self.calendar, at).open:
            log.info("staff call out of hours: the hotline was shown", extra={"event": "staff_call_hotline"})
            return Outcome(Answer.HOTLINE, hotline)
        moment = self._monotonic()
        if self._last_call is not None and moment - self._last_call < REPEAT_S:
            return Outcome(Answer.ALREADY, hotline)
        if self.outbox is None:
            log.error("staff call not raised: the outbox is not open", extra={"event": "staff_call_lost"})
            return Outcome(Answer.HOTLINE, hotline)
        attributes = {"location": kiosk.location or kiosk.zone, "zone": kiosk.zone,
                      "page": _page_name(page), "called_at": at.isoformat(timespec="seconds")}
        try:
            self.outbox.append("event", {"event": "staff_called", "level": "error", "attributes": attributes},
                               idempotency_key=uuid.uuid4().hex)
        except Exception:  # storage full or broken: nobody would hear of it, so say so the other way
            log.exception("staff call could not be kept in the outbox")
            return Outcome(Answer.HOTLINE, hotline)
        self._last_call = moment
        log.info("staff called to the kiosk", extra={"event": "staff_called"})
        if self._wake is not None:
            self._wake()  # send it now rather than at the next drain
        return Outcome(Answer.COMING, hotline)

    def forget(self) -> None:
        """A new citizen: their call is a new call."""
        self._last_call = None


def _page_name(page: str) -> str:
    name = "".join(c for c in page if c.isalnum() or c in "_-")[:PAGE_CHARS]
    return name or "unknown"

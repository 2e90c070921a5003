"""Which demo kiosk to open: the hall's while the hall is open, else the 24-hour zone's.

A hall kiosk at night or at the weekend offers little but "closed until Monday"; the demo should be
usable whenever someone tries it, so ``--demo-zone auto`` (what ``scripts/demo.sh`` asks for) opens
the 24-hour-zone kiosk when the hall is closed, and says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from config.calendar import HallCalendar

Zone = Literal["hall", "24h"]


def choose(requested: str, now: datetime | None = None, calendar: HallCalendar | None = None) -> tuple[Zone, str]:
    """The zone to open and a line saying why (empty when the zone was asked for by name)."""
    if requested == "hall":
        return "hall", ""
    if requested == "24h":
        return "24h", ""
    from config.calendar import load_calendar
    from kiosk.hall.calendar import hall_status
    from kiosk.system.clock import SystemClock

    status = hall_status(calendar or load_calendar(), now or SystemClock().now())
    if status.open:
        return "hall", (f"demo: the hall is open ({status.wording().zh}); opening the hall kiosk. "
                        "For the 24-hour zone's kiosk: scripts/demo.sh --demo-zone 24h")
    return "24h", (f"demo: the hall is closed now ({status.wording().zh} / {status.wording().en}); opening the "
                   "24-hour self-service zone's kiosk, whose services are offered at any hour. "
                   "For the hall kiosk anyway: scripts/demo.sh --demo-zone hall")

"""The header shows the hall's time (the clock the opening hours are read on), whatever the machine's zone."""

from __future__ import annotations

import os
import time
from datetime import datetime

from kiosk.system.clock import HALL_ZONE, SettableClock


def test_the_header_shows_the_hall_clock(kiosk):
    kiosk.context.services.clock = SettableClock(datetime(2026, 11, 25, 8, 29, tzinfo=HALL_ZONE))
    header = kiosk.window.header
    header.tick()
    assert header.clock.text() == "2026年11月25日 星期三  08:29"


def test_a_machine_left_in_another_time_zone_still_shows_xiamen_time(kiosk):
    kiosk.context.services.clock = None
    original = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"  # twelve or thirteen hours behind Xiamen
    time.tzset()
    try:
        before = datetime.now(HALL_ZONE)
        kiosk.window.header.tick()
        after = datetime.now(HALL_ZONE)
        shown = kiosk.window.header.clock.text()
    finally:
        if original is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = original
        time.tzset()
    assert shown.endswith((f"{before:%H:%M}", f"{after:%H:%M}")), shown

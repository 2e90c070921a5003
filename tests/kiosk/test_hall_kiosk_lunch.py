"""A kiosk inside the hall keeps its self-service services through the lunch break, not at night."""

from datetime import datetime

import pytest

from config.calendar import load_calendar
from kiosk.hall.calendar import is_offered
from kiosk.system.clock import HALL_ZONE


@pytest.mark.parametrize(("moment", "self_service", "window_service"), [
    (datetime(2026, 11, 25, 10, 0), True, True),    # Wednesday morning
    (datetime(2026, 11, 25, 12, 30), True, False),  # lunch: windows closed, building open
    (datetime(2026, 11, 25, 20, 0), False, False),  # evening: the hall is locked
    (datetime(2026, 11, 28, 10, 0), False, False),  # Saturday
])
def test_hall_kiosk_offers(moment, self_service, window_service):
    calendar = load_calendar()
    at = moment.replace(tzinfo=HALL_ZONE)
    assert is_offered(calendar, "24h", "hall", at) is self_service
    assert is_offered(calendar, "hall", "hall", at) is window_service
    assert is_offered(calendar, "24h", "24h", at) is True

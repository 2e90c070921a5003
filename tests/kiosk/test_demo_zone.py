"""The demo is usable any day and hour: while the hall is closed `scripts/demo.sh` opens the 24-hour zone's
kiosk (whose self-service is offered at any hour) and says so; by name it opens the one asked for."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config.calendar import load_calendar
from config.catalogue import load_default_catalogue
from config.local import demo_settings
from kiosk.cli.demo_zone import choose
from kiosk.hall.calendar import is_offered

XIAMEN = ZoneInfo("Asia/Shanghai")
SATURDAY_14 = datetime(2026, 11, 28, 14, 0, tzinfo=XIAMEN)
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=XIAMEN)
TUESDAY_23 = datetime(2026, 11, 24, 23, 0, tzinfo=XIAMEN)


@pytest.mark.parametrize("at, zone", [(SATURDAY_14, "24h"), (TUESDAY_23, "24h"), (TUESDAY_10, "hall")])
def test_auto_opens_the_24_hour_zone_while_the_hall_is_closed(at, zone):
    chosen, why = choose("auto", at, load_calendar())
    assert chosen == zone and "demo-zone" in why
    if zone == "24h":
        assert "closed" in why and "24-hour" in why


def test_a_zone_asked_for_by_name_is_the_one_opened():
    assert choose("hall", SATURDAY_14) == ("hall", "")
    assert choose("24h", TUESDAY_10) == ("24h", "")


def test_the_24_hour_demo_kiosk_is_the_gateways_24_hour_kiosk_with_its_own_state(tmp_path):
    hall = demo_settings(tmp_path / "demo")
    night = demo_settings(tmp_path / "demo", "24h")
    assert (hall.kiosk.id, hall.kiosk.zone) == ("XM-HALL-001", "hall")
    assert (night.kiosk.id, night.kiosk.zone, night.gateway.token) == ("XM-24H-001", "24h", "demo-24h-001-secret")
    assert night.state_dir != hall.state_dir
    from gateway.kiosks import DEMO_KIOSKS

    assert (night.kiosk.id, night.gateway.token, "24h") in DEMO_KIOSKS


def test_on_a_saturday_the_24_hour_kiosk_offers_its_self_service_the_hall_kiosk_nothing():
    calendar, services = load_calendar(), load_default_catalogue().services()
    hall = [s.id for s in services if is_offered(calendar, s.hours, "hall", SATURDAY_14)]
    night = [s.id for s in services if is_offered(calendar, s.hours, "24h", SATURDAY_14)]
    assert hall == [] and len(night) >= 4


def test_demo_sh_asks_for_the_automatic_choice():
    script = (Path(__file__).parents[2] / "scripts" / "demo.sh").read_text(encoding="utf-8")
    assert "--demo-zone auto" in script
    help_text = subprocess.run([sys.executable, "-m", "kiosk", "run", "--help"], capture_output=True, text=True,
                               timeout=60).stdout
    assert "--demo-zone" in help_text

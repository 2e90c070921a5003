"""The local file's [fleet] section: heartbeat and bundle-poll intervals, with today's defaults."""

from __future__ import annotations

from dataclasses import replace

import pytest

from config.errors import ConfigError
from config.local import FleetSettings, demo_settings, parse_settings

BASE = '[kiosk]\nid = "XM-HALL-009"\n'


def test_defaults_are_the_intervals_the_kiosk_always_had():
    from kiosk.fleet.bundle_updates import DEFAULT_POLL_S
    from kiosk.fleet.heartbeat import DEFAULT_INTERVAL_S

    fleet = parse_settings(BASE).fleet
    assert (fleet.heartbeat_s, fleet.bundle_poll_s) == (DEFAULT_INTERVAL_S, DEFAULT_POLL_S)
    assert FleetSettings() == fleet


def test_the_demo_file_shows_the_section(tmp_path):
    assert demo_settings(tmp_path).fleet == FleetSettings()


def test_values_are_read_and_bad_ones_named():
    fleet = parse_settings(BASE + "[fleet]\nheartbeat_s = 30\nbundle_poll_s = 900\n").fleet
    assert (fleet.heartbeat_s, fleet.bundle_poll_s) == (30, 900)
    with pytest.raises(ConfigError) as error:
        parse_settings(BASE + "[fleet]\nheartbeat_s = 1\nbundle_poll_s = 100000\nbundle_pol = 5\n", "kiosk.toml")
    text = str(error.value)
    assert "fleet.heartbeat_s = 1" in text and "greater than or equal to 10" in text
    assert "fleet.bundle_poll_s = 100000" in text and "fleet.bundle_pol: unknown key" in text


def test_start_hooks_use_the_section(kiosk, monkeypatch):
    from kiosk.app import startup
    from kiosk.fleet import bundle_updates, heartbeat
    seen = {}
    monkeypatch.setattr(heartbeat, "start_heartbeat", lambda runtime, interval_s: seen.update(heartbeat=interval_s))
    monkeypatch.setattr(bundle_updates, "start_bundle_updates", lambda runtime, poll_s: seen.update(poll=poll_s))
    fleet = FleetSettings(heartbeat_s=45, bundle_poll_s=120)
    kiosk.context.settings = replace(kiosk.context.settings, fleet=fleet)
    startup.start_heartbeat(kiosk)
    startup.start_bundle_updates(kiosk)
    assert seen == {"heartbeat": 45, "poll": 120}

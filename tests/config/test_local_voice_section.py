"""The local file's [voice] section and the speaker's device URL: read, checked, and clear when wrong."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.local import VoiceSettings, demo_settings, parse_settings

BASE = '[kiosk]\nid = "XM-HALL-009"\n'
PACKAGED = Path(__file__).resolve().parents[2] / "packaging" / "config" / "kiosk.toml"


def test_defaults_speak_in_elderly_mode_at_80_per_cent_with_no_quiet_hours():
    voice = parse_settings(BASE).voice
    assert voice == VoiceSettings()
    assert (voice.enabled, voice.volume, voice.quiet_periods(), voice.automatic) == (True, 80, (), "elderly")
    assert parse_settings(BASE).devices.speaker == "sim://speaker"


def test_quiet_hours_are_read_as_hall_time_periods():
    voice = parse_settings(BASE + '[voice]\nquiet_hours = ["21:00-07:00", "12:00 - 13:30"]\nquiet_volume = 20\n').voice
    assert voice.quiet_periods() == ((dt.time(21), dt.time(7)), (dt.time(12), dt.time(13, 30)))
    assert voice.quiet_volume == 20


@pytest.mark.parametrize(("toml", "words"), [
    ('quiet_hours = ["25:00-07:00"]', 'quiet hours \'25:00-07:00\': expected HH:MM-HH:MM in hall time'),
    ('quiet_hours = ["21:00"]', "expected HH:MM-HH:MM"),
    ('quiet_hours = ["08:00-08:00"]', "start and end at the same time"),
    ("quiet_hours = \"21:00-07:00\"", "voice.quiet_hours"),
    ("volume = 120", "less than or equal to 100"),
    ("quiet_volume = -1", "greater than or equal to 0"),
    ("rate = 20", "voice.rate"),
    ('automatic = "sometimes"', "voice.automatic"),
    ("enabled = 3", "voice.enabled"),
    ("volum = 50", "voice.volum: unknown key"),
])
def test_bad_values_are_named(toml, words):
    with pytest.raises(ConfigError) as error:
        parse_settings(BASE + "[voice]\n" + toml + "\n", "kiosk.toml")
    assert words in str(error.value)


def test_the_speaker_url_is_checked_like_the_other_devices():
    assert parse_settings(BASE + '[devices]\nspeaker = "alsa://plughw:0,0"\n').devices.speaker == "alsa://plughw:0,0"
    with pytest.raises(ConfigError) as error:
        parse_settings(BASE + '[devices]\nspeaker = "/dev/snd/pcmC0D0p"\n', "kiosk.toml")
    assert "devices.speaker" in str(error.value) and "alsa://" in str(error.value)


def test_the_demo_and_packaged_files_show_the_section(tmp_path):
    demo = demo_settings(tmp_path)
    assert demo.voice.quiet_periods() == ((dt.time(21), dt.time(7)),) and demo.devices.speaker == "sim://speaker"
    packaged = tomllib.loads(PACKAGED.read_text(encoding="utf-8"))
    assert packaged["devices"]["speaker"] == "alsa://default"
    assert VoiceSettings.from_table(packaged["voice"]).quiet_periods() == ((dt.time(21), dt.time(7)),)


def test_the_speaker_takes_its_policy_from_the_section():
    from devices.speaker.speaker import VoicePolicy

    voice = parse_settings(BASE + '[voice]\nvolume = 60\nquiet_hours = ["21:00-07:00"]\nquiet_volume = 10\n'
                                  "rate = 150\nenabled = false\n").voice
    assert VoicePolicy.from_settings(voice) == VoicePolicy(enabled=False, volume=60, quiet_volume=10,
                                                           quiet_hours=((dt.time(21), dt.time(7)),), rate=150)

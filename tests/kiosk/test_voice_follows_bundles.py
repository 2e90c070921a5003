"""A bundle's [voice] reaches the running loudspeaker: volume and quiet hours from the next sound on."""

from __future__ import annotations

import datetime as dt

import pytest

from config.errors import ConfigError
from config.local import VoiceSettings
from config.remote import parse_bundle_files
from devices.speaker.speaker import HALL_ZONE, Speaker
from kiosk.hardware.voice import HallVoice


class _Changed:
    def __init__(self) -> None:
        self.slots: list = []

    def connect(self, slot) -> None:
        self.slots.append(slot)

    def emit(self) -> None:
        for slot in self.slots:
            slot()


class _Services:
    remote_config = None


class _Context:
    def __init__(self) -> None:
        self.services = _Services()
        self.remote_config_changed = _Changed()

    def put_in_force(self, config) -> None:
        self.services.remote_config = config
        self.remote_config_changed.emit()


NIGHT = dt.datetime(2026, 12, 6, 22, 30, tzinfo=HALL_ZONE)
NOON = dt.datetime(2026, 12, 6, 12, 0, tzinfo=HALL_ZONE)


def test_a_bundles_voice_section_reaches_the_open_speaker_and_leaves_with_the_bundle() -> None:
    speaker = Speaker()
    local = VoiceSettings(volume=80)
    voice = HallVoice(local, lambda: speaker)
    context = _Context()
    voice.follow_bundles(context)
    assert speaker.policy.volume_at(NOON) == 80

    bundle = parse_bundle_files({"settings.toml": '[voice]\nvolume = 35\nquiet_hours = ["21:00-07:00"]\nquiet_volume = 10\n'})
    context.put_in_force(bundle)
    assert voice.settings.volume == 35
    assert speaker.policy.volume_at(NOON) == 35
    assert speaker.policy.volume_at(NIGHT) == 10

    context.put_in_force(parse_bundle_files({"settings.toml": 'theme = "standard"\n'}))  # no [voice]: the local file's
    assert voice.settings == local
    assert speaker.policy.volume_at(NIGHT) == 80


def test_a_speaker_opened_after_the_bundle_came_gets_its_settings_with_its_first_sound() -> None:
    opened: list[Speaker] = []
    voice = HallVoice(VoiceSettings(), lambda: opened[0] if opened else None)
    context = _Context()
    context.put_in_force(parse_bundle_files({"settings.toml": "[voice]\nenabled = false\n"}))
    voice.follow_bundles(context)  # the bundle was in force before the loudspeaker was open
    assert voice.settings.enabled is False
    opened.append(Speaker())
    assert voice.beep("attention") is False  # not heard: the speaker is not running in this test
    assert opened[0].policy.enabled is False


def test_a_bad_voice_section_is_refused_with_the_key_and_what_was_expected() -> None:
    with pytest.raises(ConfigError) as refused:
        parse_bundle_files({"settings.toml": '[voice]\nvolume = 140\nquiet_hours = ["25:00-07:00"]\nshout = true\n'})
    text = str(refused.value)
    assert "voice.volume" in text and "voice.quiet_hours" in text and "voice.shout" in text

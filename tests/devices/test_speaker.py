"""The speaker device: non-blocking, a new prompt cuts the old, quiet hours, on/off, failures as a state."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator

import pytest
from device_waits import wait_for

from devices.model import DeviceState
from devices.registry import create_device
from devices.speaker.simulated import SimulatedSpeaker
from devices.speaker.speaker import HALL_ZONE, VoicePolicy, in_period

NIGHT = (dt.time(21, 0), dt.time(7, 0))


class HallClock:
    def __init__(self, hour: int, minute: int = 0) -> None:
        self.at = dt.datetime(2026, 12, 5, hour, minute, tzinfo=HALL_ZONE)

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def speaker(tmp_path) -> Iterator[SimulatedSpeaker]:
    device = create_device("speaker", "sim://speaker", state_dir=str(tmp_path), now=HallClock(10))
    assert isinstance(device, SimulatedSpeaker)
    device.start()
    yield device
    device.close()


def test_says_a_prompt_in_each_language(speaker: SimulatedSpeaker) -> None:
    assert speaker.say("place_card", "zh")
    assert speaker.wait_until_quiet()
    assert speaker.say("take_receipt", "en")
    assert speaker.wait_until_quiet()
    first, second = speaker.said
    assert (first.name, first.language, first.text) == ("place_card", "zh", "请将身份证平放在下方读卡器的感应区上")
    assert (second.name, second.language, second.text) == ("take_receipt", "en", "Please take your receipt.")
    assert speaker.statistics.get("prompts") == 2


def test_a_new_prompt_cuts_the_one_playing_and_saying_never_blocks(tmp_path) -> None:
    speaker = SimulatedSpeaker(pace=1.0, state_dir=str(tmp_path))  # sounds last as long as the words
    speaker.start()
    try:
        started = time.perf_counter()
        assert speaker.say("pay_by_phone")  # ~13 s of words
        wait_for(lambda: speaker.state == DeviceState.BUSY)
        assert speaker.say("take_receipt")
        elapsed = time.perf_counter() - started
        assert speaker.wait_until_quiet(timeout=10)
        assert [(u.name, u.cut) for u in speaker.said] == [("pay_by_phone", True), ("take_receipt", False)]
        assert elapsed < 0.5  # the caller never waited for the sound
        assert speaker.statistics.get("cut_off") >= 1
    finally:
        speaker.close()


def test_silence_stops_the_sound_and_forget_drops_the_last_prompt(tmp_path) -> None:
    speaker = SimulatedSpeaker(pace=1.0, state_dir=str(tmp_path))
    speaker.start()
    try:
        speaker.say("pay_by_phone")
        wait_for(lambda: speaker.state == DeviceState.BUSY)
        speaker.forget()
        assert speaker.wait_until_quiet(timeout=2)
        assert speaker.said[0].cut
        assert speaker.last_prompt is None and not speaker.repeat()
    finally:
        speaker.close()


def test_repeat_says_the_current_instruction_again(speaker: SimulatedSpeaker) -> None:
    speaker.say("take_card", "en")
    speaker.wait_until_quiet()
    assert speaker.beep("card_placed")
    speaker.wait_until_quiet()
    assert speaker.repeat()
    speaker.wait_until_quiet()
    assert [(u.kind, u.name) for u in speaker.said] == [("prompt", "take_card"), ("tone", "card_placed"),
                                                        ("prompt", "take_card")]
    assert speaker.said[-1].language == "en"


@pytest.mark.parametrize(("hour", "minute", "quiet"), [(21, 0, True), (23, 59, True), (0, 0, True), (6, 59, True),
                                                        (7, 0, False), (12, 0, False), (20, 59, False)])
def test_quiet_hours_run_over_midnight_in_hall_time(hour: int, minute: int, quiet: bool) -> None:
    assert in_period(dt.time(hour, minute), NIGHT) is quiet
    policy = VoicePolicy(volume=80, quiet_volume=25, quiet_hours=(NIGHT,))
    at = dt.datetime(2026, 12, 5, hour, minute, tzinfo=HALL_ZONE)
    assert policy.volume_at(at) == (25 if quiet else 80)
    # the same moment told in UTC is still hall time
    assert policy.volume_at(at.astimezone(dt.UTC)) == (25 if quiet else 80)


def test_quiet_hours_with_no_volume_are_silent_and_with_some_are_quieter(tmp_path) -> None:
    clock = HallClock(22, 30)
    speaker = SimulatedSpeaker(state_dir=str(tmp_path), now=clock,
                               policy=VoicePolicy(volume=80, quiet_volume=0, quiet_hours=(NIGHT,)))
    speaker.start()
    try:
        assert not speaker.say("take_ticket")
        assert not speaker.beep()
        speaker.configure(VoicePolicy(volume=80, quiet_volume=30, quiet_hours=(NIGHT,)))
        assert speaker.say("take_ticket")
        clock.at = clock.at.replace(hour=9)
        assert speaker.wait_until_quiet() and speaker.say("take_ticket")
        assert speaker.wait_until_quiet()
        assert [u.volume for u in speaker.said] == [30, 80]
    finally:
        speaker.close()


def test_switched_off_says_nothing(speaker: SimulatedSpeaker) -> None:
    speaker.configure(VoicePolicy(enabled=False))
    assert not speaker.say("place_card")
    assert not speaker.beep()
    speaker.wait_until_quiet()
    assert speaker.said == []


def test_free_text_is_refused_and_not_logged(speaker: SimulatedSpeaker, caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="devices.speaker"):
        assert not speaker.say("张三 350203199001011234")
        assert not speaker.say(None)  # type: ignore[arg-type]
        assert not speaker.beep("张三")
    speaker.wait_until_quiet()
    assert speaker.said == []
    assert "350203199001011234" not in caplog.text and "张三" in caplog.text  # the unknown tone name only
    assert "not a catalogue prompt" in caplog.text


def test_no_sound_card_is_a_state_and_a_log_line_then_recovers(speaker: SimulatedSpeaker, caplog) -> None:
    speaker.unplug()
    with caplog.at_level(logging.WARNING, logger="devices.speaker"):
        assert speaker.say("place_card")  # accepted; the failure is the worker's to report
        wait_for(lambda: speaker.state == DeviceState.ERROR)
    assert "no soundcards found" in caplog.text
    assert "no soundcards found" in speaker.check_health().text
    speaker.plug()
    assert speaker.say("place_card")
    wait_for(lambda: speaker.state == DeviceState.IDLE and speaker.said)
    assert speaker.last_error is None


def test_a_closed_speaker_accepts_calls_without_raising(tmp_path) -> None:
    speaker = SimulatedSpeaker(state_dir=str(tmp_path))
    assert not speaker.say("place_card")
    assert not speaker.repeat()
    speaker.silence()
    speaker.start()
    speaker.close()
    assert not speaker.say("place_card")


def test_a_prompt_right_after_a_tone_waits_for_the_tone_and_a_newer_prompt_takes_its_place(tmp_path):
    speaker = SimulatedSpeaker(pace=1.0, state_dir=str(tmp_path))
    speaker.start()
    try:
        speaker.beep("card_placed")  # the card is read: the citizen must hear it
        speaker.say("reading_card")
        speaker.say("may_take_card")  # the step moved on before the tone ended
        assert speaker.wait_until_quiet(10)
        assert [(u.kind, u.name, u.cut) for u in speaker.said] == [("tone", "card_placed", False),
                                                                  ("prompt", "may_take_card", False)]
        speaker.beep("take_card")
        speaker.say("take_card")
        speaker.forget()  # the session ended: nothing of it is played any more
        assert speaker.wait_until_quiet(10)
        assert speaker.prompts_said() == ["may_take_card"]
    finally:
        speaker.close()

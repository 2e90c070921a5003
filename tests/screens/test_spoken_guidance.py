"""Spoken guidance in the window: elderly mode says each step, the speaker button repeats it for anyone,
the card beep, the take-card reminder, and every citizen starting fresh; the simulated speaker records
what was said, and nothing said is ever personal."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from devices.speaker.prompts import PROMPTS
from devices.speaker.simulated import SimulatedSpeaker
from devices.speaker.speaker import HALL_ZONE, VoicePolicy
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.hardware.voice import HallVoice
from kiosk.shell import i18n

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kiosk"))
from lookup_fakes import FakeGateway, demo_card  # noqa: E402

PERSONAL = ("林秀英", "林", "350203194803120021", "0021", "鹭江道")


class SpeakingHub(QObject):
    """The device hub's card signals and its speaker, with a card that can be left on the reader."""

    card_placed = Signal(object)
    card_removed = Signal()
    card_error = Signal(object)
    code_scanned = Signal(object)

    def __init__(self, speaker: SimulatedSpeaker) -> None:
        super().__init__()
        self.speaker = speaker
        self.card_on_reader = False
        self.card_placed.connect(lambda _card: setattr(self, "card_on_reader", True))
        self.card_removed.connect(lambda: setattr(self, "card_on_reader", False))

    def device(self, name: str):
        return self.speaker if name == "speaker" else None

    def can_print(self) -> bool:
        return True

    def print_receipt(self, receipt, callback) -> None:
        callback(PrintOutcome.done())

    def arm_card_reader(self) -> None:
        pass

    def disarm_card_reader(self) -> None:
        pass


@pytest.fixture
def speaking(kiosk, tmp_path):
    speaker = SimulatedSpeaker(state_dir=str(tmp_path))
    speaker.start()
    hub = SpeakingHub(speaker)
    kiosk.context.services.devices = hub
    kiosk.context.services.gateway = FakeGateway()
    kiosk.context.services.voice = HallVoice.for_hub(hub, kiosk.context.settings.voice)
    yield kiosk, hub, speaker
    speaker.close()


def said(speaker: SimulatedSpeaker) -> list[tuple[str, str, str]]:
    assert speaker.wait_until_quiet()
    return [(u.kind, u.name, u.language) for u in speaker.said]


def touch(kiosk) -> None:
    kiosk.context.sessions.current  # noqa: B018 (a touch starts the session, as the idle watch does)


def test_elderly_mode_says_each_step_in_mandarin_and_beeps_when_the_card_is_read(speaking, qtbot):
    kiosk, hub, speaker = speaking
    touch(kiosk)
    kiosk.context.set_elderly(True)
    assert said(speaker)[-1] == ("prompt", "welcome", "zh")  # turning it on says the page in front
    kiosk.window.go("property")
    assert said(speaker)[-1] == ("prompt", "place_card", "zh")
    hub.card_placed.emit(demo_card("elderly"))
    qtbot.waitUntil(lambda: kiosk.window.screen_named("property").journey.state == "results", timeout=5000)
    heard = said(speaker)
    assert ("tone", "card_placed", "") in heard  # "听到提示音即可", as the card page promises
    assert heard[-1] == ("prompt", "may_take_card", "zh")  # the result itself is read with the eyes, never aloud
    for utterance in speaker.said:
        assert utterance.kind == "tone" or utterance.name in PROMPTS
        assert not any(personal in utterance.text for personal in PERSONAL), utterance


def test_english_elderly_mode_speaks_english_and_a_step_is_said_once(speaking):
    kiosk, _hub, speaker = speaking
    touch(kiosk)
    kiosk.context.set_language("en")
    kiosk.context.set_elderly(True)
    kiosk.window.go("payment")
    kiosk.window.refresh()  # a repaint of the same step says nothing more
    prompts = [(name, language) for kind, name, language in said(speaker) if kind == "prompt"]
    assert prompts == [("welcome", "en"), ("scan_notice", "en")]
    assert speaker.said[-1].text.startswith("Enter the 16-digit number")


def test_without_elderly_mode_pages_are_quiet_but_the_speaker_button_repeats_for_anyone(speaking, qtbot):
    kiosk, _hub, speaker = speaking
    touch(kiosk)
    kiosk.window.go("property")
    assert said(speaker) == []
    listen = kiosk.window.footer.listen
    assert listen.isVisible()
    qtbot.mouseClick(listen, Qt.MouseButton.LeftButton)
    assert said(speaker) == [("prompt", "place_card", "zh")]
    kiosk.context.set_language("en")
    qtbot.mouseClick(listen, Qt.MouseButton.LeftButton)
    assert said(speaker)[-1] == ("prompt", "place_card", "en")
    assert listen.accessibleName() == "Listen again" and not listen.icon().isNull()


def test_the_speaker_button_hides_where_a_page_has_nothing_to_say_or_the_voice_is_off(speaking):
    kiosk, _hub, _speaker = speaking
    kiosk.window.go("technician_pin")
    assert not kiosk.window.footer.listen.isVisible()
    kiosk.window.go("payment")
    assert kiosk.window.footer.listen.isVisible()
    kiosk.context.services.voice = HallVoice(replace(kiosk.context.settings.voice, enabled=False),
                                             lambda: None)
    kiosk.window.go("departments")
    assert not kiosk.window.footer.listen.isVisible()


def test_the_next_citizen_starts_fresh_language_mode_and_speaker(speaking):
    kiosk, _hub, speaker = speaking
    for end in ("finish", "idle"):
        touch(kiosk)
        kiosk.context.set_language("en")
        kiosk.context.set_elderly(True)
        kiosk.window.go("payment")
        assert said(speaker) and speaker.last_prompt == "scan_notice"
        if end == "finish":
            kiosk.window.home()
        else:
            kiosk.context.sessions.end("idle")
        assert i18n.current_language() == "zh" and not kiosk.context.elderly
        assert kiosk.window.current_name == "home"
        assert kiosk.window.header.zh.isChecked() and not kiosk.window.header.elderly.isChecked()
        assert speaker.last_prompt is None  # the speaker button has nothing of the last visit to repeat
        assert speaker.wait_until_quiet()
        assert not speaker.repeat()


def test_a_card_left_on_the_reader_fills_the_screen_and_sounds_until_it_is_taken(speaking, qtbot, monkeypatch):
    import screens.take_card as take_card

    kiosk, hub, speaker = speaking
    touch(kiosk)
    kiosk.window.go("property")
    hub.card_placed.emit(demo_card("elderly"))
    qtbot.waitUntil(lambda: kiosk.window.screen_named("property").journey.state == "results", timeout=5000)
    reminder = kiosk.window.take_card
    reminder._repeat.setInterval(150)
    monkeypatch.setattr(take_card, "PROMPT_AFTER_MS", 20)
    kiosk.window.home()
    assert reminder.isVisible() and reminder.geometry() == kiosk.window.rect()
    assert reminder.title_zh.text() == "请取回您的身份证" and reminder.title_en.text() == "Please take your ID card"
    qtbot.waitUntil(lambda: [u.kind for u in speaker.said if u.name == "take_card"].count("tone") >= 3,
                    timeout=3000)  # again and again
    reminded = [u.language for u in speaker.said if u.name == "take_card" and u.kind == "prompt"]
    assert reminded[:2] == ["zh", "en"], speaker.said  # the citizen who walked away may read either
    hub.card_removed.emit()
    assert not reminder.isVisible()
    count = len(said(speaker))
    qtbot.wait(400)
    assert len(said(speaker)) == count  # taken: quiet again


def test_a_session_ending_with_no_card_on_the_reader_shows_no_reminder(speaking):
    kiosk, _hub, _speaker = speaking
    touch(kiosk)
    kiosk.window.go("property")
    kiosk.window.home()
    assert not kiosk.window.take_card.isVisible()


def test_the_hub_opens_the_configured_speaker_with_the_halls_policy_and_beeps_for_a_read_card(qtbot, tmp_path):
    from kiosk.hardware.device_hub import DeviceHub

    night = VoicePolicy(volume=55, quiet_volume=0, quiet_hours=((dt.time(0, 0), dt.time(23, 59)),))
    hub = DeviceHub(None, None, None, "80mm", "zwfw.xm.gov.cn", tmp_path, speaker_url="sim://speaker",
                    device_settings={"policy": VoicePolicy(volume=55), "now": lambda: dt.datetime.now(HALL_ZONE)})
    try:
        hub.start()
        qtbot.waitUntil(lambda: hub.device("speaker") is not None, timeout=5000)
        speaker = hub.device("speaker")
        assert isinstance(speaker, SimulatedSpeaker) and speaker.policy.volume == 55
        voice = HallVoice.for_hub(hub, _voice_settings())
        card = demo_card("elderly")
        hub._card(card)  # what the reader's CARD_PRESENT becomes on the GUI thread
        assert speaker.wait_until_quiet()
        assert [(u.kind, u.name, u.volume) for u in speaker.said] == [("tone", "card_placed", 55)]
        speaker.configure(night)  # quiet hours with a quiet volume of 0: silence
        assert not voice.say("place_card", "zh")
        assert not voice.card_read()
    finally:
        hub.close()


def test_the_card_tone_can_be_switched_off_and_automatic_speech_follows_the_setting():
    settings = _voice_settings()
    assert HallVoice(settings, lambda: None).speaks_by_itself(True)
    assert not HallVoice(settings, lambda: None).speaks_by_itself(False)
    always = HallVoice(replace(settings, automatic="always"), lambda: None)
    never = HallVoice(replace(settings, automatic="never"), lambda: None)
    assert always.speaks_by_itself(False) and not never.speaks_by_itself(True)
    speaker = SimulatedSpeaker()
    speaker.start()
    try:
        quiet_card = HallVoice(replace(settings, card_tone=False), lambda: speaker)
        assert not quiet_card.card_read()
        assert not HallVoice(settings, lambda: None).say("place_card", "zh")  # no speaker: silent, no error
    finally:
        speaker.close()


def _voice_settings():
    from config.local import VoiceSettings

    return VoiceSettings()



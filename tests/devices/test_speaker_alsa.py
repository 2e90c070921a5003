"""The real speaker: espeak-ng renders prompts to WAV and aplay plays them through ALSA.

There is no sound card here, so ALSA's default device is pointed (in a temporary HOME's
``.asoundrc``) at its ``file`` plugin: what aplay sends to the "sound card" lands in a file.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from device_waits import wait_for

from devices.errors import DriverUnavailable
from devices.model import DeviceState
from devices.registry import create_device
from devices.speaker.alsa import AlsaSpeaker
from devices.speaker.prompts import PROMPTS
from devices.speaker.rendering import PromptAudio, render_catalogue, wav_facts, write_tone
from devices.speaker.speaker import VoicePolicy

TOOLS = {"espeak-ng": "espeak-ng", "aplay": "alsa-utils"}


def _install_missing() -> None:
    missing = sorted({deb for tool, deb in TOOLS.items() if shutil.which(tool) is None})
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip(f"{', '.join(missing)} not installed and cannot be (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for _ in range(5):  # apt may be locked by another install for a while
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=300)
        result = subprocess.run(["apt-get", "install", "-y", "-q", *missing], capture_output=True, text=True,
                                env=env, timeout=600)
        if result.returncode == 0:
            return
        time.sleep(10)
    pytest.fail(f"apt-get install {' '.join(missing)} failed: {result.stderr[-500:]}")


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    _install_missing()


@pytest.fixture
def card(tmp_path) -> tuple[dict[str, str], Path]:
    """An environment whose ALSA default device writes into a file, and that file."""
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "card.raw"
    (home / ".asoundrc").write_text(f'pcm.!default {{\n type file\n slave.pcm "null"\n file "{out}"\n'
                                    ' format "raw"\n}\n')
    return {**os.environ, "HOME": str(home)}, out


@pytest.fixture
def speaker(tmp_path, card) -> Iterator[AlsaSpeaker]:
    env, _ = card
    device = AlsaSpeaker("default", state_dir=str(tmp_path / "state"), environment=env)
    device.start()
    yield device
    device.close()


@pytest.mark.parametrize(("language", "seconds"), [("zh", (2.0, 12.0)), ("en", (1.0, 6.0))])
def test_a_prompt_renders_to_audible_speech_of_plausible_length(tmp_path, language, seconds) -> None:
    audio = PromptAudio(tmp_path)
    path = audio.prompt(PROMPTS["place_card"], language, volume=80)
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        assert wav.getframerate() >= 16000
    facts = wav_facts(path)
    low, high = seconds
    assert low < facts.seconds < high, facts
    assert facts.rms > 500 and facts.peak > 8000, facts  # speech, not silence or hiss
    assert audio.prompt(PROMPTS["place_card"], language, volume=80) == path  # rendered once
    quieter = wav_facts(audio.prompt(PROMPTS["place_card"], language, volume=30))
    assert quieter.rms < facts.rms * 0.6


def test_the_card_tone_is_a_short_clean_beep(tmp_path) -> None:
    facts = wav_facts(write_tone(tmp_path, "card_placed", 80))
    assert 0.1 < facts.seconds < 0.3 and facts.peak > 10000
    assert wav_facts(write_tone(tmp_path, "take_card", 80)).seconds > facts.seconds


def test_the_whole_catalogue_renders(tmp_path) -> None:
    paths = render_catalogue(tmp_path, 60)
    assert len(paths) == 2 * len(PROMPTS) + 3
    assert all(wav_facts(path).rms > 300 for path in paths)


def test_a_prompt_reaches_the_sound_card(speaker: AlsaSpeaker, card) -> None:
    _, out = card
    assert speaker.say("take_receipt", "zh")
    wait_for(lambda: speaker.statistics.get("prompts") == 1, timeout=10)
    assert speaker.state == DeviceState.IDLE
    rendered = next((Path(speaker._folder)).glob("take_receipt-cmn-*.wav"))
    with wave.open(str(rendered), "rb") as wav:
        frames = wav.getnframes()
    assert out.stat().st_size >= frames * 2 * 0.95  # every sample went to the card
    assert speaker.beep("card_placed")
    wait_for(lambda: speaker.statistics.get("tones") == 1, timeout=10)


def test_a_new_prompt_ends_the_player_of_the_old_one(tmp_path) -> None:
    # the "sound card" is a pipe nobody reads: aplay blocks in it as it would on a slow device
    home = tmp_path / "home"
    home.mkdir()
    fifo = tmp_path / "card.fifo"
    os.mkfifo(fifo)
    (home / ".asoundrc").write_text(f'pcm.!default {{\n type file\n slave.pcm "null"\n file "{fifo}"\n'
                                    ' format "raw"\n}\n')
    speaker = AlsaSpeaker("default", state_dir=str(tmp_path / "state"), environment={**os.environ, "HOME": str(home)})
    speaker.start()
    try:
        assert speaker.say("pay_by_phone")
        wait_for(lambda: speaker._process is not None, timeout=10)
        blocked = speaker._process
        assert speaker.say("take_receipt")
        wait_for(lambda: blocked.poll() is not None, timeout=5)
        assert blocked.returncode < 0  # ended by a signal, not by finishing
        wait_for(lambda: speaker.statistics.get("cut_off") >= 1, timeout=5)  # counted by the speaker's thread
        assert speaker.state != DeviceState.ERROR  # a cut is not a failure
    finally:
        speaker.silence()
        speaker.close()


def test_no_sound_card_is_an_error_state_and_a_log_line(tmp_path, caplog) -> None:
    speaker = AlsaSpeaker("hw:9,0", state_dir=str(tmp_path))
    speaker.start()
    try:
        with caplog.at_level(logging.WARNING, logger="devices.speaker"):
            assert speaker.say("place_card")  # returns at once, never raises
            wait_for(lambda: speaker.state == DeviceState.ERROR, timeout=10)
        assert "aplay cannot play on hw:9,0" in caplog.text
        assert not speaker.check_health().ok
        assert speaker.say("take_card")  # still answers; tries again
    finally:
        speaker.close()


def test_missing_espeak_ng_is_a_driver_error_when_opened(tmp_path) -> None:
    speaker = create_device("speaker", "alsa://default", state_dir=str(tmp_path))
    assert isinstance(speaker, AlsaSpeaker)
    speaker._espeak = str(tmp_path / "no-espeak-ng")
    with pytest.raises(DriverUnavailable, match="apt-get install espeak-ng"):
        speaker.start()  # the device hub opens devices on worker threads and retries with back-off
    assert speaker.state == DeviceState.CLOSED
    assert not speaker.say("place_card")  # a page asking anyway gets False, not an exception


def test_idle_time_renders_every_prompt_ahead_and_clears_out_old_ones(tmp_path, card) -> None:
    env, _ = card
    folder = tmp_path / "state" / "voice"
    folder.mkdir(parents=True)
    stale = folder / "place_card-cmn-0123456789abcdef.wav"  # rendered for a volume no longer configured
    stale.write_bytes(b"RIFF")
    speaker = AlsaSpeaker("default", state_dir=str(tmp_path / "state"), environment=env,
                          policy=VoicePolicy(volume=70, quiet_volume=20))
    speaker.start()
    try:
        wait_for(lambda: speaker._pruned, timeout=150)
        assert not stale.exists()
        rendered = {p.name for p in folder.glob("*.wav")}
        assert len(rendered) == 2 * 2 * len(PROMPTS)  # both languages at both volumes
        started = time.perf_counter()
        assert speaker.say("take_card", "en")  # now played from a file rendered ahead
        wait_for(lambda: speaker.statistics.get("prompts") == 1, timeout=5)
        assert len({p.name for p in folder.glob("*.wav")}) == len(rendered)
        assert time.perf_counter() - started < 5
    finally:
        speaker.close()


def test_many_prompts_cutting_each_other_are_never_a_failure(speaker: AlsaSpeaker, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="devices.speaker"):
        for i in range(60):
            assert speaker.say("place_card" if i % 2 else "take_card", "zh" if i % 3 else "en")
            time.sleep(0.005)
        wait_for(lambda: speaker.state == DeviceState.IDLE and speaker._pending is None, timeout=20)
    assert "cannot play" not in caplog.text
    assert speaker.last_error is None
    assert speaker.statistics.get("cut_off") + speaker.statistics.get("prompts") >= 2

"""The loudspeaker as a device: catalogue prompts and tones, one at a time, never blocking the caller.

``say("place_card", "zh")``, ``beep("card_placed")`` and ``repeat()`` return at once (from the GUI
thread too): the sound is handed to the speaker's own worker thread. A new sound cuts the one
playing, so the citizen always hears the instruction of the page in front of them. Whether
anything is heard is decided by the :class:`VoicePolicy` at that moment: switched off, or quiet
hours (hall time) with a quiet volume of 0, mean silence.

Only catalogue prompts (``devices/speaker/prompts.py``) are accepted; anything else is refused
with a log line that does not repeat it. Failures (no synthesiser, no sound card) put the device
in ERROR with a technician's log line; the next sound tries again and clears it when it plays.
Drivers implement ``_play(sound)`` (blocking until the sound ends or is cut) and ``_cut()``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

from devices.errors import DeviceError, DeviceOperationError
from devices.model import Device, DeviceState
from devices.speaker.prompts import UnknownPrompt, prompt_named
from devices.speaker.rendering import TONES

log = logging.getLogger("devices.speaker")

HALL_ZONE = ZoneInfo("Asia/Shanghai")
Period = tuple[dt.time, dt.time]


def in_period(moment: dt.time, period: Period) -> bool:
    """Whether ``moment`` is in ``[start, end)``; a period whose end is before its start runs over midnight."""
    start, end = period
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


@dataclass(frozen=True)
class VoicePolicy:
    """What the hall configured (``[voice]``): on/off, volume, and quieter (or silent) hours."""

    enabled: bool = True
    volume: int = 80  # per cent
    quiet_volume: int = 0  # per cent during quiet hours; 0 is silence
    quiet_hours: tuple[Period, ...] = ()  # hall time
    rate: int = 175  # words (Mandarin: syllables) per minute

    @classmethod
    def from_settings(cls, voice: Any) -> VoicePolicy:
        """The policy of the local file's ``[voice]`` section (``config.local.VoiceSettings``)."""
        return cls(enabled=voice.enabled, volume=voice.volume, quiet_volume=voice.quiet_volume,
                   quiet_hours=tuple(voice.quiet_periods()), rate=voice.rate)

    def volume_at(self, moment: dt.datetime) -> int:
        """The volume for a sound at ``moment`` (hall time); 0 means it is not played."""
        if not self.enabled:
            return 0
        local = moment.astimezone(HALL_ZONE).time() if moment.tzinfo else moment.time()
        if any(in_period(local, period) for period in self.quiet_hours):
            return self.quiet_volume
        return self.volume


@dataclass(frozen=True)
class Sound:
    """One thing to play: a catalogue prompt in a language, or a tone."""

    kind: Literal["prompt", "tone"]
    name: str  # prompt id or tone name
    language: str = "zh"
    volume: int = 80


class Speaker(Device):
    kind = "speaker"

    def __init__(self, name: str = "speaker", *, state_dir: str | None = None, policy: VoicePolicy | None = None,
                 now: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__(name, state_dir=state_dir)
        self._policy = policy or VoicePolicy()
        self._now = now or (lambda: dt.datetime.now(HALL_ZONE))
        self._wake = threading.Condition()
        self._pending: Sound | None = None
        self._after_tone: Sound | None = None  # a prompt waiting for the tone before it to end
        self._playing: Sound | None = None
        self._last_prompt: Sound | None = None
        self._cut_asked = False

    # --- what callers use (any thread, never blocking, never raising) ---------------------------------
    @property
    def policy(self) -> VoicePolicy:
        return self._policy

    def configure(self, policy: VoicePolicy) -> None:
        """New settings for the next sound (a configuration bundle changed ``[voice]``)."""
        self._policy = policy

    def say(self, prompt_id: str, language: str = "zh") -> bool:
        """Speak a catalogue prompt; True when it was handed to the speaker, False when it will not be heard."""
        try:
            prompt = prompt_named(prompt_id)
        except UnknownPrompt as exc:
            log.error("%s: %s", self.name, exc.technician)
            return False
        language = "zh" if str(language).startswith("zh") else "en"
        sound = Sound("prompt", prompt.id, language)
        self._last_prompt = sound
        return self._queue(sound)

    def beep(self, tone: str = "card_placed") -> bool:
        """Play a tone (``card_placed``, ``take_card``, ``attention``)."""
        if tone not in TONES:
            log.error("%s: no tone %r; tones are %s", self.name, tone, ", ".join(TONES))
            return False
        return self._queue(Sound("tone", tone))

    def repeat(self) -> bool:
        """Say the last prompt again (the page's speaker button)."""
        last = self._last_prompt
        return self._queue(last) if last is not None else False

    def forget(self) -> None:
        """Stop any sound and forget the last prompt: the next citizen starts fresh."""
        self._last_prompt = None
        self.silence()

    def silence(self) -> None:
        """Stop the sound that plays and drop the one waiting."""
        with self._wake:
            self._pending = self._after_tone = None
        self._cut_safely()

    @property
    def last_prompt(self) -> str | None:
        return self._last_prompt.name if self._last_prompt else None

    def _queue(self, sound: Sound) -> bool:
        if not self._enabled or self._state == DeviceState.CLOSED:
            log.debug("%s is not running; %s %s not played", self.name, sound.kind, sound.name)
            return False
        volume = self._policy.volume_at(self._now())
        if volume <= 0:
            log.debug("%s: %s %s not played (voice off or quiet hours)", self.name, sound.kind, sound.name)
            return False
        sound = replace(sound, volume=volume)
        with self._wake:
            # A tone is short and means something (the card is read): a prompt after it waits for it to end.
            tone = self._pending if self._pending is not None else self._playing
            if sound.kind == "prompt" and tone is not None and tone.kind == "tone":
                self._after_tone = sound
                self._wake.notify()
                return True
            self._pending, self._after_tone = sound, None
            self._wake.notify()
        self._cut_safely()
        return True

    def _cut_safely(self) -> None:
        if self._playing is None:
            return
        self._cut_asked = True  # counted by the worker: the statistics file is not written on the caller's thread
        try:
            self._cut()
        except Exception:  # cutting a sound short must never reach the caller
            log.exception("%s: cutting the sound short failed", self.name)

    # --- the worker -------------------------------------------------------------------------------------
    def _enable(self) -> None:
        self._start_worker(self._run, "voice")

    def _disable(self) -> None:
        with self._wake:
            self._pending = self._after_tone = None
            self._stop.set()
            self._wake.notify_all()
        self._cut_safely()
        self._stop_worker(join_timeout=3.0)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._wake:
                while self._pending is None and self._after_tone is None and not self._stop.is_set():
                    if not self._wake.wait(timeout=self._idle_wait()):
                        break
                if self._pending is None and self._after_tone is not None:
                    self._pending, self._after_tone = self._after_tone, None
                sound, self._pending = self._pending, None
                self._playing = sound
            if self._stop.is_set():
                self._playing = None
                return
            if sound is None:
                self._when_idle()
                continue
            self._cut_asked = False
            self._set_state(DeviceState.BUSY, f"playing {sound.kind} {sound.name}")
            try:
                self._play(sound)
            except DeviceError as exc:
                self._playing = None
                self._fail(exc)
                continue
            except Exception as exc:  # a driver bug must not end the worker
                log.exception("%s: playing %s failed", self.name, sound.name)
                self._playing = None
                self._fail(DeviceOperationError(f"playing {sound.name} failed: {exc}", device=self.name))
                continue
            self._playing = None
            self.statistics.add("cut_off" if self._cut_asked else "prompts" if sound.kind == "prompt" else "tones")
            if self._state == DeviceState.ERROR:
                log.info("%s plays again", self.name)
            self.last_error = None
            self._set_state(DeviceState.IDLE)

    def _superseded(self) -> bool:
        """Whether a newer sound is waiting (a driver checks it once its player has started)."""
        return self._pending is not None or self._stop.is_set()

    def _idle_wait(self) -> float | None:
        """Seconds to wait before ``_when_idle`` (None: only wake for a sound)."""
        return None

    def _when_idle(self) -> None:
        """Background work between sounds (rendering prompts ahead)."""

    def _play(self, sound: Sound) -> None:
        raise NotImplementedError

    def _cut(self) -> None:
        raise NotImplementedError

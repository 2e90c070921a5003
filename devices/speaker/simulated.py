"""A simulated loudspeaker for tests and the demo: it keeps a record of everything it said.

``sim://speaker`` behaves as the real one does (one sound at a time, a new one cuts the old, the
policy decides what is heard) but instead of a sound card it appends an :class:`Utterance` to
``said``: which prompt, in which language, the words, the volume, and whether it was cut short.
A sound "lasts" as long as the words would take to say, times ``pace`` (0: no time at all).
``unplug()`` makes it behave like a kiosk without a sound card.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from devices.errors import DeviceOperationError
from devices.speaker.prompts import PROMPTS, speakable
from devices.speaker.rendering import TONES
from devices.speaker.speaker import Sound, Speaker

SECONDS_PER_CHARACTER = {"zh": 0.3, "en": 0.07}


@dataclass(frozen=True)
class Utterance:
    kind: str  # prompt or tone
    name: str
    language: str
    text: str  # the words said ("" for a tone)
    volume: int
    cut: bool  # a newer sound took over before it ended
    at: float


class SimulatedSpeaker(Speaker):
    def __init__(self, *, pace: float = 0.0, **settings: Any) -> None:
        super().__init__(**settings)
        self.pace = pace
        self.said: list[Utterance] = []
        self.plugged = True
        self._cut_event = threading.Event()
        self._said_lock = threading.Lock()

    def _open(self) -> None:
        pass

    def _close(self) -> None:
        self._cut_event.set()

    def unplug(self) -> None:
        self.plugged = False

    def plug(self) -> None:
        self.plugged = True

    @staticmethod
    def duration(sound: Sound) -> float:
        if sound.kind == "tone":
            return sum(ms for _, ms in TONES[sound.name]) / 1000
        return len(speakable(PROMPTS[sound.name].text(sound.language))) * SECONDS_PER_CHARACTER[sound.language]

    def _play(self, sound: Sound) -> None:
        if not self.plugged:
            raise DeviceOperationError("aplay cannot play on default: audio open error: no soundcards found",
                                       device=self.name)
        self._cut_event.clear()
        if self._superseded():
            cut = True
        else:
            cut = self._cut_event.wait(self.duration(sound) * self.pace) if self.pace > 0 else False
        text = speakable(PROMPTS[sound.name].text(sound.language)) if sound.kind == "prompt" else ""
        with self._said_lock:
            self.said.append(Utterance(sound.kind, sound.name, sound.language if sound.kind == "prompt" else "",
                                       text, sound.volume, cut, time.time()))

    def _cut(self) -> None:
        self._cut_event.set()

    def prompts_said(self) -> list[str]:
        with self._said_lock:
            return [u.name for u in self.said if u.kind == "prompt"]

    def wait_until_quiet(self, timeout: float = 5.0) -> bool:
        """Wait until nothing plays or waits (tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._wake:
                if self._pending is None and self._after_tone is None and self._playing is None:
                    return True
            time.sleep(0.005)
        return False

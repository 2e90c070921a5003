"""The kiosk's loudspeaker through ALSA: prompts rendered by espeak-ng, played with ``aplay``.

``alsa://default`` plays on ALSA's default device (``alsa://plughw:0,0`` or any other PCM name
works too). Prompts are rendered into ``<state_dir>/voice`` on first use, and ahead of time while
the speaker is idle, so a prompt normally starts from a file in a few milliseconds. A player that
cannot open the sound card exits with an error: the device goes to ERROR with ALSA's own words.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devices.errors import DeviceOperationError, DriverUnavailable
from devices.speaker.prompts import PROMPTS
from devices.speaker.rendering import VOICES, PromptAudio
from devices.speaker.speaker import Sound, Speaker

log = logging.getLogger("devices.speaker")

PLAYER_TIMEOUT_S = 60.0  # longer than any prompt: a player hanging on a stuck sound card is ended
KILL_AFTER_S = 0.3  # a player asked to stop that is still there after this is killed


class AlsaSpeaker(Speaker):
    def __init__(self, pcm: str = "default", *, state_dir: str | None = None, espeak: str | None = None,
                 player: str = "aplay", environment: Mapping[str, str] | None = None, **settings: Any) -> None:
        super().__init__(state_dir=state_dir, **settings)
        self.pcm = pcm
        self._espeak = espeak
        self._player = player
        self._environment = dict(environment) if environment is not None else None
        base = Path(state_dir) / "voice" if state_dir else Path(tempfile.gettempdir()) / "kiosk-voice"
        self._folder = base
        self._audio: PromptAudio | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._process_lock = threading.Lock()
        self._ahead: list[tuple[str, str]] = []
        self._pruned = False

    def _open(self) -> None:
        if shutil.which(self._player) is None:
            raise DriverUnavailable(f"audio player {self._player} not found (apt-get install alsa-utils)",
                                    device=self.name)
        self._audio = PromptAudio(self._folder, espeak=self._espeak, rate=self.policy.rate)
        self._ahead = [(prompt_id, language) for prompt_id in PROMPTS for language in VOICES]
        self._pruned = False

    def _close(self) -> None:
        self._cut()

    # --- playing ----------------------------------------------------------------------------------------
    def _file_for(self, sound: Sound) -> Path:
        audio = self._audio
        if audio is None:
            raise DeviceOperationError("speaker is not open", device=self.name)
        if audio.rate != self.policy.rate:
            audio.rate = self.policy.rate
        if sound.kind == "tone":
            return audio.tone(sound.name, sound.volume)
        return audio.prompt(PROMPTS[sound.name], sound.language, sound.volume)

    def _play(self, sound: Sound) -> None:
        path = self._file_for(sound)
        if self._superseded():
            return
        command = [self._player, "-q", "-D", self.pcm, str(path)]
        try:  # started outside the lock: a caller cutting the sound never waits for a fork
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, env=self._environment)
        except OSError as exc:
            raise DeviceOperationError(f"cannot start {self._player}: {exc}", device=self.name) from None
        with self._process_lock:
            self._process = process
        if self._superseded():  # a newer sound came while the player started
            self._cut()
        try:
            self._wait_for(process)
            err = process.stderr.read() if process.stderr else b""
        finally:
            if process.stderr:
                process.stderr.close()
            with self._process_lock:
                self._process = None
        if process.returncode < 0 or self._cut_asked or self._superseded():
            return  # ended by _cut (aplay, stopped mid-read, may exit 1 with "read error"): not a failure
        if process.returncode != 0:
            words = err.decode("utf-8", "replace").strip().splitlines()
            raise DeviceOperationError(
                f"{self._player} cannot play on {self.pcm}: {words[-1] if words else f'exit {process.returncode}'}",
                device=self.name)

    def _wait_for(self, process: subprocess.Popen[bytes]) -> None:
        """Wait for the player; one asked to stop that is still there after KILL_AFTER_S is killed
        (aplay drains its buffer when asked to stop, and a stuck sound card would hold it there)."""
        started = time.monotonic()
        cut_at: float | None = None
        while True:
            try:
                process.wait(timeout=0.05)
                return
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if cut_at is None and (self._cut_asked or self._superseded()):
                    cut_at = now
                if (cut_at is not None and now - cut_at > KILL_AFTER_S) or now - started > PLAYER_TIMEOUT_S:
                    process.kill()
                    process.wait()
                    if cut_at is None:
                        raise DeviceOperationError(f"{self._player} on {self.pcm} did not finish in "
                                                   f"{PLAYER_TIMEOUT_S:g} s", device=self.name) from None
                    return

    def _cut(self) -> None:
        """Ask the player to stop (a signal: the caller never waits; the worker kills it if it lingers)."""
        with self._process_lock:
            process = self._process
            if process is not None and process.poll() is None:
                process.terminate()

    # --- rendering ahead while idle ---------------------------------------------------------------------
    def _idle_wait(self) -> float | None:
        return 0.2 if self._ahead or not self._pruned else None

    def _when_idle(self) -> None:
        if self._audio is None:
            return
        self._audio.rate = self.policy.rate
        if not self._ahead:
            self._prune()
            return
        prompt_id, language = self._ahead.pop(0)
        volumes = {self.policy.volume, self.policy.quiet_volume} - {0}
        try:
            for volume in volumes:
                self._audio.prompt(PROMPTS[prompt_id], language, volume, background=True)
        except DeviceOperationError as exc:
            log.warning("%s: rendering ahead stopped: %s", self.name, exc.technician)
            self._ahead.clear()

    def _prune(self) -> None:
        """Remove prompts rendered for another volume, speed, catalogue or espeak-ng (once all are rendered)."""
        audio = self._audio
        if audio is None:
            self._pruned = True
            return
        volumes = {self.policy.volume, self.policy.quiet_volume} - {0}
        keep = {audio.path_for(prompt, language, volume).name
                for prompt in PROMPTS.values() for language in VOICES for volume in volumes}
        removed = 0
        for path in self._folder.glob("*.wav"):
            if not path.name.startswith("tone-") and path.name not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        self._pruned = True  # once done: a reader of the flag finds the folder pruned
        if removed:
            log.info("%s: removed %d prompts rendered for other settings", self.name, removed)

    def _health_external(self) -> tuple[bool, str]:
        """Play the card tone: the player must reach the sound card."""
        try:
            self._play(Sound("tone", "card_placed", volume=self.policy.volume or 10))
        except DeviceOperationError as exc:
            return False, exc.technician
        return True, f"{self._player} plays on {self.pcm}; espeak-ng {self._audio.version if self._audio else '?'}"

"""The hall's voice: the kiosk's loudspeaker as the pages use it, with the hall's ``[voice]`` settings.

``HallVoice`` speaks catalogue prompts (``devices/speaker/prompts.py``: nothing else can be said, so
nothing personal ever is) and plays tones through the speaker the device hub opened. It adds what
the hall configured beyond the speaker's own policy (volume, quiet hours): whether a page says its
instruction by itself (``automatic``: in elderly mode, always or never) and whether a read card is
answered with the beep the card page promises ("听到提示音即可"). Every call returns at once and
never raises: a kiosk without a loudspeaker, or with a broken one, is a silent kiosk, not a stuck one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from config.local import VoiceSettings
from devices.speaker.speaker import VoicePolicy

log = logging.getLogger("devices.speaker")


class HallVoice:
    def __init__(self, settings: VoiceSettings, speaker: Callable[[], Any]) -> None:
        """``speaker`` gives the open speaker (``devices.speaker.speaker.Speaker``) or None while there is none."""
        self.settings = settings
        self.local_settings = settings  # the local file's [voice], for when no bundle sets one
        self._policy = VoicePolicy.from_settings(settings)
        self._policy_pending = False  # settings changed that the open speaker (if any) has not got yet
        self._speaker = speaker

    @classmethod
    def for_hub(cls, hub: Any, settings: VoiceSettings) -> HallVoice:
        """The voice of the hub's ``speaker`` device, beeping when the hub's reader reads a card."""
        voice = cls(settings, lambda: hub.device("speaker"))
        hub.card_placed.connect(lambda _card: voice.card_read())
        hub.card_error.connect(lambda _error: voice.beep("attention"))
        return voice

    def configure(self, settings: VoiceSettings) -> None:
        """New ``[voice]`` settings (a configuration bundle put in force): volume and quiet hours from the next sound."""
        if settings == self.settings:
            return
        self.settings = settings
        self._policy = VoicePolicy.from_settings(settings)
        self._policy_pending = True
        log.info("voice settings in force: %s volume %d%%, quiet hours %s at %d%%",
                 "on" if settings.enabled else "off", settings.volume,
                 ", ".join(settings.quiet_hours) or "none", settings.quiet_volume)
        self._open_speaker()

    def follow_bundles(self, context: Any) -> None:
        """Take the ``[voice]`` of the bundle in force now and of each one put in force later
        (``context.remote_config_changed``; ``context.services.remote_config`` is the one in force)."""

        def in_force() -> None:
            remote = context.services.remote_config
            self.configure(remote.voice_settings(self.local_settings) if remote is not None else self.local_settings)

        context.remote_config_changed.connect(in_force)
        in_force()

    def _open_speaker(self) -> Any:
        """The open speaker with the settings in force (a speaker opened later, or before a bundle came, gets them too)."""
        speaker = self._speaker()
        if speaker is not None and self._policy_pending:
            speaker.configure(self._policy)
            self._policy_pending = False
        return speaker

    @property
    def available(self) -> bool:
        """Whether there is a speaker to play on (open, whatever its state)."""
        return self._speaker() is not None

    def speaks_by_itself(self, elderly: bool) -> bool:
        """Whether a page says its instruction without being asked (the speaker button always can)."""
        automatic = self.settings.automatic
        return automatic == "always" or (automatic == "elderly" and elderly)

    def say(self, prompt_id: str, language: str) -> bool:
        """Speak a catalogue prompt in ``language`` (zh or en); True when it will be heard."""
        speaker = self._open_speaker()
        if speaker is None:
            return False
        return bool(speaker.say(prompt_id, language))

    def beep(self, tone: str) -> bool:
        speaker = self._open_speaker()
        return bool(speaker.beep(tone)) if speaker is not None else False

    def card_read(self) -> bool:
        """The beep the card page promises once the card is read."""
        return self.beep("card_placed") if self.settings.card_tone else False

    def forget(self) -> None:
        """Stop any sound and forget the last prompt: the next citizen hears nothing of this one's visit."""
        speaker = self._speaker()
        if speaker is not None:
            speaker.forget()

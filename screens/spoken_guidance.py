"""Spoken guidance for the window: each page's instruction, said by itself or at the speaker button.

The page in front of the citizen (a screen, or a journey's step on its screen) names its prompt in
``screens.spoken_steps``. In elderly mode (or as ``[voice] automatic`` says) the instruction is said
as the page or step appears, in the language on screen; the speaker button in the footer says it
again for anyone, at any time. Only catalogue prompts reach the speaker, so nothing personal is
ever said. A session's end silences the speaker and forgets the last prompt, and a card left on the
reader is announced by the take-card reminder (``screens.take_card``).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject

from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import current_language
from screens.spoken_steps import step_prompt

log = logging.getLogger("screens")


class SpokenGuidance(QObject):
    """Says what the page in front of the citizen asks of them; ``window`` is the ``KioskWindow``."""

    def __init__(self, context: KioskContext, window: Any) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self._said: tuple[str, str, str] | None = None  # the step and language last said by itself
        self._journey: Any = None
        self._unsubscribe: Any = None
        # bound methods, not lambdas: Qt lets go of them with this object
        window.screen_shown.connect(self._page_changed)
        context.elderly_changed.connect(self._elderly_changed)
        context.language_changed.connect(self._page_changed)
        context.sessions.on_ended(self._session_ended)

    @property
    def voice(self) -> Any:
        return self.context.services.voice  # kiosk.hardware.voice.HallVoice

    # -- what the page asks --------------------------------------------------------------------
    def current_step(self) -> tuple[str, str]:
        """The page on show and, on a journey's screen, the journey's step: ``(page, state)``."""
        name = self.window.current_name
        self._follow_journey()
        screen = self.window.screens.get(name)
        journey = getattr(screen, "journey", None)
        if journey is not None and not journey.finished:
            return journey.name, journey.state
        return name, ""

    def current_prompt(self) -> str | None:
        """The catalogue prompt of the page on show, or None when it has nothing to say."""
        return step_prompt(*self.current_step())

    def can_repeat(self) -> bool:
        """Whether the speaker button has something to say here (and a speaker to say it with)."""
        return self.voice is not None and self.voice.settings.enabled and self.current_prompt() is not None

    def repeat(self) -> bool:
        """The speaker button: say the page's instruction again, whoever asks, whatever the mode."""
        prompt = self.current_prompt()
        if prompt is None or self.voice is None:
            return False
        return bool(self.voice.say(prompt, current_language()))

    # -- saying it by itself -----------------------------------------------------------------------
    def step_changed(self) -> None:
        """The page or the step changed: say the new instruction if this kiosk speaks by itself now."""
        self.window.footer_listen_changed(self.can_repeat())
        voice = self.voice
        if voice is None or not self.context.sessions.active or not voice.speaks_by_itself(self.context.elderly):
            return
        page, state = self.current_step()
        prompt = step_prompt(page, state)
        key = (page, state, current_language())
        if prompt is None or key == self._said:
            return
        self._said = key
        voice.say(prompt, current_language())

    def _page_changed(self, *_args: object) -> None:
        self.step_changed()

    def _elderly_changed(self, elderly: bool) -> None:
        self._said = None  # turning elderly mode on says the page in front of the citizen at once
        if elderly:
            self.step_changed()

    def _follow_journey(self) -> None:
        host = self.context.services.journeys
        journey = getattr(host, "journey", None)
        if journey is self._journey:
            return
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._journey, self._unsubscribe = journey, None
        if journey is not None:
            self._unsubscribe = journey.subscribe(lambda _journey: self.step_changed())

    def _session_ended(self, _reason: str) -> None:
        self._said = None
        if self.voice is not None:
            self.voice.forget()

"""The citizen session: everything personal lives here, and only here, until it is wiped.

A session starts at the first touch and ends at "finish" or after the idle timeout. Journeys
keep the card they read and the answers they fetched in it; screens show them; ``wipe()`` drops
all of it, zeroes the card photo, and tells every listener so widgets can clear what they showed.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.system import logs

log = logging.getLogger("session")


@dataclass
class CitizenSession:
    """One citizen's visit. ``data`` holds journey results keyed by journey name."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started_monotonic: float = field(default_factory=time.monotonic)
    journey: str | None = None
    card: Any = None
    data: dict[str, Any] = field(default_factory=dict)
    record_number: str = ""
    """What the citizen's service produced (ticket number, payment order, lookup document), for the rating."""

    def remember_card(self, card: Any) -> None:
        """Keep a card read at this kiosk; its names and addresses are redacted from logs from now on."""
        self.card = card
        names = [getattr(card, attr, "") for attr in ("name", "name_zh", "name_en", "english_name")]
        logs.set_citizen_names(*[n for n in names if isinstance(n, str)])
        addresses = [getattr(card, attr, "") for attr in ("address", "appended_address")]
        logs.set_citizen_addresses(*[a for a in addresses if isinstance(a, str)])

    def _release_card(self) -> None:
        card, self.card = self.card, None
        if card is None:
            return
        for method in ("release", "wipe", "zero"):
            release = getattr(card, method, None)
            if callable(release):
                release()
                break

    def wipe(self) -> None:
        self._release_card()
        for value in self.data.values():
            wipe = getattr(value, "wipe", None)
            if callable(wipe):
                wipe()
        self.data.clear()
        self.record_number = ""
        self.journey = None
        logs.clear_citizen_names()


class SessionKeeper:
    """Owns the current session; starts one on demand and ends it with a reason."""

    def __init__(self) -> None:
        self._session: CitizenSession | None = None
        self._ended_listeners: list[Callable[[str], None]] = []

    @property
    def active(self) -> bool:
        return self._session is not None

    @property
    def current(self) -> CitizenSession:
        """The running session, started now if there was none."""
        if self._session is None:
            self._session = CitizenSession()
            log.info("session started", extra={"event": "session_started"})
        return self._session

    def on_ended(self, listener: Callable[[str], None]) -> None:
        self._ended_listeners.append(listener)

    def end(self, reason: str) -> None:
        """End the session (reason: finish, idle, maintenance, config) and wipe it."""
        session, self._session = self._session, None
        if session is not None:
            duration = time.monotonic() - session.started_monotonic
            session.wipe()
            log.info("session ended: %s after %.0f s", reason, duration, extra={"event": "session_ended"})
        for listener in list(self._ended_listeners):
            listener(reason)

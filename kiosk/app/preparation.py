"""Idle-time preparation: the screens a citizen may open next, made ready while nobody is at the kiosk.

A screen is built the first time it is shown (``screens/main_window.py``): for a journey's screen
that is 20–60 ms on a kiosk board before its first paint, against a few ms for a later visit. A
kiosk idles on its home screen for seconds at a time between citizens; it uses those quiet moments,
one small step per turn of the event loop and never while someone is using it:

- once start-up has settled, the screens' modules are imported (about 1.3 MB together, nothing built);
- once a citizen's session has ended, the screens of the home page's journeys, then the catalogue's,
  are built one at a time, and each, at the next step, walked through its first showing without
  being shown (``KioskScreen.ready_ahead``, ``screens/rehearsal.py``: polished, laid out at the
  window's size, painted once offscreen), so that its first visit costs little more than a later
  one. These are the screens later citizens open anyway, and a screen once built is kept for the
  next citizen, so the memory a kiosk reaches after its first hours of service does not change;
  it is only reached sooner (2–3 MB per journey screen). The technician's and the
  out-of-service screens are left to be built when needed.

A step runs only on the home screen, with no session, ``QUIET_MS`` after the last touch; a touch
stops the preparation until the next quiet moment.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.system.timers import named_timer

if TYPE_CHECKING:
    from kiosk.app.runtime import KioskRuntime

log = logging.getLogger("kiosk")

STEP_MS = 200  # between two steps: a touch never waits behind more than one
QUIET_MS = 1500  # since the last touch: a citizen who is still reading is not disturbed
# the catalogue's screens, after the home page's journeys (whose screens come first)
CATALOGUE_SCREENS = ("departments", "services", "service", "unavailable", "feedback")


class IdlePreparation(QObject):
    """Imports, then builds, the screens citizens open, in the kiosk's quiet moments."""

    def __init__(self, runtime: KioskRuntime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.modules: list[str] = []
        self.screens: list[str] = []
        self.rehearsals: list[str] = []  # screens built, to be walked through their first showing
        self.builds_allowed = False
        self._last_touch = time.monotonic()
        self._timer = named_timer(self, "idle-preparation", interval_ms=STEP_MS)
        self._timer.timeout.connect(self.step)
        runtime.idle.activity.connect(self._touched)
        runtime.context.sessions.on_ended(self._session_ended)

    @property
    def done(self) -> bool:
        return not self.modules and (self.builds_allowed and not self.screens and not self.rehearsals)

    def start(self) -> None:
        """Begin with the imports (start-up has settled); builds wait for the first session's end."""
        from screens import registry

        window = self.runtime.window
        self.modules = list(dict.fromkeys(module for module, _ in registry.SCREENS.values()))
        tiles = getattr(window.screen_named("home"), "tiles", {})  # the home screen's journey tiles, by journey
        journeys = [name for name, tile in tiles.items() if tile.isVisibleTo(window) and registry.has(name)]
        self.screens = [name for name in dict.fromkeys([*journeys, *CATALOGUE_SCREENS])
                        if registry.has(name) and name not in window.screens]
        self._timer.start()

    def _touched(self) -> None:
        self._last_touch = time.monotonic()

    def _session_ended(self, _reason: str) -> None:
        self.builds_allowed = True
        self._last_touch = time.monotonic()
        if self._left() and not self._timer.isActive():
            self._timer.start()

    def quiet(self) -> bool:
        """Nobody at the kiosk: home on show, no session, no touch for ``QUIET_MS``."""
        return (not self.runtime.context.sessions.active and self.runtime.window.current_name == "home"
                and (time.monotonic() - self._last_touch) * 1000 >= QUIET_MS)

    def step(self) -> None:
        """One import or one screen, if the kiosk is quiet; the timer stops when nothing is left for now."""
        if not self.quiet():
            return
        try:
            if self.modules:
                importlib.import_module(self.modules.pop(0))
            elif self.builds_allowed and self.rehearsals:
                self._rehearse(self.rehearsals.pop(0))
            elif self.builds_allowed and self.screens:
                name = self.screens.pop(0)
                self.runtime.window.screen_named(name)
                self.rehearsals.append(name)
        except Exception:
            log.exception("preparing a screen in idle time failed; it is built when first shown")
        if self.modules or (self.builds_allowed and self._left()):
            return
        self._timer.stop()  # done, or the imports are and the builds wait for a session's end
        if self.builds_allowed:
            log.info("screens prepared", extra={"event": "screens_prepared"})

    def _left(self) -> bool:
        return bool(self.modules or self.screens or self.rehearsals)

    def _rehearse(self, name: str) -> None:
        """Screen ``name``'s first showing rehearsed at the size it is shown at, unless it is on show already."""
        window = self.runtime.window
        screen = window.screens.get(name)
        if screen is not None and window.current_name != name:
            screen.ready_ahead(window.stack.contentsRect().size(), window.devicePixelRatioF())

"""Stopping on request: SIGTERM (``systemctl stop`` / ``restart``) and SIGINT end the kiosk cleanly.

Between citizens the kiosk quits at once. While a citizen is being served it waits until their
session ends or ``grace_s`` has passed, whichever comes first, so a restart does not cut off a
payment in its last seconds, yet systemd never has to fall back to SIGKILL (the grace is well
inside the unit's ``TimeoutStopSec``). A second signal quits at once. systemd hears
``STOPPING=1`` as soon as the request arrives, and a ``STATUS=`` line while the kiosk waits.

Python runs a signal handler only when the interpreter gets control, and an idle Qt event loop
never gives it control. So the signal's number is written to a socket (``signal.set_wakeup_fd``)
that a :class:`QSocketNotifier` watches: the event loop wakes at once, also when it is idle.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeAlias

from PySide6.QtCore import QObject, QSocketNotifier

from kiosk.shell.session import SessionKeeper
from kiosk.system.timers import named_timer
from lifecycle import systemd_notify

log = logging.getLogger("kiosk")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# What signal.signal() takes and gives back: a Python handler, SIG_DFL / SIG_IGN, or None (one set from C).
SignalHandler: TypeAlias = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class GracefulStop(QObject):
    """Turns SIGTERM/SIGINT into ``quit()``, at once between citizens, after the session otherwise.

    ``quit`` ends the event loop with exit status 0 (the application shell lets the window close
    first: in kiosk mode the lockdown refuses close requests). ``on_status`` receives the line for
    systemd while the kiosk waits for a citizen (kiosk/shell/service_status.py).
    """

    def __init__(self, sessions: SessionKeeper, quit: Callable[[], None], *, grace_s: float,
                 on_status: Callable[[str], object] = systemd_notify.status, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graceful-stop")
        self._sessions = sessions
        self._quit = quit
        self.grace_s = grace_s
        self._on_status = on_status
        self.requested = False
        self._done = False
        self._grace = named_timer(self, "stop-grace", single_shot=True)
        self._grace.timeout.connect(lambda: self._finish("the grace period ended"))
        self._reader: socket.socket | None = None
        self._writer: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._previous: dict[int, SignalHandler] = {}
        self._previous_fd = -1
        sessions.on_ended(self._session_ended)

    # -- signals ---------------------------------------------------------------------------------
    def install(self) -> None:
        """Catch SIGTERM and SIGINT from now on (main thread only; undone by :meth:`uninstall`)."""
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for signum in STOP_SIGNALS:
            # The work is done by the notifier below; a Python handler is still needed, or the
            # signal keeps its default action (SIGTERM would kill the process on the spot).
            self._previous[signum] = signal.signal(signum, _noted)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wakeup)

    def uninstall(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
        if self._writer is not None:
            signal.set_wakeup_fd(self._previous_fd)
        for end in (self._reader, self._writer):
            if end is not None:
                end.close()
        self._reader = self._writer = None

    def _wakeup(self, *_args: object) -> None:
        try:
            data = self._reader.recv(64) if self._reader is not None else b""
        except (BlockingIOError, InterruptedError):
            return
        for signum in data:
            if signum in STOP_SIGNALS:
                self.request(signal.Signals(signum).name)

    # -- the stop itself -------------------------------------------------------------------------
    def request(self, why: str) -> None:
        """A stop was asked for (``why`` names it, e.g. SIGTERM)."""
        if self.requested:
            self._finish(f"{why} again")
            return
        self.requested = True
        systemd_notify.stopping()
        if not self._sessions.active:
            self._on_status("stopping")
            self._finish(f"{why}, no citizen at the kiosk")
            return
        self._on_status(f"stopping: waiting up to {self.grace_s:g} s for the citizen's session to end")
        log.info("%s: waiting up to %g s for the citizen's session to end", why, self.grace_s,
                 extra={"event": "stop_waiting"})
        self._grace.start(max(0, round(self.grace_s * 1000)))

    def _session_ended(self, _reason: str) -> None:
        if self.requested:
            self._finish("the citizen's session ended")

    def _finish(self, why: str) -> None:
        if self._done:
            return
        self._done = True
        self._grace.stop()
        log.info("stopping: %s", why, extra={"event": "stopping"})
        self._quit()


def _noted(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do, the wakeup socket carries the signal to the loop."""

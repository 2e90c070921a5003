"""Idle watch: a citizen who walks away gets a countdown, then the kiosk wipes and goes home.

Any touch, click or key press in the watched window counts as activity. After ``idle_timeout_s``
without activity during a session the countdown starts; a touch dismisses it; when it reaches
zero ``expired`` is emitted and the application ends the session.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import QWidget

from kiosk.system.timers import named_timer

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleWatch(QObject):
    activity = Signal()
    countdown_started = Signal(int)
    countdown_tick = Signal(int)
    countdown_cancelled = Signal()
    expired = Signal()

    def __init__(self, idle_timeout_s: float, countdown_s: int, parent: QObject | None = None,
                 tick_ms: int = 1000) -> None:
        super().__init__(parent)
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self._armed = False
        self._remaining = 0
        self._idle_timer = named_timer(self, "idle-timeout", single_shot=True)
        self._idle_timer.timeout.connect(self._start_countdown)
        self._tick_timer = named_timer(self, "idle-countdown", interval_ms=tick_ms)
        self._tick_timer.timeout.connect(self._tick)

    def watch(self, window: QWidget) -> None:
        """Count the input the platform delivers to ``window`` (touches, clicks, keys, wheel) as activity.

        The filter sits on the window's QWindow, where every touch arrives before Qt hands it to
        the widget under the finger. An application-wide filter written in Python would be called
        for each of the hundreds of events a screen change sends to widgets, which cost about a
        sixth of a mode switch.
        """
        window.winId()  # the QWindow exists from here on (normally made by show())
        window.windowHandle().installEventFilter(self)

    def unwatch(self, window: QWidget) -> None:
        """Stop counting ``window``'s input."""
        if window.windowHandle() is not None:
            window.windowHandle().removeEventFilter(self)

    @property
    def counting_down(self) -> bool:
        return self._tick_timer.isActive()

    def arm(self) -> None:
        """Watch for idleness (a session is running)."""
        self._armed = True
        self._restart_idle_timer()

    def disarm(self) -> None:
        """Stop watching (no session, or a journey that must not be interrupted has paused it)."""
        self._armed = False
        self._idle_timer.stop()
        if self._tick_timer.isActive():
            self._tick_timer.stop()
            self.countdown_cancelled.emit()

    def poke(self) -> None:
        """Count as activity (also used by journeys that are busy on the citizen's behalf)."""
        self.activity.emit()
        if self._tick_timer.isActive():
            self._tick_timer.stop()
            self.countdown_cancelled.emit()
        if self._armed:
            self._restart_idle_timer()

    def _restart_idle_timer(self) -> None:
        self._idle_timer.start(int(self.idle_timeout_s * 1000))

    def _start_countdown(self) -> None:
        if not self._armed:
            return
        self._remaining = self.countdown_s
        self._tick_timer.start()
        self.countdown_started.emit(self._remaining)

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining > 0:
            self.countdown_tick.emit(self._remaining)
            return
        self._tick_timer.stop()
        self._armed = False
        self.expired.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # the isinstance test is answered in C; event.type() builds a Python enum
        if isinstance(event, QInputEvent) and event.type() in _ACTIVITY:
            self.poke()
        return False

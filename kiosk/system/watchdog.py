"""Proof of life from the GUI event loop to systemd's watchdog.

``kiosk.service`` is ``Type=notify`` with ``WatchdogSec=``: systemd considers the kiosk started
when READY=1 arrives and restarts it when WATCHDOG=1 stops arriving. Both must come from the
thing a citizen depends on, the GUI event loop, so:

* READY=1 is sent once, just after the main window's first frame has been painted;
* WATCHDOG=1 is sent by a QTimer on the GUI thread every half watchdog interval — a loop that is
  blocked fires no timer and so sends nothing;
* and only while the ``healthy`` callback says yes, so the shell can withhold keep-alives when it
  knows it is wedged in a way the loop itself does not show.

Usage in the application shell::

    watchdog = EventLoopWatchdog(app, healthy=shell.is_healthy)
    watchdog.start_after_first_frame(main_window)   # before or after main_window.show()
    app.aboutToQuit.connect(watchdog.stop)
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken

from lifecycle import systemd_notify

log = logging.getLogger("kiosk")


def _always_healthy() -> bool:
    return True


class EventLoopWatchdog(QObject):
    """Sends READY=1 once and WATCHDOG=1 from the GUI event loop while ``healthy()`` is True.

    Without systemd (no ``$NOTIFY_SOCKET``) it does nothing harmful; without a configured
    watchdog (no ``$WATCHDOG_USEC``) it sends READY=1 and no keep-alives.
    """

    #: Emitted once, right after READY=1 was sent (or would have been, outside systemd).
    readySent = Signal()
    #: Emitted on every keep-alive sent to systemd.
    beat = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 healthy: Callable[[], bool] = _always_healthy,
                 on_health_changed: Callable[[bool], None] | None = None) -> None:
        """``on_health_changed`` reports a change of health to whoever writes systemd's status line
        (kiosk/shell/service_status.py); without it the watchdog writes a line of its own."""
        super().__init__(parent)
        self.setObjectName("event-loop-watchdog")
        self._healthy = healthy
        self._on_health_changed = on_health_changed
        self._ready_sent = False
        self._was_healthy = True
        self._watched: QObject | None = None
        self._interval_s = systemd_notify.watchdog_interval()
        self._timer = QTimer(self)
        self._timer.setObjectName("watchdog-keepalive")
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    @property
    def ready_sent(self) -> bool:
        """True once READY=1 has been sent."""
        return self._ready_sent

    @property
    def keepalive_interval_s(self) -> float | None:
        """Seconds between keep-alives (half systemd's interval), None when no watchdog is set."""
        return None if self._interval_s is None else self._interval_s / 2

    def start_after_first_frame(self, window: QWidget | QWindow) -> None:
        """Call :meth:`start` once ``window`` has been exposed and painted for the first time.

        ``window`` is the kiosk's top-level widget (or its QWindow). Safe to call before or
        after it is shown. A window that never gets on screen never reports ready, so systemd's
        start timeout restarts the kiosk — which is what should happen.
        """
        if isinstance(window, QWidget):
            handle: QWindow | None = window.windowHandle()  # None until shown, whatever the stubs say
            if handle is None:
                # The platform window exists only once the widget is shown; its Show event is
                # sent before the window is exposed, so nothing is missed by waiting for it.
                self._watch(window)
                return
            window = handle
        if window.isExposed():
            # Already on screen: exposure painted it, so the first frame is behind us.
            QTimer.singleShot(0, self, self.start)
        else:
            self._watch(window)

    def start(self) -> None:
        """Send READY=1 (only the first time) and begin the keep-alives."""
        self._unwatch()
        if not self._ready_sent:
            self._ready_sent = True
            systemd_notify.ready()
            log.info("ready: first frame painted; watchdog keep-alive every %s s",
                     self.keepalive_interval_s)
            self.readySent.emit()
        if self._interval_s is not None and not self._timer.isActive():
            self._timer.start(max(1, int(self._interval_s * 1000 / 2)))
            self._tick()

    def stop(self) -> None:
        """Stop keep-alives and tell systemd the stop is deliberate (STOPPING=1)."""
        self._unwatch()
        self._timer.stop()
        systemd_notify.stopping()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if isinstance(watched, QWidget) and kind == QEvent.Type.Show:
            handle = watched.windowHandle()
            if handle is not None:
                self._watch(handle)
        elif isinstance(watched, QWindow) and kind == QEvent.Type.Expose and watched.isExposed():
            # QWidgetWindow paints and flushes synchronously while handling this Expose event;
            # a zero timer runs after it, i.e. after the first frame went to the compositor.
            self._unwatch()
            QTimer.singleShot(0, self, self.start)
        return False

    def _watch(self, target: QObject) -> None:
        self._unwatch()
        self._watched = target
        target.installEventFilter(self)

    def _unwatch(self) -> None:
        watched, self._watched = self._watched, None
        if watched is not None and Shiboken.isValid(watched):
            watched.removeEventFilter(self)

    def _tick(self) -> None:
        try:
            healthy = bool(self._healthy())
        except Exception:
            log.exception("health check raised; treating the kiosk as unhealthy")
            healthy = False
        if healthy != self._was_healthy:
            self._was_healthy = healthy
            if healthy:
                log.info("healthy again: watchdog keep-alives resumed")
            else:
                log.warning("unhealthy: withholding watchdog keep-alives so systemd restarts the kiosk")
            if self._on_health_changed is not None:
                self._on_health_changed(healthy)
            else:
                systemd_notify.status("running" if healthy else "unhealthy: watchdog keep-alives withheld")
        if healthy:
            systemd_notify.watchdog()
            self.beat.emit()

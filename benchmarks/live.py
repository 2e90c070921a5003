"""A live kiosk for benchmarks, and a clock that says when the window finished painting.

``live_kiosk()`` is the end-to-end tests' ``live_kiosk`` fixture without pytest: the real window
and journeys, the device hub on the wire-level simulators (sim://) and a gateway client to the
reference gateway (EmbeddedGateway) on 127.0.0.1. The hall clock is pinned to a Wednesday morning
so every service is offered whatever the time of the run.

``PaintClock`` stamps the end of each paint pass of the window: a paint pass is one synchronous
repaint of every dirty widget, so the stamp is "the next screen is on the glass" (the offscreen
platform's backing store; a real screen adds its scan-out, the same for every app).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QPaintEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

OPEN_HALL = dt.datetime(2026, 11, 18, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Wednesday


def application() -> QApplication:
    from kiosk.app.runtime import make_application

    return make_application()


def turn() -> None:
    """One turn of the event loop, as ``exec()`` would make it: posted events, then deferred deletes.

    ``processEvents()`` alone never runs ``deleteLater()`` outside an event loop, which would make
    every discarded widget look like a leak.
    """
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Turn the event loop until ``condition()`` holds; SystemExit naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout:g} s waiting for {what}")
        turn()
        time.sleep(0.0005)


def spin(seconds: float) -> None:
    """Turn the event loop for ``seconds`` (lets late callbacks and repaints land)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        turn()
        time.sleep(0.001)


def tap(widget: QWidget) -> float:
    """A touch on ``widget`` (press and release at its centre); returns the perf_counter time before it.

    Delivered to the window's QWindow as the touch screen's events are, so Qt finds the widget under
    the finger and the kiosk's input watches (idle, lockdown) see it, all inside the measured time.
    """
    if not (widget.isVisible() and widget.isEnabled()):
        raise SystemExit(f"cannot tap {widget.objectName() or type(widget).__name__}: hidden or disabled")
    window = widget.window()
    at = widget.mapTo(window, widget.rect().center())
    start = time.perf_counter()
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    return start


class PaintClock(QObject):
    """Counts the window's paint passes and stamps (perf_counter) the end of each.

    A paint pass is the window's handling of one UpdateRequest: Qt posts one to the top-level
    widget when something in it was marked dirty, and paints every dirty widget synchronously
    inside it. The clock filters only the window's own events, so it adds no cost to the
    hundreds of events a screen change sends to child widgets (an application-wide Python filter
    would, and would count that cost against the kiosk).
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.passes = 0
        self.last_end = 0.0
        self._in_pass = False
        self._watchers: list[Callable[[QWidget], None]] = []
        self._painted = _PaintWatch(window, self._watchers)
        window.installEventFilter(self)

    def watch_paint(self, callback: Callable[[QWidget], None]) -> None:
        """``callback(widget)`` for every widget painted (to notice a particular label being drawn).

        This needs an application-wide filter (paint events go to each widget), installed with the
        first callback; figures taken while one is installed include its cost.
        """
        if not self._watchers:
            QApplication.instance().installEventFilter(self._painted)
        self._watchers.append(callback)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window and not self._in_pass and event.type() == QEvent.Type.UpdateRequest:
            self._in_pass = True
            # runs once the whole synchronous paint pass has returned to the event loop
            QTimer.singleShot(0, self._pass_done)
        return False

    def _pass_done(self) -> None:
        self.last_end = time.perf_counter()
        self._in_pass = False
        self.passes += 1

    def next_paint_after(self, start: float, timeout: float = 5.0) -> float:
        """Turn the event loop until a paint pass ends after ``start``; that end's time."""
        wait_until(lambda: self.last_end > start and not self._in_pass, timeout, "the next paint")
        return self.last_end

    def close(self) -> None:
        self.window.removeEventFilter(self)
        if self._watchers:
            QApplication.instance().removeEventFilter(self._painted)


class _PaintWatch(QObject):
    """Application-wide filter calling the watchers for each widget of ``window`` painted."""

    def __init__(self, window: QWidget, watchers: list[Callable[[QWidget], None]]) -> None:
        super().__init__(window)
        self.window, self.watchers = window, watchers

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if isinstance(event, QPaintEvent) and isinstance(watched, QWidget) and watched.window() is self.window:
            for callback in self.watchers:
                callback(watched)
        return False


@dataclass
class LiveKiosk:
    runtime: Any
    gateway: Any
    printer: Any
    idcard: Any
    scanner: Any

    @property
    def window(self) -> Any:
        return self.runtime.window

    @property
    def context(self) -> Any:
        return self.runtime.context

    @property
    def hub(self) -> Any:
        return self.runtime.context.services.devices


@contextmanager
def live_kiosk(state: Path, *, devices: bool = True, gateway: bool = True,
               idcard_url: str | None = None, gateway_args: tuple[str, ...] = ()) -> Iterator[LiveKiosk]:
    """The kiosk as the demo runs it, minus the watchdog and demo panel; torn down on exit.

    ``gateway_args``: more options for the reference gateway's command line (``python -m gateway``).
    """
    from config.local import demo_settings
    from devices import simulators
    from kiosk.app import startup
    from kiosk.app.runtime import build_runtime
    from kiosk.shell import i18n

    application()
    embedded = None
    if gateway:
        from gateway.embedded import EmbeddedGateway

        embedded = EmbeddedGateway(state / "gateway.db", extra_args=gateway_args).start()
    settings = demo_settings(state / "kiosk")
    if embedded is not None:
        settings = replace(settings, gateway=replace(settings.gateway, url=embedded.url, embedded=False))
    if idcard_url:
        settings = replace(settings, devices=replace(settings.devices, idcard=idcard_url))
    hooks = [startup.start_gui_bridge, startup.start_offline_store, startup.start_availability]
    if devices:
        hooks.append(startup.start_devices)
    runtime = build_runtime(settings, kiosk_mode=False, start_hooks=hooks)
    try:
        runtime.window.show()
        wait_until(lambda: runtime.first_frame_s is not None, 10, "the first frame")
        runtime.context.services.clock.now = lambda: OPEN_HALL
        if embedded is not None:
            startup.attach_client(runtime, embedded.url)
        if devices:
            hub = runtime.context.services.devices
            wait_until(lambda: all(hub.device(n) is not None for n in ("idcard", "printer", "scanner")), 15,
                       "the simulated devices to open")
            wait_until(hub.can_print, 10, "the printer to report ready")
        runtime.context.availability_changed.emit()
        yield LiveKiosk(runtime, embedded, simulators.running("printer"), simulators.running("idcard"),
                        simulators.running("scanner"))
    finally:
        runtime.context.sessions.end("finish")
        runtime.stop()
        runtime.context.close()
        runtime.window.close()
        runtime.window.deleteLater()
        simulators.stop_all()
        if embedded is not None:
            embedded.stop()
        i18n.set_language("zh")
        spin(0.05)

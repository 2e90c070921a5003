"""Start-up: configuration → window on screen → everything slow, after the first frame.

This module is the application's composition root, the one place in kiosk/ that imports
screens/ (to build the window); the rest of kiosk/ never does. The home screen is painted
before devices, the gateway client or the database are touched; those start from
``after_first_frame`` hooks, each of which may fail without taking the kiosk down.

``KIOSK_EXIT_AFTER_FIRST_FRAME=1`` (for the start-up benchmark) makes the kiosk print one JSON
line to stdout at its first frame (CLOCK_MONOTONIC time, process age, widget count, PSS) and quit
at once, without running the start hooks.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from config.catalogue import Catalogue, load_default_catalogue
from config.local import KioskSettings
from kiosk.hall.between_citizens import tidy_after_each_session
from kiosk.journeys import install_journeys
from kiosk.journeys.host import JourneyHost
from kiosk.shell.context import KioskContext, OutOfOrder
from kiosk.shell.idle import IdleWatch
from kiosk.shell.lockdown import Lockdown
from kiosk.shell.panel import DESIGN_HEIGHT, DESIGN_WIDTH, Fit, Panel, check_touch_size, orientation_notice
from kiosk.shell.worker import BackgroundCalls
from kiosk.system.startup_clock import process_age_s
from lifecycle import systemd_notify

if TYPE_CHECKING:
    from kiosk.app.preparation import IdlePreparation
    from screens.main_window import KioskWindow

log = logging.getLogger("kiosk")
qt_log = logging.getLogger("qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages() -> None:
    """Qt's own messages go to the ``qt`` logger (and so through redaction into the log file)."""

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), message)

    qInstallMessageHandler(handler)


StartHook = Callable[["KioskRuntime"], None]


@dataclass
class KioskRuntime:
    """The running kiosk: its context, window and the watchers wired between them."""

    context: KioskContext
    window: KioskWindow
    idle: IdleWatch
    lockdown: Lockdown | None
    start_hooks: list[StartHook] = field(default_factory=list)
    stop_hooks: list[Callable[[], object]] = field(default_factory=list)
    first_frame_s: float | None = None
    preparation: IdlePreparation | None = None  # screens made ready between citizens (kiosk/app/preparation.py)

    def after_first_frame(self) -> None:
        self.first_frame_s = process_age_s()
        log.info("home screen painted %.0f ms after process start", self.first_frame_s * 1000,
                 extra={"event": "first_frame", "duration_ms": round(self.first_frame_s * 1000)})
        if os.environ.get("KIOSK_EXIT_AFTER_FIRST_FRAME") == "1":
            self._report_first_frame_and_quit()
            return
        for hook in self.start_hooks:
            try:
                hook(self)
            except Exception:
                log.exception("start-up step %s failed; the kiosk carries on without it",
                              getattr(hook, "__name__", hook))

    def _report_first_frame_and_quit(self) -> None:
        """The start-up benchmark's probe: when the first frame happened, then leave."""
        now = time.monotonic()  # before the imports below, which are the probe's own cost
        import psutil
        from PySide6.QtWidgets import QWidget

        report = {"event": "first_frame", "monotonic": now, "process_age_ms": (self.first_frame_s or 0.0) * 1000,
                  "widgets": 1 + len(self.window.findChildren(QWidget)),
                  "pss_kb": psutil.Process().memory_full_info().pss // 1024}
        print(json.dumps(report), flush=True)
        QApplication.quit()

    def stop(self) -> None:
        for hook in reversed(self.stop_hooks):
            try:
                hook()
            except Exception:
                log.exception("shutdown step failed")
        self.stop_hooks.clear()


def build_runtime(settings: KioskSettings, *, kiosk_mode: bool, catalogue: Catalogue | None = None,
                  start_hooks: list[StartHook] | None = None, demo: bool = False,
                  window_size: tuple[int, int] | None = None) -> KioskRuntime:
    """Create the context and window and wire session, idle watch and lockdown. Needs a QApplication.

    ``demo`` marks every screen as the demo (a badge in the header). ``window_size`` is the window's
    logical size outside kiosk mode (default: the design's 1080×1920).
    """
    from screens.interface_font import use_interface_families
    from screens.main_window import KioskWindow

    app = QApplication.instance()
    if app is None:
        raise RuntimeError("build_runtime needs a QApplication")
    use_interface_families()  # before the window: its widgets take their font families from the application
    context = KioskContext(settings, catalogue or load_default_catalogue(), parent=app)
    context.demo = demo
    calls = BackgroundCalls(parent=app)
    context.services.calls = calls
    context.services.journeys = JourneyHost(context, parent=app)
    install_journeys(context)
    window = KioskWindow(context, kiosk_mode=kiosk_mode) if window_size is None else \
        KioskWindow(context, kiosk_mode=kiosk_mode, size=window_size)
    idle = IdleWatch(settings.session.idle_timeout_s, settings.session.countdown_s, parent=window)
    idle.watch(window)
    context.services.idle = idle
    lockdown = None
    if kiosk_mode:
        lockdown = Lockdown(window, parent=window)
        lockdown.guard()
    runtime = KioskRuntime(context, window, idle, lockdown, list(start_hooks or []))
    runtime.stop_hooks.append(calls.close)
    _wire_session(runtime)
    window.first_frame.connect(runtime.after_first_frame)
    return runtime


def _wire_session(runtime: KioskRuntime) -> None:
    context, window, idle = runtime.context, runtime.window, runtime.idle

    def touched() -> None:
        # The first touch starts a session; the idle watch then guards it.
        if not context.sessions.active and window.current_name != "out_of_service":
            context.sessions.current  # noqa: B018 (starts the session)
            idle.arm()

    idle.activity.connect(touched)
    idle.countdown_started.connect(window.show_countdown)
    idle.countdown_tick.connect(window.update_countdown)
    idle.countdown_cancelled.connect(window.hide_countdown)
    idle.expired.connect(lambda: context.sessions.end("idle"))
    context.sessions.on_ended(lambda reason: idle.disarm())
    tidy_after_each_session(context.sessions)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or ["kiosk"])
    from screens.interface_font import register_interface_font

    register_interface_font()  # once per process, before any widget picks its font
    app.setApplicationName("kiosk")
    app.setQuitOnLastWindowClosed(True)
    return app


def run(settings: KioskSettings, *, kiosk_mode: bool, start_hooks: list[StartHook] | None = None,
        demo: bool = False, out_of_order: OutOfOrder | None = None, panel: Panel | None = None,
        fit: Fit | None = None) -> int:
    """Show the kiosk and run the event loop until it is told to stop (SIGTERM, SIGINT).

    With ``out_of_order`` the kiosk shows the out-of-service screen with that reason from its first
    frame (give it :func:`kiosk.app.startup.out_of_order_hooks`). ``demo`` marks every screen DEMO.
    ``panel`` and ``fit`` are what ``kiosk.shell.panel`` found and chose before the application started.
    """
    from kiosk.shell.service_status import ServiceStatus
    from kiosk.shell.shutdown import GracefulStop

    systemd_notify.status("starting: opening the window")
    route_qt_messages()
    app = make_application()
    panel = panel or Panel(DESIGN_WIDTH, DESIGN_HEIGHT)
    fit = fit or Fit(1.0, DESIGN_WIDTH, DESIGN_HEIGHT)
    runtime = build_runtime(settings, kiosk_mode=kiosk_mode, start_hooks=start_hooks, demo=demo,
                            window_size=None if kiosk_mode else fit.size)
    context = runtime.context
    status = context.services.service_status = ServiceStatus(context, parent=app)
    if out_of_order is not None:
        context.set_out_of_order(out_of_order)

    def leave() -> None:
        runtime.window.closing_allowed = True  # the lockdown refuses close requests otherwise
        app.exit(0)

    stop = GracefulStop(context.sessions, leave, grace_s=settings.session.stop_grace_s, on_status=status.hold,
                        parent=app)
    stop.install()
    context.services.stop = stop
    if kiosk_mode:
        # The screen's size from the start: a compositor such as cage sizes a window only after its
        # first frame, which would otherwise be Qt's default size (2/3 of the screen) for seconds.
        runtime.window.setGeometry(app.primaryScreen().geometry())
        runtime.window.showFullScreen()
    else:
        runtime.window.show()
    check_output(runtime, app, panel, fit)
    app.aboutToQuit.connect(runtime.stop)
    try:
        return app.exec()
    finally:
        stop.uninstall()


def check_output(runtime: KioskRuntime, app: QApplication, panel: Panel, fit: Fit) -> None:
    """Log the panel and the scale in force; say on screen when its shape is not the configured one."""
    window, display = runtime.window, runtime.context.settings.display
    screen = app.primaryScreen()
    width, height = fit.size
    if runtime.lockdown is not None and screen is not None:  # kiosk mode: the window is the whole output
        width, height = screen.geometry().width(), screen.geometry().height()
        physical, ratio = screen.physicalSize(), screen.devicePixelRatio()
        if panel.mm_per_px() is None and physical.width() > 0 and physical.height() > 0:
            # the DPI Qt reports (from the output's EDID, via the compositor)
            pitch = (physical.width() / (width * ratio) + physical.height() / (height * ratio)) / 2
            panel = Panel(panel.width, panel.height, pitch * panel.width, pitch * panel.height, panel.source)
    log.info("panel %dx%d (%s), design drawn at %.3f×, window %dx%d", panel.width, panel.height, panel.source,
             fit.scale, width, height, extra={"event": "panel"})
    check_touch_size(panel, fit.scale)
    notice = orientation_notice(display.orientation, width, height)
    if notice is not None:
        log.warning("the output is %dx%d, not %s: set [display] rotation (90 or 270) to turn it, or "
                    "orientation to match the panel", width, height, display.orientation,
                    extra={"event": "panel_orientation"})
        window.set_panel_notice(notice)

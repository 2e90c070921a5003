"""Technician mode: PIN entry, the diagnosis, self-tests (self_tests.py) and the technician's actions, no widgets.

The screens ``technician_pin`` and ``technician`` (screens/technician.py) render this object's
state and call its methods; they never touch a device, the database or the network themselves.
``changed`` is emitted whenever anything they show changes.

- Entry: :meth:`request_entry` (the hidden corner) ends any citizen session, then shows the PIN
  screen; :meth:`submit_pin` checks the PIN with :class:`kiosk.technician.access.TechnicianGate` off the
  GUI thread (five wrong PINs lock entry for five minutes, persisted by the gate).
- While active the citizens' idle watch is held off and a technician idle watch (5 minutes, the
  same :class:`kiosk.shell.idle.IdleWatch`) ends the mode. Leaving by any other way (the footer's Home)
  ends it too.
- Every action is appended to the audit log (``state_dir/audit.jsonl``), one writer thread so the
  lines keep their order; the log never holds personal data.
- Restart: under systemd (``INVOCATION_ID`` set) the application exits with
  :data:`RESTART_EXIT_CODE` and the unit's ``Restart=always`` starts it again; elsewhere (the demo)
  the process re-executes itself after a clean shutdown.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.shell.i18n import N_
from kiosk.shell.idle import IdleWatch
from kiosk.system.logs import current_log_file
from kiosk.system.privacy import redact
from kiosk.system.timers import named_timer
from kiosk.technician.self_tests import SELF_TEST_TIMEOUT_MS, SelfTest, SelfTests

if TYPE_CHECKING:  # the diagnostics (psutil, device commands) load when a technician first needs them
    from kiosk.hardware.paper_roll import PaperRoll
    from kiosk.hardware.print_outcome import PrintOutcome
    from kiosk.technician.checks import Finding
    from kiosk.technician.diagnostics import Sources

log = logging.getLogger("fleet")

TECHNICIAN_SCREENS = ("technician_pin", "technician")
IDLE_S = 300
IDLE_COUNTDOWN_S = 15
RESTART_EXIT_CODE = 75  # EX_TEMPFAIL: "try again"; kiosk.service restarts on any exit (Restart=always)

PinPhase = Literal["entering", "checking", "wrong", "locked", "not_configured", "misconfigured"]


@dataclass
class PinState:
    """What the PIN screen shows."""

    phase: PinPhase = "entering"
    attempts_left: int = 5
    locked_until: datetime | None = None


def _under_systemd() -> bool:
    return bool(os.environ.get("INVOCATION_ID") or os.environ.get("NOTIFY_SOCKET"))


def _reexec() -> None:
    os.execv(sys.executable, [sys.executable, *sys.argv])


class TechnicianMode(SelfTests, QObject):
    """The technician's side of the kiosk (``context.services.technician``)."""

    def __init__(self, context: Any, nav: Any, *, citizen_idle: IdleWatch | None = None,
                 parent: QObject | None = None, clock: Any = None,
                 exit_app: Callable[[int], None] | None = None,
                 reexec: Callable[[], None] | None = None,
                 under_systemd: Callable[[], bool] = _under_systemd) -> None:
        super().__init__(parent)
        self.context = context
        self.nav = nav
        self.citizen_idle = citizen_idle
        self._clock = clock
        self._exit_app = exit_app or QApplication.exit
        self._reexec = reexec or _reexec
        self._under_systemd = under_systemd
        self.corner: QObject | None = None
        self.engaged = False  # on the PIN screen or in technician mode
        self.active = False  # the PIN was accepted
        self.pin = PinState()
        self.findings: list[Finding] | None = None
        self.diagnosing = False
        self.tests: dict[str, SelfTest] = {}
        self.notice = ""  # the last action's outcome, for the screen (a message id + values)
        self.notice_values: dict[str, Any] = {}
        self.idle_remaining: int | None = None
        self._gate: Any = None
        self._audit: Any = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit")
        self._steering = False
        self._holding_off = False
        self._hub_links: list[tuple[Any, Any]] = []
        self._test_timer = named_timer(self, "technician-self-test", single_shot=True,
                                       interval_ms=SELF_TEST_TIMEOUT_MS)
        self._test_timer.timeout.connect(self._test_timed_out)
        self._paper: PaperRoll | None = None
        self.idle = IdleWatch(IDLE_S - IDLE_COUNTDOWN_S, IDLE_COUNTDOWN_S, parent=self)
        self.idle.expired.connect(lambda: self.leave("idle"))
        self.idle.countdown_started.connect(self._countdown)
        self.idle.countdown_tick.connect(self._countdown)
        self.idle.countdown_cancelled.connect(lambda: self._countdown(None))
        screen_shown = getattr(nav, "screen_shown", None)
        if screen_shown is not None:
            screen_shown.connect(self._screen_shown)

    # -- services ------------------------------------------------------------------------------------
    @property
    def clock(self) -> Any:
        if self._clock is None:
            from kiosk.system.clock import SystemClock

            self._clock = self.context.services.clock or SystemClock()
        return self._clock

    @property
    def audit(self) -> Any:
        if self._audit is None:
            from kiosk.technician.access import AuditLog

            self._audit = AuditLog.in_state_dir(self.context.settings.state_dir, self.clock)
        return self._audit

    def _hub(self) -> Any:
        return self.context.services.devices

    def _calls(self) -> Any:
        return self.context.services.calls

    def record(self, action: str, detail: dict[str, Any] | str = "") -> None:
        """Append to the audit log on the writer thread (in order, off the GUI thread)."""
        self._writer.submit(self._record_now, action, detail)

    def _record_now(self, action: str, detail: dict[str, Any] | str) -> None:
        try:
            self.audit.record(action, detail)
        except Exception:
            log.exception("audit log: cannot record %s", action)

    def flush_audit(self, timeout: float = 5.0) -> None:
        """Wait until every action handed to the writer is on disk (tests, restart)."""
        self._writer.submit(lambda: None).result(timeout=timeout)

    def attach_devices(self) -> None:
        """Count every printed job towards the paper estimate (once the device hub exists)."""
        hub = self._hub()
        finished = getattr(hub, "print_finished", None)
        if finished is None or getattr(self, "_paper_hub", None) is hub:
            return
        self._paper_hub = hub
        finished.connect(self._job_printed)

    def _job_printed(self, outcome: PrintOutcome) -> None:
        if outcome.printed and outcome.result is not None:
            length = float(getattr(outcome.result, "length_mm", 0.0))
            self._writer.submit(self.paper.record_job, length)

    # -- entry ---------------------------------------------------------------------------------------
    def request_entry(self) -> None:
        """The hidden corner was held: end any citizen session, show the PIN screen (or why not)."""
        if self.active:
            self._show("technician")
            return
        if self.context.sessions.active:
            self.context.sessions.end("technician")
        self.pin = PinState()
        gate = self._make_gate()
        if gate is None:
            pass  # phase set by _make_gate
        elif not self.context.settings.security.technician_pin_hash:
            self.pin = PinState("not_configured", 0)
            self.record("entry_refused", {"why": "no technician PIN configured"})
        else:
            until = gate.locked_until()
            if until is not None:
                self.pin = PinState("locked", 0, until)
        self.engaged = True
        log.info("technician entry asked for")
        self._show("technician_pin")
        self.changed.emit()

    def _make_gate(self) -> Any:
        from config.errors import ConfigError
        from kiosk.technician.access import TechnicianGate

        settings = self.context.settings
        try:
            self._gate = TechnicianGate(settings.state_dir, settings.security.technician_pin_hash, self.clock,
                                        audit=self.audit)
        except ConfigError:
            self._gate = None
            self.pin = PinState("misconfigured", 0)
            self.record("entry_refused", {"why": "technician PIN hash in the configuration is malformed"})
        return self._gate

    def submit_pin(self, pin: str) -> None:
        """Check ``pin`` off the GUI thread; the answer changes :attr:`pin` (or opens technician mode)."""
        if self._gate is None or self.pin.phase in ("checking", "not_configured", "misconfigured"):
            return
        gate = self._gate
        self.pin = PinState("checking", self.pin.attempts_left)
        self.changed.emit()
        self._calls().submit(lambda: gate.try_pin(pin), self._pin_answer, self._pin_failed)

    def _pin_answer(self, result: Any) -> None:
        if not self.engaged:
            return
        if result.outcome == "accepted":
            self._start()
            return
        phases: dict[str, PinPhase] = {"wrong_pin": "wrong", "locked": "locked", "not_configured": "not_configured"}
        phase = phases[result.outcome]
        self.pin = PinState(phase, result.attempts_left, result.locked_until)
        self.changed.emit()

    def _pin_failed(self, error: BaseException) -> None:
        log.error("technician PIN check failed: %r", error)
        self.pin = PinState("misconfigured", 0)
        self.changed.emit()

    def _citizens_idle_watch(self) -> IdleWatch | None:
        if self.citizen_idle is None and isinstance(self.nav, QObject):
            # the application's watch is a direct child of the window (kiosk.app.runtime.build_runtime)
            watches = self.nav.findChildren(IdleWatch, options=Qt.FindChildOption.FindDirectChildrenOnly)
            self.citizen_idle = watches[0] if watches else None
        if self.citizen_idle is not None and not self._holding_off:
            self._holding_off = True
            # connected after the application's own slot, so this runs after it (re)armed the watch
            self.citizen_idle.activity.connect(self._hold_off_citizen_idle)
        return self.citizen_idle

    def _start(self) -> None:
        self.active = True
        self.pin = PinState()
        if isinstance(self.nav, QWidget):
            self.idle.watch(self.nav)
        self.idle.arm()
        citizen_idle = self._citizens_idle_watch()
        if citizen_idle is not None:
            citizen_idle.disarm()
        self._show("technician")
        self.refresh()

    def _hold_off_citizen_idle(self) -> None:
        # runs after the application's own slot has (re)armed the citizens' watch for this touch
        if self.active and self.citizen_idle is not None:
            self.citizen_idle.disarm()

    def _countdown(self, seconds: int | None) -> None:
        self.idle_remaining = seconds
        self.changed.emit()

    def _show(self, name: str) -> None:
        self._steering = True
        try:
            self.nav.go(name)
        finally:
            self._steering = False

    def _screen_shown(self, name: str) -> None:
        if self.engaged and not self._steering and name not in TECHNICIAN_SCREENS:
            self.leave("left", navigate=False)

    @property
    def paper(self) -> PaperRoll:
        if self._paper is None:
            from kiosk.technician.diagnostics import paper_roll_for

            self._paper = paper_roll_for(self.context.settings)
        return self._paper

    # -- diagnosis -------------------------------------------------------------------------------------
    def sources(self) -> Sources:
        from kiosk.technician.diagnostics import Sources, log_file_for

        services = self.context.services
        return Sources(self.context.settings, hub=self._hub(), gateway=services.gateway,
                       outbox=services.outbox, content=services.content, store=services.store,
                       paper=self.paper, log_file=current_log_file() or log_file_for(self.context.settings),
                       clock=self.clock)

    def refresh(self) -> None:
        """Run every check off the GUI thread; :attr:`findings` is replaced when they are done."""
        if not self.active or self.diagnosing:
            return
        self.diagnosing = True
        self.changed.emit()
        sources = self.sources()
        self.record("diagnostics_run")
        from kiosk.technician.diagnostics import run_all

        self._calls().submit(lambda: run_all(sources), self._diagnosed, self._diagnosis_failed)

    def _diagnosed(self, findings: list[Finding]) -> None:
        self.diagnosing = False
        if self.active:
            self.findings = findings
        self.changed.emit()

    def _diagnosis_failed(self, error: BaseException) -> None:
        from kiosk.technician.checks import Finding

        self.diagnosing = False
        self.findings = [Finding("diagnostics", False, f"diagnosis failed: {redact(repr(error))[:200]}",
                                 "internal", "devices")]
        self.changed.emit()

    # -- actions -------------------------------------------------------------------------------------------
    def paper_replaced(self) -> None:
        """A new roll is in: the paper counters start again (audited with what the old roll had used)."""
        from devices.model import Statistics

        hub = self._hub()
        printer = hub.device("printer") if hub is not None else None
        state_dir = self.context.settings.state_dir

        def reset() -> float:
            statistics = printer.statistics if printer is not None else Statistics.for_device(state_dir, "printer")
            used = float(statistics.get("cm_since_roll_change"))
            if printer is not None:
                printer.paper_replaced()
            else:
                statistics.reset("lines_since_roll_change", "cm_since_roll_change")
            return used

        def done(used: float) -> None:
            self.record("paper_replaced", {"old_roll_used_cm": round(used, 1)})
            self._say(N_("纸卷计数已重置（旧纸卷已用 {cm} 厘米）"), cm=f"{used:.0f}")
            self.refresh()

        self._calls().submit(reset, done, lambda error: self._say(N_("纸卷计数重置失败：{error}"), error=str(error)))

    def set_maintenance(self, on: bool) -> None:
        """Maintenance on: citizens see the out-of-service screen (any session ends); the technician stays here."""
        if on == self.context.maintenance_by_technician:
            return
        self.record("maintenance_on" if on else "maintenance_off")
        log.warning("maintenance mode %s by technician", "on" if on else "off")
        self._steering = True
        try:
            self.context.set_maintenance(on)
            if self.engaged:
                self.nav.go("technician")
        finally:
            self._steering = False
        self._say(N_("维护模式已开启：市民将看到暂停服务页面") if on else N_("维护模式已关闭"))

    def restart(self) -> None:
        """Restart the application (the screen asked for confirmation first)."""
        self.record("restart", {"how": "systemd" if self._under_systemd() else "re-exec"})
        self.flush_audit()
        log.warning("application restart requested by technician")
        if not self._under_systemd():
            atexit.register(self._reexec)  # after the event loop ended and every stop hook ran
        self._exit_app(RESTART_EXIT_CODE)

    def leave(self, reason: str = "leave", *, navigate: bool = True) -> None:
        """End technician mode (button, idle, or the technician navigated away)."""
        if not self.engaged:
            return
        was_active = self.active
        self.engaged = self.active = False
        self.cancel_self_test()
        self.tests.clear()
        self.findings = None
        self.notice, self.notice_values = "", {}
        self.pin = PinState()
        self._gate = None
        self.idle.disarm()
        if isinstance(self.nav, QWidget):
            self.idle.unwatch(self.nav)
        self._countdown(None)
        if was_active:
            self.record("exit", {"why": reason})
            log.info("technician mode ended (%s)", reason)
        if navigate:
            self.nav.finish()
        self.changed.emit()

    def _say(self, message: str, **values: Any) -> None:
        self.notice, self.notice_values = message, values
        self.changed.emit()

    def close(self) -> None:
        self._writer.shutdown(wait=True)

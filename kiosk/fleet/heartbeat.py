"""The heartbeat: how this kiosk is doing, told to the gateway every minute through the outbox.

:class:`HeartbeatSource` gathers one heartbeat (``contract.fleet.Heartbeat``): kiosk id and group,
application version, configuration bundle status, device states with their last errors and
counters, paper left, outbox backlog, recent warnings and errors from the log (redacted), uptime.
Each source is optional and read defensively: a heartbeat with a missing part is worth more than
no heartbeat.

:class:`HeartbeatSender` appends one as a ``telemetry`` outbox entry at start and then every
``interval_s`` seconds, on its own thread (gathering reads files and the outbox appends to SQLite).
When the outbox is nearly full, telemetry is the first thing it refuses; the sender then just skips
that beat. ``start_heartbeat(runtime)`` is the start-up hook.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from config.local import KioskSettings
from contract.fleet import Heartbeat
from kiosk.system.clock import Clock, SystemClock
from kiosk.system.installed_version import kiosk_version
from kiosk.system.privacy import redact
from kiosk.system.startup_clock import process_age_s

if TYPE_CHECKING:
    from kiosk.shell.running import RunningKiosk
    from kiosk.shell.services import KioskServices

log = logging.getLogger("fleet")

DEFAULT_INTERVAL_S = 60.0
KEPT_ERRORS = 5
DEVICE_NAMES = ("idcard", "printer", "scanner", "a4printer")
_STATISTICS_KEPT = 12


class RecentErrors(logging.Handler):
    """Keeps the last few warnings and errors of the whole application, redacted, for the heartbeat."""

    def __init__(self, kept: int = KEPT_ERRORS, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self._lines: collections.deque[str] = collections.deque(maxlen=kept)
        self._lock_lines = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = f"{record.levelname} {record.name}: {record.getMessage()}"
        except Exception:  # a broken format string must not break logging
            text = f"{record.levelname} {record.name}: {record.msg!r}"
        line = redact(text)[:200]
        with self._lock_lines:
            if not self._lines or self._lines[-1] != line:
                self._lines.append(line)

    def lines(self) -> list[str]:
        with self._lock_lines:
            return list(self._lines)


class HeartbeatSource:
    """Gathers one heartbeat. Every source is optional: ``services`` is the kiosk's service map."""

    def __init__(self, settings: KioskSettings, services: KioskServices, *, clock: Clock | None = None,
                 errors: RecentErrors | None = None, online: Callable[[], bool] = lambda: True,
                 maintenance: Callable[[], str] = lambda: "off",
                 uptime: Callable[[], float] = process_age_s) -> None:
        self.settings = settings
        self.services = services
        self.clock = clock or services.clock or SystemClock()
        self.errors = errors
        self.online = online
        self.maintenance = maintenance
        self.uptime = uptime

    def build(self) -> Heartbeat:
        """One heartbeat, valid against the contract."""
        devices, paper = self._devices()
        return Heartbeat(
            kiosk_id=self.settings.kiosk.id,
            group=self.settings.kiosk.group,
            sent_at=self.clock.now().isoformat(timespec="seconds"),
            app_version=kiosk_version(),
            config=self._config(),
            devices=devices,
            paper=paper,
            outbox=self._outbox(),
            last_errors=self.errors.lines() if self.errors else [],
            uptime_s=int(self.uptime()),
            online=bool(self.online()),
            maintenance=self.maintenance(),
        )

    def _config(self) -> dict[str, Any]:
        store = self.services.bundles
        if store is None:
            return {}
        try:
            status = store.status()
        except Exception as exc:  # unreadable state must not stop the heartbeat
            log.warning("bundle status unavailable for the heartbeat: %s", exc)
            return {}
        refusal = status.get("last_refusal")
        if refusal:
            refusal = {k: refusal.get(k) for k in ("reason", "message", "version", "at", "count")}
            refusal["message"] = redact(str(refusal.get("message") or ""))[:500]
        return {**status, "last_refusal": refusal}

    def _devices(self) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
        hub = self.services.devices
        configured = {name: getattr(self.settings.devices, name, None) for name in DEVICE_NAMES}
        reports: dict[str, dict[str, Any]] = {}
        paper: dict[str, Any] = {"state": "unknown"}
        for name, url in configured.items():
            if not url:
                continue
            device = hub.device(name) if hub is not None and hasattr(hub, "device") else None
            if device is None:
                reports[name] = {"state": "offline" if hub is not None else "absent"}
                continue
            error = getattr(device, "last_error", None)
            reports[name] = {
                "state": str(getattr(device, "state", "unknown")),
                "last_error": redact(str(getattr(error, "technician", error)))[:300] if error else None,
                "statistics": _statistics(device),
            }
            if name == "printer":
                paper = self._paper(device)
            elif name == "a4printer":
                reports[name]["conditions"] = _conditions(device)
        return reports, paper

    def _paper(self, printer: Any) -> dict[str, Any]:
        paper: dict[str, Any] = {"state": "unknown"}
        try:
            status, _age = printer.cached_status()
            if status is not None:
                paper["state"] = str(status.paper)
        except Exception:  # a printer without a status cache: state unknown
            pass
        try:
            used_cm = float(printer.statistics.get("cm_since_roll_change"))
        except Exception:
            return paper
        estimate = _paper_estimate(self.settings, self.services, used_cm)
        if estimate is not None:
            paper["left_percent"] = round(100 * estimate.left_cm / estimate.roll_cm, 1) if estimate.roll_cm else None
            paper["tickets_left"] = estimate.tickets_left
        return paper

    def _outbox(self) -> dict[str, int]:
        outbox = self.services.outbox
        if outbox is None:
            return {}
        try:
            counts = outbox.counts()
        except Exception as exc:
            log.warning("outbox counts unavailable for the heartbeat: %s", exc)
            return {}
        return {"pending": counts.get("pending", 0) + counts.get("sent", 0), "parked": counts.get("parked", 0),
                "unfinished": counts.get("unfinished", 0)}


def _conditions(printer: Any) -> str | None:
    """The A4 printer's last known state and reasons ("idle; toner-low-report"): warnings while it still prints."""
    try:
        status, _age = printer.cached_status()
        return str(status.summary())[:200] if status is not None else None
    except Exception:
        return None


def _statistics(device: Any) -> dict[str, float]:
    try:
        snapshot = device.statistics.snapshot()
    except Exception:
        return {}
    numbers = {k: float(v) for k, v in sorted(snapshot.items()) if k != "reset_at" and isinstance(v, int | float)}
    return dict(list(numbers.items())[:_STATISTICS_KEPT])


def _paper_estimate(settings: KioskSettings, services: KioskServices, used_cm: float) -> Any:
    """The paper roll's estimate (tickets left from recent ticket lengths), when that module is there."""
    roll = services.paper_roll
    if roll is None:
        try:
            from kiosk.hardware.paper_roll import PaperRoll
        except ImportError:
            return None
        width = 58 if settings.devices.printer_profile == "58mm" else 80
        roll = PaperRoll(settings.state_dir, width)
    try:
        return roll.estimate(used_cm)
    except Exception as exc:
        log.debug("no paper estimate: %s", exc)
        return None


class HeartbeatSender:
    """Appends a heartbeat to the outbox at start and every ``interval_s``; ``stop()`` joins the thread."""

    def __init__(self, source: HeartbeatSource, services: KioskServices, interval_s: float = DEFAULT_INTERVAL_S,
                 ) -> None:
        if interval_s <= 0:
            raise ValueError(f"heartbeat interval: expected seconds above 0, got {interval_s}")
        self.source = source
        self.services = services
        self.interval_s = interval_s
        self.sent = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> HeartbeatSender:
        self._thread.start()
        return self

    def beat_now(self) -> None:
        """Send one extra heartbeat soon (e.g. right after a bundle was applied)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def send_once(self) -> bool:
        """Gather and append one heartbeat; True when the outbox took it."""
        outbox = self.services.outbox
        if outbox is None:
            log.debug("no outbox yet; heartbeat skipped")
            return False
        try:
            payload = self.source.build().model_dump(mode="json")
            outbox.append("telemetry", payload)
        except Exception as exc:  # outbox full (telemetry is shed first), disk full, a source's bug
            log.warning("heartbeat not queued: %s: %s", type(exc).__name__, exc)
            return False
        self.sent += 1
        sync = self.services.sync
        if sync is not None:
            sync.wake()
        return True

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= next_at or self._wake.is_set():
                self._wake.clear()
                self.send_once()
                next_at = time.monotonic() + self.interval_s
            self._wake.wait(max(0.0, next_at - time.monotonic()))


def start_heartbeat(runtime: RunningKiosk, interval_s: float = DEFAULT_INTERVAL_S) -> None:
    """Start-up hook: heartbeats from now on, the first one at once."""
    context = runtime.context
    errors = RecentErrors()
    logging.getLogger().addHandler(errors)
    source = HeartbeatSource(context.settings, context.services, errors=errors, online=lambda: context.online,
                             maintenance=lambda: context.maintenance_reason)
    sender = HeartbeatSender(source, context.services, interval_s).start()
    context.services.heartbeat = sender
    context.maintenance_changed.connect(lambda _on: sender.beat_now())  # the console sees it at once

    def stop() -> None:
        sender.stop()
        logging.getLogger().removeHandler(errors)

    runtime.stop_hooks.append(stop)
    log.info("heartbeat every %.0f s", interval_s)

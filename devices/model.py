"""The device model every driver follows, after UnifiedPOS.

Lifecycle: ``open() → claim() → enable() → use → disable() → release() → close()``; the state is
one of CLOSED, IDLE, BUSY, ERROR. Drivers report what happens to the hardware as ``StatusEvent``
objects to listeners (card present/removed, paper ok/near end/out, cover open/closed,
online/offline). Health is checked at three levels and answered with a text for a technician.
Statistics survive restarts in a JSON file under the kiosk's state directory.

``close()`` is idempotent, devices are context managers, and the finaliser never does I/O: it only
warns when a device was left open.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.backoff import Backoff
from devices.errors import DeviceError, DeviceStateError

__all__ = ["Backoff", "Device", "end_thread", "DeviceState", "HealthLevel", "HealthReport", "Listener", "Statistics",
           "StatusEvent", "StatusKind"]

log = logging.getLogger("devices")


class DeviceState(enum.StrEnum):
    CLOSED = "closed"
    IDLE = "idle"
    BUSY = "busy"
    ERROR = "error"


class StatusKind(enum.StrEnum):
    """What a device reports about its hardware, in UnifiedPOS terms."""

    CARD_PRESENT = "card_present"
    CARD_REMOVED = "card_removed"
    PAPER_OK = "paper_ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    COVER_CLOSED = "cover_closed"
    ONLINE = "online"
    OFFLINE = "offline"
    STATE = "state"
    ERROR = "error"  # payload: the DeviceError (e.g. a card that could not be read)
    DATA = "data"  # payload: what the device delivered (e.g. a parsed scanned code)


@dataclass(frozen=True)
class StatusEvent:
    """One thing that happened to a device. ``payload`` carries e.g. the card read or the error."""

    device: str
    kind: StatusKind
    detail: str = ""
    payload: Any = None
    at: float = field(default_factory=time.time)


class HealthLevel(enum.StrEnum):
    INTERNAL = "internal"  # no I/O: what the driver knows
    EXTERNAL = "external"  # talks to the hardware
    INTERACTIVE = "interactive"  # asks a technician to confirm something physical


@dataclass(frozen=True)
class HealthReport:
    """Result of a health check: ``ok`` and a text for the technician."""

    device: str
    level: HealthLevel
    ok: bool
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"device": self.device, "level": str(self.level), "ok": self.ok, "text": self.text}


Listener = Callable[[StatusEvent], None]


class Statistics:
    """Counters that survive restarts, one JSON file per device, written atomically.

    Unknown names are simply new counters; ``reset()`` clears some (e.g. paper printed since the
    roll was changed) and records when.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._values: dict[str, float] = {}
        if path is not None and path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                self._values = {k: v for k, v in loaded.items() if isinstance(v, int | float)}
            except (OSError, ValueError) as exc:
                # a damaged statistics file must not stop a device; start counting again
                log.warning("statistics file %s unreadable (%s); starting from zero", path, exc)

    @classmethod
    def for_device(cls, state_dir: str | os.PathLike[str] | None, device: str) -> Statistics:
        if state_dir is None:
            return cls(None)
        directory = Path(state_dir) / "devices"
        directory.mkdir(parents=True, exist_ok=True)
        return cls(directory / f"{device}.stats.json")

    def add(self, name: str, amount: float = 1) -> None:
        with self._lock:
            self._values[name] = self._values.get(name, 0) + amount
            self._save()

    def get(self, name: str) -> float:
        with self._lock:
            return self._values.get(name, 0)

    def snapshot(self) -> dict[str, float]:
        with self._lock:
            return dict(self._values)

    def reset(self, *names: str) -> None:
        with self._lock:
            for name in names:
                self._values[name] = 0
            self._values["reset_at"] = time.time()
            self._save()

    def _save(self) -> None:
        if self._path is None:
            return
        try:
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".stats-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._values, fh, sort_keys=True)
            os.replace(tmp, self._path)
        except OSError as exc:
            log.warning("cannot save statistics %s: %s", self._path, exc)


def end_thread(stop: threading.Event, thread: threading.Thread | None, join_timeout: float) -> None:
    """Set ``stop`` and wait up to ``join_timeout`` for ``thread`` to end (not when it is the caller)."""
    stop.set()
    if thread is not None and thread is not threading.current_thread():
        thread.join(timeout=join_timeout)


class Device:
    """Base of every driver: lifecycle, state, listeners, statistics, health.

    Subclasses implement ``_open()`` / ``_close()`` (transport) and may override ``_enable()`` /
    ``_disable()`` (background work) and ``_health_external()``.
    """

    kind = "device"

    def __init__(self, name: str, *, state_dir: str | os.PathLike[str] | None = None) -> None:
        self.name = name
        self.statistics = Statistics.for_device(state_dir, name)
        self._state = DeviceState.CLOSED
        self._claimed = False
        self._enabled = False
        self._listeners: list[Listener] = []
        self._lifecycle_lock = threading.RLock()
        self._opened_at: float | None = None
        self.last_error: DeviceError | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- listeners -------------------------------------------------------------------------
    def _start_worker(self, target: Callable[[], None], role: str) -> None:
        """Run ``target`` on the device's background thread until ``self._stop`` is set."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=target, name=f"{self.name}-{role}", daemon=True)
        self._thread.start()

    def _stop_worker(self, join_timeout: float) -> None:
        """Ask the background thread to stop and wait for it (not when called from that thread)."""
        thread, self._thread = self._thread, None
        end_thread(self._stop, thread, join_timeout)

    def add_listener(self, listener: Listener) -> None:
        """``listener`` is called (on the driver's thread) for every status event."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def _emit(self, kind: StatusKind, detail: str = "", payload: Any = None) -> None:
        event = StatusEvent(self.name, kind, detail, payload)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not stop the device thread
                log.exception("listener of %s failed on %s", self.name, kind)

    # --- state -----------------------------------------------------------------------------
    @property
    def state(self) -> DeviceState:
        return self._state

    @property
    def claimed(self) -> bool:
        return self._claimed

    @property
    def enabled(self) -> bool:
        return self._enabled

    def _set_state(self, state: DeviceState, detail: str = "") -> None:
        if state != self._state:
            self._state = state
            self._emit(StatusKind.STATE, detail or str(state), state)

    def _fail(self, error: DeviceError) -> None:
        """Record a failure: ERROR state, statistics, technician log line."""
        self.last_error = error
        self.statistics.add("errors")
        logging.getLogger(f"devices.{self.kind}").warning(
            "%s: %s (%s)", self.name, error.technician, error.phase
        )
        self._set_state(DeviceState.ERROR, error.technician)

    # --- lifecycle -------------------------------------------------------------------------
    def open(self) -> None:
        """Open the transport. Raises a ``DeviceError`` of phase driver/initialisation."""
        with self._lifecycle_lock:
            if self._state != DeviceState.CLOSED:
                return
            self._open()
            self._opened_at = time.monotonic()
            self._set_state(DeviceState.IDLE)

    def claim(self) -> None:
        """Take the device for this process (ports are already opened exclusively)."""
        with self._lifecycle_lock:
            self._require_open()
            self._claimed = True

    def enable(self) -> None:
        """Start delivering events (background polling, line reading)."""
        with self._lifecycle_lock:
            self._require_open()
            if not self._claimed:
                raise DeviceStateError("enable() before claim()", device=self.name)
            if not self._enabled:
                self._enabled = True
                self._enable()

    def disable(self) -> None:
        with self._lifecycle_lock:
            if self._enabled:
                self._enabled = False
                self._disable()

    def release(self) -> None:
        with self._lifecycle_lock:
            self.disable()
            self._claimed = False

    def close(self) -> None:
        """Disable, release and close; safe to call any number of times."""
        with self._lifecycle_lock:
            self.release()
            if self._state != DeviceState.CLOSED:
                try:
                    self._close()
                finally:
                    if self._opened_at is not None:
                        self.statistics.add("hours_powered", (time.monotonic() - self._opened_at) / 3600)
                        self._opened_at = None
                    self._set_state(DeviceState.CLOSED)

    def start(self) -> None:
        """open + claim + enable, the usual way to bring a device up."""
        self.open()
        self.claim()
        self.enable()

    def __enter__(self) -> Device:
        self.open()
        self.claim()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # never I/O in a finaliser: just say it was forgotten
        if getattr(self, "_state", DeviceState.CLOSED) != DeviceState.CLOSED:
            warnings.warn(f"device {self.name} was not closed", ResourceWarning, stacklevel=1)

    def _require_open(self) -> None:
        if self._state == DeviceState.CLOSED:
            raise DeviceStateError("device is closed", device=self.name)

    # --- health ----------------------------------------------------------------------------
    def check_health(self, level: HealthLevel = HealthLevel.INTERNAL) -> HealthReport:
        """A health report for a technician; never raises for a device problem."""
        if level == HealthLevel.INTERNAL:
            stats = ", ".join(
                f"{k}={v:g}" for k, v in sorted(self.statistics.snapshot().items()) if k != "reset_at"
            )
            error = f"; last error: {self.last_error.technician}" if self.last_error else ""
            ok = self._state in (DeviceState.IDLE, DeviceState.BUSY)
            return HealthReport(
                self.name, level, ok, f"state {self._state}{error}; {stats or 'no statistics yet'}"
            )
        try:
            ok, text = (
                self._health_external() if level == HealthLevel.EXTERNAL else self._health_interactive()
            )
        except DeviceError as exc:
            return HealthReport(self.name, level, False, f"{exc.phase} error: {exc.technician}")
        return HealthReport(self.name, level, ok, text)

    # --- for subclasses ----------------------------------------------------------------------
    def _open(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _enable(self) -> None:
        pass

    def _disable(self) -> None:
        pass

    def _health_external(self) -> tuple[bool, str]:
        return self._state != DeviceState.ERROR, f"state {self._state}"

    def _health_interactive(self) -> tuple[bool, str]:
        return True, "no interactive check for this device"

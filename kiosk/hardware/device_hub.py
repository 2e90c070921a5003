"""The device hub: the one bridge between the device layer (plain Python, worker threads) and Qt.

``DeviceHub`` opens the configured devices on worker threads after the first frame (``start()``),
keeps reopening one that is missing with back-off, and turns device events into Qt signals that
are always emitted on the GUI thread (a queued hop). Journeys ask it non-blocking questions:
``can_print()`` answers from the printer's fresh cached status, ``print_receipt()`` runs the job on
the printer's own worker thread and reports back through ``print_finished`` and a callback. The A4
printer (certificates, when one is configured) is the same kind of device with a worker of its own
(kiosk/hardware/a4_jobs.py): a certificate job blocks for as long as the pages take.

A card that must be refused (expired, check digit wrong) never reaches ``card_placed``: it is
released and reported through ``card_error`` with the citizen's message.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from devices.errors import DeviceError
from devices.model import Backoff, Device, HealthLevel, HealthReport, StatusEvent, StatusKind
from kiosk.hardware.a4_jobs import A4Jobs
from kiosk.hardware.device_kinds import card_reader, receipt_printer
from kiosk.hardware.print_outcome import PrintOutcome, run_print_job

log = logging.getLogger("devices")

DEVICE_NAMES = ("idcard", "printer", "scanner", "a4printer", "speaker")
_PAPER_KINDS = (StatusKind.PAPER_OK, StatusKind.PAPER_NEAR_END, StatusKind.PAPER_OUT,
                StatusKind.COVER_OPEN, StatusKind.COVER_CLOSED)


class DeviceHub(A4Jobs, QObject):
    """Devices for the kiosk; every signal is emitted on the thread that created the hub."""

    card_placed = Signal(object)  # devices.idcard.card.IdCard (personal: keep it in the session only)
    card_removed = Signal()
    card_error = Signal(object)  # DeviceError: CardRefused, CardReadError, CardDecodeError …
    code_scanned = Signal(object)  # AppointmentCode | PaymentNotice | CenterLink
    code_rejected = Signal(object)  # ScanRejected (citizen message inside)
    device_state_changed = Signal(str, str)  # device name, idle / busy / error / offline / closed
    printer_status_changed = Signal(
        str, object
    )  # paper_ok / paper_near_end / paper_out / cover_open / cover_closed, PrinterStatus
    print_finished = Signal(object)  # PrintOutcome
    a4printer_status_changed = Signal(str, object)  # as printer_status_changed, for the A4 printer (A4Status)
    keys_typed = Signal(str)  # keyboard-wedge scanner: held key presses that turned out to be typing

    _event = Signal(object)  # (device name, StatusEvent) from worker threads
    _call = Signal(object)  # a callable to run on the GUI thread

    def __init__(
        self,
        idcard_url: str | None,
        printer_url: str | None,
        scanner_url: str | None,
        printer_profile: Any = "80mm",
        center_domain: str = "zwfw.xm.gov.cn",
        state_dir: Any = None,
        parent: QObject | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        device_settings: dict[str, Any] | None = None,
        open_backoff: Backoff | None = None,
        a4printer_url: str | None = None,
        speaker_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._urls = {"idcard": idcard_url, "printer": printer_url, "scanner": scanner_url,
                      "a4printer": a4printer_url or None, "speaker": speaker_url}
        self._settings = {
            "state_dir": str(state_dir) if state_dir is not None else None,
            "profile": printer_profile,
            "center_domain": center_domain,
            **(device_settings or {}),
        }
        self._today = today
        self._open_backoff = open_backoff or Backoff(1.0, 30.0)
        self._devices: dict[str, Device] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._openers: list[threading.Thread] = []
        self._print_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="printer-job")
        self._a4_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="a4printer-job")
        self._armed = False
        self._closed = False
        self.card_on_reader = False  # a card lies on the reader (read or not) until its lifting is reported
        self._wedge_timer = QTimer(self)
        self._wedge_timer.setObjectName("keyboardWedgeFlush")
        self._wedge_timer.setInterval(40)
        self._wedge_timer.timeout.connect(self._flush_keys)
        self._event.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    # --- start and stop --------------------------------------------------------------------------

    def _forward(self, name: str, event: StatusEvent) -> None:
        """A device's status event, from its thread to the GUI thread."""
        self._event.emit((name, event))
    def start(self) -> None:
        """Open every configured device on its own worker thread; returns at once."""
        for name, url in self._urls.items():
            if not url:
                continue
            thread = threading.Thread(
                target=self._open_device, args=(name, url), name=f"open-{name}", daemon=True
            )
            self._openers.append(thread)
            thread.start()

    def _open_device(self, name: str, url: str) -> None:
        from devices.registry import create_device

        backoff = Backoff(self._open_backoff.first, self._open_backoff.limit)
        reported = False
        while not self._stop.is_set():
            try:
                device = create_device(name, url, **self._settings)
                device.add_listener(partial(self._forward, name))
                device.start()
            except DeviceError as exc:
                if not reported:
                    log.warning("%s could not be opened (%s): %s; retrying", name, exc.phase, exc.technician)
                    self._event.emit((name, StatusEvent(name, StatusKind.OFFLINE, exc.technician, exc)))
                    reported = True
                self._stop.wait(backoff.next_delay())
                continue
            except Exception:
                log.exception("%s: unexpected failure while opening", name)
                self._stop.wait(backoff.next_delay())
                continue
            with self._lock:
                if self._stop.is_set():
                    device.close()
                    return
                self._devices[name] = device
            log.info("%s opened (%s)", name, url.split("?", 1)[0])
            reader = card_reader(device) if name == "idcard" else None
            if reader is not None and self._armed:
                reader.arm()
            self._event.emit((name, StatusEvent(name, StatusKind.ONLINE)))
            return

    def close(self) -> None:
        """Close every device; safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        self._wedge_timer.stop()
        self._stop.set()
        self._print_pool.shutdown(wait=False, cancel_futures=True)
        self._a4_pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            devices, self._devices = list(self._devices.values()), {}
        for device in devices:
            try:
                device.close()
            except Exception:
                log.exception("closing %s failed", device.name)

    # --- questions and commands from journeys (GUI thread, never blocking) -------------------------
    def device(self, name: str) -> Device | None:
        with self._lock:
            return self._devices.get(name)

    def can_print(self) -> bool:
        """True when a fresh cached printer status says a job may start (no I/O here)."""
        printer = receipt_printer(self.device("printer"))
        return bool(printer is not None and printer.can_print())

    def print_receipt(self, receipt: Any, callback: Callable[[PrintOutcome], None] | None = None) -> None:
        """Print on the printer's worker thread; ``callback`` and ``print_finished`` get the outcome on the GUI thread."""

        def job() -> PrintOutcome:
            printer = receipt_printer(self.device("printer"))
            if printer is None:
                from devices.printer.driver import PrinterNotReady

                return PrintOutcome.failed(PrinterNotReady("offline"))
            return run_print_job(lambda: printer.print_receipt(receipt), "printer")

        def finished(outcome: PrintOutcome) -> None:
            self.print_finished.emit(outcome)
            if callback is not None:
                callback(outcome)

        self._on_worker(self._print_pool, job, finished)

    def prepare_printing(self) -> bool:
        """Get the receipt printer's output library ready on its job thread, ahead of the first receipt.

        False while there is no open printer to prepare (ask again later).
        """
        prepare = getattr(self.device("printer"), "prepare_output", None)
        if prepare is None or self._closed:
            return False
        try:
            self._print_pool.submit(prepare)
        except RuntimeError:  # closed meanwhile
            return False
        return True

    def _on_worker(self, pool: ThreadPoolExecutor, job: Callable[[], Any], finished: Callable[[Any], None]) -> None:
        """Run ``job`` on ``pool`` and hand its outcome to ``finished`` on the GUI thread (nothing once closed)."""
        if self._closed:
            return
        try:
            future = pool.submit(job)
        except RuntimeError:  # closed meanwhile
            return
        future.add_done_callback(
            lambda f: None if f.cancelled() else self._call.emit(lambda: finished(f.result()))
        )

    def arm_card_reader(self) -> None:
        """Read the next card placed on the reader."""
        self._armed = True
        reader = card_reader(self.device("idcard"))
        if reader is not None:
            reader.arm()

    def disarm_card_reader(self) -> None:
        self._armed = False
        reader = card_reader(self.device("idcard"))
        if reader is not None:
            reader.disarm()

    def feed_key(self, char: str, at: float | None = None) -> str:
        """For a keyboard-wedge scanner: one key press (``at``: monotonic seconds); returns what is typing.

        Key presses that might begin a scan are held back; if they turn out to be typing they are
        returned by a later call or emitted as ``keys_typed`` once the pause shows it.
        """
        at = time.monotonic() if at is None else at
        scanner = self.device("scanner")
        if scanner is None or not hasattr(scanner, "feed_key"):
            return char
        return scanner.feed_key(char, at)

    def _flush_keys(self) -> None:
        scanner = self.device("scanner")
        if scanner is not None and hasattr(scanner, "flush"):
            typed = scanner.flush(time.monotonic())
            if typed:
                self.keys_typed.emit(typed)

    def refresh_printer(self) -> None:
        """Ask the printer for its status now, on the printer's worker thread."""
        printer = receipt_printer(self.device("printer"))
        if printer is not None and not self._closed:
            try:
                self._print_pool.submit(printer.refresh)
            except RuntimeError:
                pass

    def health(self, level: HealthLevel = HealthLevel.INTERNAL) -> list[HealthReport]:
        """Reports for every configured device (EXTERNAL does I/O: call it off the GUI thread)."""
        reports = []
        for name, url in self._urls.items():
            if not url:
                continue
            device = self.device(name)
            if device is None:
                reports.append(HealthReport(name, level, False, "not open (missing or failed to open)"))
            else:
                reports.append(device.check_health(level))
        return reports

    # --- events, on the GUI thread ---------------------------------------------------------------
    def _run(self, fn: Callable[[], object]) -> None:
        if not self._closed:
            fn()

    def _dispatch(self, item: tuple[str, StatusEvent]) -> None:
        if self._closed:
            return
        name, event = item
        kind = event.kind
        if kind == StatusKind.STATE:
            self.device_state_changed.emit(name, str(event.payload))
        elif kind == StatusKind.OFFLINE:
            if name == "idcard":
                self.card_on_reader = False  # nothing is known of a reader that is gone
            self.device_state_changed.emit(name, "offline")
        elif kind == StatusKind.ONLINE:
            if name == "scanner" and hasattr(self.device("scanner"), "flush"):
                self._wedge_timer.start()  # held key presses are released as typing after a pause
            self.device_state_changed.emit(name, "idle")
        elif kind == StatusKind.CARD_PRESENT:
            self.card_on_reader = True
            self._card(event.payload)
        elif kind == StatusKind.CARD_REMOVED:
            self.card_on_reader = False
            self.card_removed.emit()
        elif kind == StatusKind.DATA:
            self.code_scanned.emit(event.payload)
        elif kind == StatusKind.ERROR:
            if name == "idcard":
                self.card_on_reader = True  # a card that could not be read still waits for a lift
            (self.card_error if name == "idcard" else self.code_rejected).emit(event.payload)
        elif kind in _PAPER_KINDS:
            signal = self.a4printer_status_changed if name == "a4printer" else self.printer_status_changed
            signal.emit(str(kind), event.payload)

    def _card(self, card: Any) -> None:
        refusal = card.refusal(self._today())
        if refusal is not None:
            log.info("card refused: %s", refusal.reason)
            card.release()
            self.card_error.emit(refusal)
            return
        self.card_placed.emit(card)

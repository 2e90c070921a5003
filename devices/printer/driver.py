"""The receipt printer driver: status before and after every job, and the job in between.

A job never starts when the fresh real-time status (``DLE EOT 1..4``) shows paper out, cover open,
an error or the printer offline: it is refused with ``PrinterNotReady``. After the bytes are sent,
``GS r 1`` — answered only once everything before it is printed — marks the end of the job, then
the real-time status is read again: a job that met paper out, an open cover or a lost connection
on the way is ``PrintInterrupted`` and counts as not printed.

While enabled, a monitor thread refreshes the status every ``status_interval`` seconds so
``can_print()`` answers from a fresh cache without I/O, and paper near end / out / ok, cover and
online changes become status events.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devices.errors import DeviceError, DeviceOffline, DeviceOperationError, DeviceTimeout
from devices.model import Backoff, DeviceState, StatusKind
from devices.printer import escpos_library
from devices.printer import status as printer_status
from devices.printer.escpos_output import PrintJob, build_job
from devices.printer.layout import Receipt
from devices.printer.profile import PrinterProfile
from devices.printer.status import Paper, PrinterStatus
from devices.supervision import SupervisedDevice

if TYPE_CHECKING:
    from devices.printer.transport import FileTransport, SerialTransport, TcpTransport, UsbTransport

    Transport = SerialTransport | TcpTransport | FileTransport | UsbTransport

log = logging.getLogger("devices.printer")

_PAPER_EVENTS = {
    Paper.OK: StatusKind.PAPER_OK,
    Paper.NEAR_END: StatusKind.PAPER_NEAR_END,
    Paper.OUT: StatusKind.PAPER_OUT,
}
_CITIZEN_NOT_READY = {
    "paper out": ("打印机缺纸，暂时无法打印。您可以选择短信或邮寄结果，或到人工窗口办理。",
                  "The printer is out of paper. You can have the result sent by SMS or mail, or go to a staff desk."),
    "cover open": ("打印机暂时无法使用，请联系工作人员。", "The printer is not available. Please ask the staff."),
}  # fmt: skip


class PrinterNotReady(DeviceOperationError):
    """The job was not started: ``reason`` says why (paper out, cover open, offline, error)."""

    default_zh = "打印机暂时无法使用。您可以选择短信或邮寄结果，或到人工窗口办理。"
    default_en = (
        "The printer is not available. You can have the result sent by SMS or mail, or go to a staff desk."
    )

    def __init__(self, reason: str) -> None:
        zh, en = _CITIZEN_NOT_READY.get(reason, (None, None))
        super().__init__(f"job refused: {reason}", device="printer", citizen_zh=zh, citizen_en=en)
        self.reason = reason


class PrintInterrupted(DeviceOperationError):
    """The job was sent but not completed; it counts as not printed."""

    default_zh = "凭条未能完整打印，请联系工作人员。您的业务已办理，可在人工窗口补打凭条。"
    default_en = "The receipt could not be printed completely. Please ask the staff for a copy."

    def __init__(self, reason: str) -> None:
        super().__init__(f"job interrupted: {reason}; not printed", device="printer")
        self.reason = reason


@dataclass(frozen=True)
class PrintResult:
    """A printed job: what it was and the status after it."""

    kind: str
    lines: int
    length_mm: float
    qr_codes: int
    substituted: int
    status_after: PrinterStatus | None


class ReceiptPrinter(SupervisedDevice):
    """An ESC/POS receipt printer behind one transport, described by a profile."""

    kind = "printer"
    offline_errors = (DeviceTimeout, DeviceOffline)

    def __init__(
        self,
        transport: Transport,
        *,
        profile: PrinterProfile,
        name: str = "printer",
        state_dir: str | None = None,
        status_timeout: float = 0.5,
        job_timeout: float = 15.0,
        status_interval: float = 2.0,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(name, state_dir=state_dir, backoff=backoff)
        escpos_library.keep_cache_in(state_dir)
        self.transport = transport
        self.profile = profile
        self.status_timeout = status_timeout
        self.job_timeout = job_timeout
        self.status_interval = status_interval
        self._io_lock = threading.Lock()
        self._status: PrinterStatus | None = None
        self._status_at = 0.0

    # --- transport -----------------------------------------------------------------------------
    def _open(self) -> None:
        self.transport.open()
        self._online = True
        escpos_library.write_cache()  # in a child process, once per kiosk: the first load then reads it

    def prepare_output(self) -> None:
        """Load python-escpos, the receipt's byte builder, now on the calling thread (the device hub's job
        thread, once a citizen is at the kiosk), so the first receipt does not wait for it. Not at
        opening: a kiosk nobody has used yet keeps its ~11 MB."""
        escpos_library.load()

    def _close(self) -> None:
        self.transport.close()

    # --- status --------------------------------------------------------------------------------
    def _ask(self, request: bytes, timeout: float | None = None) -> int:
        try:
            return self.transport.ask(request, timeout or self.status_timeout)
        except (DeviceTimeout, DeviceOffline):
            self.statistics.add("communication_failures")
            raise

    def status(self) -> PrinterStatus | None:
        """Fresh real-time status (four ``DLE EOT`` queries); None when the transport cannot answer."""
        self._require_open()
        if not self.transport.answers:
            return None
        with self._io_lock:
            if not self.transport.is_open:
                self.transport.open()
            answers = [self._ask(printer_status.query(n)) for n in printer_status.QUERIES]
        try:
            status = printer_status.decode(*answers)
        except ValueError as exc:
            self.statistics.add("communication_failures")
            raise DeviceOperationError(f"garbled status answer: {exc}", device=self.name) from exc
        self._remember(status)
        return status

    def _remember(self, status: PrinterStatus) -> None:
        previous, self._status, self._status_at = self._status, status, time.monotonic()
        self._went_online()
        # the first status after start or reconnect only reports what is not normal
        paper_changed = previous.paper != status.paper if previous else status.paper != Paper.OK
        cover_changed = previous.cover_open != status.cover_open if previous else status.cover_open
        if paper_changed:
            log.info("%s: paper %s", self.name, status.paper)
            self._emit(_PAPER_EVENTS[status.paper], str(status.paper), status)
        if cover_changed:
            self._emit(StatusKind.COVER_OPEN if status.cover_open else StatusKind.COVER_CLOSED, "", status)
        if status.ready and self._state == DeviceState.ERROR:
            self._set_state(DeviceState.IDLE)

    def cached_status(self) -> tuple[PrinterStatus | None, float]:
        """The last status read and its age in seconds (``inf`` when never read)."""
        if self._status is None:
            return None, float("inf")
        return self._status, time.monotonic() - self._status_at

    def can_print(self, max_age: float | None = None) -> bool:
        """From the cache, no I/O: online, and a recent status (or a transport that cannot tell) says ready."""
        if self._state in (DeviceState.CLOSED,) or not self._online:
            return False
        if not self.transport.answers:
            return True
        status, age = self.cached_status()
        limit = max_age if max_age is not None else max(3 * self.status_interval, 1.0)
        return status is not None and age <= limit and status.ready

    # --- jobs ----------------------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt) -> PrintResult:
        """Print ``receipt`` or raise ``PrinterNotReady`` / ``PrintInterrupted`` / another ``DeviceError``."""
        return self.print_job(build_job(receipt, self.profile))

    def print_job(self, job: PrintJob) -> PrintResult:
        self._require_open()
        before = self._checked_status()
        if before is not None and not before.ready:
            self.statistics.add("refused_jobs")
            raise PrinterNotReady(before.problem() or "not ready")
        self._set_state(DeviceState.BUSY)
        try:
            with self._io_lock:
                try:
                    self.transport.write(job.data)
                except DeviceOffline as exc:
                    raise PrintInterrupted(f"connection lost while sending ({exc.technician})") from exc
            after = self._after_job(job)
        except PrintInterrupted as exc:
            self.statistics.add("interrupted_jobs")
            self._fail(exc)
            raise
        finally:
            if self._state == DeviceState.BUSY:
                self._set_state(DeviceState.IDLE)
        self._count(job)
        log.info("%s: printed %s (%d lines, %.0f mm)", self.name, job.kind, job.lines, job.length_mm)
        return PrintResult(
            job.kind, job.lines, job.length_mm, len(job.qr_payloads), len(job.substituted), after
        )

    def _checked_status(self) -> PrinterStatus | None:
        try:
            return self.status()
        except (DeviceTimeout, DeviceOffline) as exc:
            self._went_offline(exc)
            raise PrinterNotReady("offline") from exc

    def _after_job(self, job: PrintJob) -> PrinterStatus | None:
        if not self.transport.answers:
            return None
        paper: int | None = None
        if self.profile.end_of_job_query:
            try:
                with self._io_lock:
                    # GS r 1 is answered in order: once it answers, everything before it went to paper
                    paper = self._ask(printer_status.GS_R_PAPER, self.job_timeout)
            except DeviceOffline as exc:
                raise PrintInterrupted(f"connection lost ({exc.technician})") from exc
            except DeviceTimeout:
                log.warning(
                    "%s: no answer to GS r 1 after %s; relying on real-time status", self.name, job.kind
                )
        try:
            after = self.status()
        except (DeviceTimeout, DeviceOffline) as exc:
            raise PrintInterrupted(f"printer stopped answering ({exc.technician})") from exc
        if after is not None and not after.ready:
            raise PrintInterrupted(after.problem() or "not ready")
        if paper is not None and paper & 0x0C:
            raise PrintInterrupted("paper end reported at the end of the job")
        return after

    def _count(self, job: PrintJob) -> None:
        self.statistics.add("jobs")
        self.statistics.add("lines", job.lines)
        self.statistics.add("lines_since_roll_change", job.lines)
        self.statistics.add("cm_since_roll_change", round(job.length_mm / 10, 2))
        self.statistics.add("cuts", job.cuts)
        if job.substituted:
            self.statistics.add("substituted_characters", len(job.substituted))

    def paper_replaced(self) -> None:
        """The technician put in a new roll: paper counters start again."""
        self.statistics.reset("lines_since_roll_change", "cm_since_roll_change")

    # --- online / offline and the status monitor ------------------------------------------------
    def _drop_connection(self) -> None:
        with self._io_lock:
            self.transport.close()

    def _lost(self, exc: DeviceError) -> None:
        self._status = None

    def _enable(self) -> None:
        self._start_supervision("status")

    def _disable(self) -> None:
        self._stop_supervision(self.status_timeout * 5 + 1)

    def _round(self) -> float:
        if self._state != DeviceState.BUSY:
            self.status()
        return self.status_interval

    def _failure_delay(self) -> float:
        return self.status_interval

    def refresh(self) -> None:
        """Ask for the status now (e.g. right after the cover was closed); errors become events."""
        try:
            self.status()
        except (DeviceTimeout, DeviceOffline) as exc:
            self._went_offline(exc)
        except DeviceError as exc:
            self._fail(exc)

    # --- health ----------------------------------------------------------------------------------
    def _health_external(self) -> tuple[bool, str]:
        status = self.status()
        if status is None:
            return True, f"{self.transport.description}: cannot report status (assumed ready)"
        return status.ready, f"{self.transport.description}: {status.summary()}"

    def _health_interactive(self) -> tuple[bool, str]:
        return (
            True,
            "run `kiosk print-test` and check the page: Chinese text, punctuation, QR code, clean cut",
        )

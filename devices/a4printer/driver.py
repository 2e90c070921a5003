"""The A4 printer driver: a document counts only when the printer says its job completed.

``print_document(pdf, pages=…)`` checks a fresh ``Get-Printer-Attributes`` first and refuses to
start (``A4PrinterNotReady``) when the printer is out of paper, open, jammed, offline or stopped;
otherwise it sends one ``Print-Job`` and follows it with ``Get-Job-Attributes`` (and the printer's
own state) until the job is completed, aborted or canceled. A job the printer stops on (paper out
or a jam mid-job, the door opened) is canceled and is ``A4PrintInterrupted``, with the pages that
came out; so is a job that does not finish within ``job_timeout``. Progress ("打印中 第 1/2 页")
goes to ``on_progress(done, total)`` as the printer reports impressions.

While enabled, a monitor thread refreshes the status every ``status_interval`` seconds so
``can_print()`` answers from a fresh cache, and condition changes become status events like the
receipt printer's (paper ok / near end / out, cover open / closed, online / offline).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from devices.a4printer import ipp
from devices.a4printer.client import IppClient
from devices.a4printer.conditions import A4Status, from_attributes
from devices.errors import DeviceError, DeviceOffline, DeviceOperationError, DeviceTimeout
from devices.model import Backoff, Device, DeviceState, StatusKind

log = logging.getLogger("devices.a4printer")

_PAPER_EVENTS = {"ok": StatusKind.PAPER_OK, "low": StatusKind.PAPER_NEAR_END, "out": StatusKind.PAPER_OUT}
_NOT_READY_ZH = "证明打印机暂时无法打印。您可以选择短信或邮寄结果，或到人工窗口办理。"
_NOT_READY_EN = "The document printer cannot print right now. You can have the result sent by SMS or mail, " \
                "or go to a staff desk."


class A4PrinterNotReady(DeviceOperationError):
    """The job was not started: ``reason`` says why (paper out, door open, paper jam, offline…)."""

    default_zh, default_en = _NOT_READY_ZH, _NOT_READY_EN

    def __init__(self, reason: str) -> None:
        super().__init__(f"job refused: {reason}", device="a4printer")
        self.reason = reason


class A4PrintInterrupted(DeviceOperationError):
    """The job was sent but did not complete; it counts as not printed."""

    default_zh = "证明未能完整打印，请联系工作人员。您也可以选择短信或邮寄结果。"
    default_en = "The document could not be printed completely. Please ask the staff, or have it sent by SMS or mail."

    def __init__(self, reason: str, pages_done: int = 0) -> None:
        super().__init__(f"job interrupted: {reason} after {pages_done} page(s); not printed", device="a4printer")
        self.reason = reason
        self.pages_done = pages_done


@dataclass(frozen=True)
class A4PrintResult:
    job_id: int
    pages: int
    seconds: float
    status_after: A4Status | None


Progress = Callable[[int, int], None]


class A4Printer(Device):
    """An IPP printer with A4 paper (an IPP Everywhere printer, or a CUPS queue)."""

    kind = "a4printer"

    def __init__(self, client: IppClient, *, name: str = "a4printer", state_dir: str | None = None,
                 status_interval: float = 2.0, job_timeout: float = 300.0, poll_interval: float = 0.5,
                 backoff: Backoff | None = None) -> None:
        super().__init__(name, state_dir=state_dir)
        self.client = client
        self.status_interval = status_interval
        self.job_timeout = job_timeout
        self.poll_interval = poll_interval
        self._backoff = backoff or Backoff()
        self._status: A4Status | None = None
        self._status_at = 0.0
        self._online = True

    def _open(self) -> None:
        self._online = True  # IPP is one HTTP request per question: nothing to hold open

    def _close(self) -> None:
        pass

    # --- status --------------------------------------------------------------------------------
    def status(self) -> A4Status:
        """Fresh status from Get-Printer-Attributes (DeviceOffline / DeviceTimeout when it cannot be reached)."""
        self._require_open()
        try:
            status = from_attributes(self.client.printer_attributes())
        except (DeviceTimeout, DeviceOffline):
            self.statistics.add("communication_failures")
            raise
        self._remember(status)
        return status

    def _remember(self, status: A4Status) -> None:
        previous, self._status, self._status_at = self._status, status, time.monotonic()
        self._went_online()
        if (previous.paper if previous else "ok") != status.paper:
            log.info("%s: paper %s", self.name, status.paper)
            self._emit(_PAPER_EVENTS[status.paper], status.paper, status)
        was_open = previous is not None and "door open" in previous.conditions
        if was_open != ("door open" in status.conditions):
            self._emit(StatusKind.COVER_CLOSED if was_open else StatusKind.COVER_OPEN, "", status)
        if status.ready and self._state == DeviceState.ERROR:
            self._set_state(DeviceState.IDLE)
        elif not status.ready and self._state == DeviceState.IDLE:
            self._fail(A4PrinterNotReady(status.problem() or "not ready"))

    def cached_status(self) -> tuple[A4Status | None, float]:
        if self._status is None:
            return None, float("inf")
        return self._status, time.monotonic() - self._status_at

    def can_print(self, max_age: float | None = None) -> bool:
        """From the cache, no I/O: online and a recent status says ready."""
        if self._state == DeviceState.CLOSED or not self._online:
            return False
        status, age = self.cached_status()
        limit = max_age if max_age is not None else max(3 * self.status_interval, 1.0)
        return status is not None and age <= limit and status.ready

    # --- jobs ----------------------------------------------------------------------------------
    def print_document(self, document: bytes, *, pages: int, name: str = "certificate",
                       on_progress: Progress | None = None) -> A4PrintResult:
        """Print the PDF ``document`` of ``pages`` pages; returns once the printer says completed."""
        self._require_open()
        try:
            before = self.status()
        except (DeviceTimeout, DeviceOffline) as exc:
            self._went_offline(exc)
            self.statistics.add("refused_jobs")
            raise A4PrinterNotReady("offline") from exc
        if not before.ready:
            self.statistics.add("refused_jobs")
            raise A4PrinterNotReady(before.problem() or "not ready")
        started = time.monotonic()
        self._set_state(DeviceState.BUSY)
        try:
            try:
                job_id = self.client.print_job(document, name=name, pages=pages)
            except (DeviceTimeout, DeviceOffline) as exc:
                raise A4PrintInterrupted(f"connection lost while sending ({exc.technician})") from exc
            log.info("%s: job %d sent (%s, %d pages, %d bytes)", self.name, job_id, name, pages, len(document))
            after = self._follow(job_id, pages, started, on_progress)
        except A4PrintInterrupted as exc:
            self.statistics.add("interrupted_jobs")
            self._fail(exc)
            raise
        finally:
            if self._state == DeviceState.BUSY:
                self._set_state(DeviceState.IDLE)
        self.statistics.add("jobs")
        self.statistics.add("pages", pages)
        self.statistics.add("pages_since_paper_loaded", pages)
        return A4PrintResult(job_id, pages, time.monotonic() - started, after)

    def _follow(self, job_id: int, pages: int, started: float, on_progress: Progress | None) -> A4Status | None:
        done, failures = 0, 0
        while True:
            try:
                job = self.client.job_attributes(job_id)
                printer = self.status()
                failures = 0
            except (DeviceTimeout, DeviceOffline) as exc:
                failures += 1
                if failures >= 3:
                    raise A4PrintInterrupted(f"printer stopped answering ({exc.technician})", done) from exc
                time.sleep(self.poll_interval)
                continue
            state = job.get("job-state", ipp.JOB_PENDING)
            completed = job.get("job-impressions-completed")
            if isinstance(completed, int) and completed != done:
                done = max(0, min(completed, pages))
                if on_progress is not None:
                    on_progress(done, pages)
            if state == ipp.JOB_COMPLETED:
                if on_progress is not None and done < pages:
                    on_progress(pages, pages)
                return printer
            if state in (ipp.JOB_ABORTED, ipp.JOB_CANCELED):
                reasons = ", ".join(str(r) for r in job.all("job-state-reasons")) or ipp.JOB_STATES[state]
                raise A4PrintInterrupted(f"job {ipp.JOB_STATES[state]} by the printer ({reasons})", done)
            problem = printer.problem()
            if problem is not None or state == ipp.JOB_STOPPED:
                self._cancel(job_id)
                raise A4PrintInterrupted(problem or "job stopped", done)
            if time.monotonic() - started > self.job_timeout:
                self._cancel(job_id)
                raise A4PrintInterrupted(f"not completed within {self.job_timeout:g} s", done)
            time.sleep(self.poll_interval)

    def _cancel(self, job_id: int) -> None:
        """Take the stopped job off the printer, so it does not come out later without its citizen."""
        try:
            self.client.cancel_job(job_id)
        except DeviceError as exc:
            log.warning("%s: cannot cancel job %d: %s", self.name, job_id, exc.technician)

    def paper_loaded(self) -> None:
        """The technician filled the tray: the pages-since counter starts again."""
        self.statistics.reset("pages_since_paper_loaded")

    # --- online / offline and the monitor ------------------------------------------------------
    @property
    def online(self) -> bool:
        return self._online

    def _went_online(self) -> None:
        self._backoff.reset()
        if not self._online:
            self._online = True
            log.info("%s: back online", self.name)
            self._set_state(DeviceState.IDLE)
            self._emit(StatusKind.ONLINE)

    def _went_offline(self, exc: DeviceError) -> None:
        if self._online:
            self._online = False
            self._status = None
            self._fail(exc)
            self._emit(StatusKind.OFFLINE, exc.technician, exc)

    def refresh(self) -> None:
        """Ask for the status now; errors become events."""
        try:
            self.status()
        except (DeviceTimeout, DeviceOffline) as exc:
            self._went_offline(exc)
        except DeviceError as exc:
            self._fail(exc)

    def _enable(self) -> None:
        self._start_worker(self._monitor, "status")

    def _disable(self) -> None:
        self._stop_worker(self.client.timeout + 1)

    def _monitor(self) -> None:
        stop = self._stop
        while not stop.is_set():
            delay = self.status_interval
            if self._state != DeviceState.BUSY:
                try:
                    self.status()
                except (DeviceTimeout, DeviceOffline) as exc:
                    self._went_offline(exc)
                    delay = self._backoff.next_delay()
                except DeviceError as exc:
                    self._fail(exc)
                except Exception:  # our bug: keep monitoring
                    log.exception("%s: unexpected failure in the status monitor", self.name)
            stop.wait(delay)

    # --- health --------------------------------------------------------------------------------
    def _health_external(self) -> tuple[bool, str]:
        status = self.status()
        return status.ready, f"{self.client.description}: {status.summary()}"

    def _health_interactive(self) -> tuple[bool, str]:
        return True, "print an A4 test page (a sample certificate from the gateway) and check text, seal and QR code"

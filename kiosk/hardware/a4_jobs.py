"""The device hub's A4 printer: certificates printed on a worker of their own, progress on the GUI thread.

Mixed into :class:`kiosk.hardware.device_hub.DeviceHub` (which supplies ``device``, ``_urls``,
``_a4_pool``, ``_call`` and ``_closed``). A certificate job blocks until the printer reports it
completed (or stopped), which takes as long as the pages do, so it never shares the receipt
printer's worker. Every answer reaches the caller on the GUI thread: ``on_progress(done, total)``
as the pages come out, then ``callback(PrintOutcome)`` exactly once
(kiosk/hardware/print_outcome.py: the same answer a receipt job gives).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from devices.model import Device
from kiosk.hardware.device_kinds import document_printer
from kiosk.hardware.print_outcome import PrintOutcome, run_print_job

log = logging.getLogger("devices")

Progress = Callable[[int, int], None]


class A4Jobs:
    """The A4 printer's questions and jobs; see the module docstring."""

    _urls: dict[str, str | None]
    _a4_pool: ThreadPoolExecutor
    _call: Any  # Signal(object): a callable to run on the GUI thread
    _closed: bool

    def device(self, name: str) -> Device | None:  # pragma: no cover - the hub's
        raise NotImplementedError

    def _on_worker(self, pool: ThreadPoolExecutor, job: Callable[[], Any],
                   finished: Callable[[Any], None]) -> None:  # pragma: no cover - the hub's
        raise NotImplementedError

    def a4_configured(self) -> bool:
        """Whether this kiosk has an A4 printer at all (``[devices] a4printer``)."""
        return bool(self._urls.get("a4printer"))

    def can_print_a4(self) -> bool:
        """True when a fresh cached status says a certificate may start (no I/O here)."""
        printer = document_printer(self.device("a4printer"))
        try:
            return bool(printer is not None and printer.can_print())
        except Exception:  # a driver's bug must not take the citizen's screen with it
            log.exception("a4printer: can_print failed")
            return False

    def a4_summary(self) -> str:
        """The A4 printer's last known state and reasons ("idle; toner-low-report"), or ""."""
        printer = self.device("a4printer")
        cached = getattr(printer, "cached_status", None)
        if cached is None:
            return ""
        status, _age = cached()
        return status.summary() if status is not None else ""

    def print_certificate(self, document: bytes, *, pages: int, name: str,
                          on_progress: Progress | None = None,
                          callback: Callable[[PrintOutcome], None] | None = None) -> None:
        """Print the PDF ``document`` on the A4 printer's worker; returns at once (see the module docstring)."""

        def progress(done: int, total: int) -> None:
            if on_progress is not None:
                self._call.emit(lambda: on_progress(done, total))

        def job() -> PrintOutcome:
            from devices.a4printer.driver import A4PrinterNotReady

            printer = document_printer(self.device("a4printer"))
            if printer is None:
                return PrintOutcome.failed(A4PrinterNotReady("offline"))
            return run_print_job(lambda: printer.print_document(
                document, pages=pages, name=name, on_progress=progress), "a4printer")

        self._on_worker(self._a4_pool, job, callback or (lambda _outcome: None))

    def refresh_a4printer(self) -> None:
        """Ask the A4 printer for its status now, on its worker (after the demo panel changed it)."""
        printer = document_printer(self.device("a4printer"))
        if printer is not None and not self._closed:
            try:
                self._a4_pool.submit(printer.refresh)
            except RuntimeError:
                pass

"""What became of one print job, on the receipt printer or the A4 printer: one answer for every caller.

The device hub hands every job's callback a :class:`PrintOutcome`, whichever printer ran it:
``printed`` with the driver's result (``PrintResult`` or ``A4PrintResult``), or not printed with the
error that stopped it. Callers read ``printed``, ``reason`` (the printer's own words: "paper out",
"cover open", "door open", "offline" …), ``pages_done``, ``interrupted``, ``citizen_message()`` and
``technician()``; none of them needs to know which error class a driver raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.errors import DeviceError, DeviceOperationError

log = logging.getLogger("devices")


@dataclass(frozen=True)
class PrintOutcome:
    """One print job's end: ``printed`` with the driver's ``result``, or the ``error`` that stopped it."""

    printed: bool
    result: Any = None  # devices.printer.driver.PrintResult | devices.a4printer.driver.A4PrintResult
    error: BaseException | None = None

    @classmethod
    def done(cls, result: Any = None) -> PrintOutcome:
        """The printer said the job is complete."""
        return cls(True, result=result)

    @classmethod
    def failed(cls, error: BaseException) -> PrintOutcome:
        """Nothing usable came out: the printer refused, stopped part way, or the job could not be handed over."""
        return cls(False, error=error)

    @property
    def reason(self) -> str:
        """Why it did not print, in the printer's words ("paper out", "offline" …); "failed" if it gave none; "" if printed."""
        if self.printed:
            return ""
        reason = getattr(self.error, "reason", "")
        return reason if isinstance(reason, str) and reason else "failed"

    @property
    def pages_done(self) -> int:
        """A4 pages that came out before the printer stopped (void; the citizen is told so)."""
        done = getattr(self.error, "pages_done", 0)
        return done if isinstance(done, int) and not self.printed else 0

    @property
    def interrupted(self) -> bool:
        """The job had started when the printer stopped, so paper may have come out incomplete."""
        if self.printed or self.error is None:
            return False
        # imported here: only a job that did not print pays for the drivers
        from devices.a4printer.driver import A4PrintInterrupted
        from devices.printer.driver import PrintInterrupted

        return isinstance(self.error, (PrintInterrupted, A4PrintInterrupted))

    def citizen_message(self, language: str = "zh") -> str | None:
        """What the printer's error tells a citizen in ``language``, or None when it has no words for one."""
        message = getattr(self.error, "citizen_message", None)
        if self.printed or not callable(message):
            return None
        text = message(language)
        return text if isinstance(text, str) else None

    def technician(self) -> str:
        """The error for logs and diagnostics (no personal data), or "" when printed."""
        if self.printed:
            return ""
        return str(getattr(self.error, "technician", "") or self.error or "failed")


def run_print_job(job: Callable[[], Any], printer: str) -> PrintOutcome:
    """Run ``job`` (a driver's blocking print call) and turn how it ended into a :class:`PrintOutcome`."""
    try:
        return PrintOutcome.done(job())
    except DeviceError as exc:
        return PrintOutcome.failed(exc)
    except Exception as exc:  # our bug: the citizen still gets an answer
        log.exception("%s job failed unexpectedly", printer)
        return PrintOutcome.failed(DeviceOperationError(f"internal error: {type(exc).__name__}"))

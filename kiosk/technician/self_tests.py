"""The technician's one-tap self-tests: print a test page (receipt, and A4 where there is one), read a card, scan a code.

Mixed into :class:`~kiosk.technician.mode.TechnicianMode`: ``tests``, the audit ``record``, the
device hub and the ``changed`` signal come from it. A card or scan test waits for the technician
(up to ``SELF_TEST_TIMEOUT_MS``); every start and end goes into the audit log, card fields masked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.system.privacy import redact

if TYPE_CHECKING:
    from kiosk.hardware.print_outcome import PrintOutcome

log = logging.getLogger("fleet")

SELF_TEST_TIMEOUT_MS = 30_000
TestKind = Literal["print", "a4print", "card", "scan"]
TestState = Literal["waiting", "passed", "failed", "timeout"]
CARD_FIELDS = ("card_type", "name", "id_number", "check_digit_ok", "valid_to", "expired")


@dataclass
class SelfTest:
    """One self-test: waiting for the device, passed or failed, with technical details (masked)."""

    kind: TestKind
    state: TestState = "waiting"
    detail: dict[str, Any] = field(default_factory=dict)


class SelfTests(QObject):
    """The self-test steps of technician mode: a base of :class:`kiosk.technician.mode.TechnicianMode`."""

    changed = Signal()  # technician mode's: anything it shows changed

    # technician mode's (declared, not defined: the mode's own are found first)
    context: Any  # kiosk.shell.context.KioskContext
    tests: dict[str, SelfTest]
    _hub_links: list[tuple[Any, Any]]
    _test_timer: QTimer
    _hub: Callable[[], Any]
    record: Callable[..., None]

    @property
    def clock(self) -> Any:  # pragma: no cover - technician mode's own comes first
        raise NotImplementedError

    def print_test_page(self) -> None:
        """Print the test page; the outcome (lines, length, or the printer's error) becomes the test's detail."""
        from devices.printer import layout

        hub = self._hub()
        printer = hub.device("printer") if hub is not None else None
        self._begin_test("print")
        if printer is None:
            self._end_test("print", "failed", {"error": "printer not open (missing or failed to open)"})
            return
        receipt = layout.printer_test_page(printer.profile, now=self.clock.now().replace(tzinfo=None),
                                           kiosk=self.context.settings.kiosk.id)
        hub.print_receipt(receipt, self._test_page_printed)

    def _test_page_printed(self, outcome: PrintOutcome) -> None:
        if outcome.printed:
            result = outcome.result
            self._end_test("print", "passed", {"lines": result.lines, "length_cm": round(result.length_mm / 10, 1),
                                               "qr_codes": result.qr_codes, "substituted": result.substituted})
        else:
            self._end_test("print", "failed", {"error": redact(outcome.technician())})

    def read_card(self) -> None:
        """Arm the reader and wait for a card; its fields are shown masked and the card is released at once."""
        hub = self._hub()
        self._begin_test("card")
        if hub is None or hub.device("idcard") is None:
            self._end_test("card", "failed", {"error": "card reader not open (missing or failed to open)"})
            return
        self._link(hub.card_placed, self._card_read)
        self._link(hub.card_error, self._card_refused)
        hub.arm_card_reader()
        self._test_timer.start()

    def _card_read(self, card: Any) -> None:
        from kiosk.technician.card_fields import card_fields

        try:
            fields = card_fields(card, unmasked=False)
        finally:
            card.release()
        self._end_test("card", "passed", {"fields": {k: fields[k] for k in CARD_FIELDS if k in fields}})

    def _card_refused(self, error: Any) -> None:
        self._end_test("card", "failed", {"error": redact(getattr(error, "technician", str(error)))})

    def scan_code(self) -> None:
        """Wait for a scan; the parsed kind is shown (appointment, notice, center_link), never the code."""
        hub = self._hub()
        self._begin_test("scan")
        if hub is None or hub.device("scanner") is None:
            self._end_test("scan", "failed", {"error": "scanner not open (missing or failed to open)"})
            return
        self._link(hub.code_scanned, self._code_scanned)
        self._link(hub.code_rejected, self._code_rejected)
        self._test_timer.start()

    def _code_scanned(self, code: Any) -> None:
        self._end_test("scan", "passed", {"kind": str(getattr(code, "kind", type(code).__name__))})

    def _code_rejected(self, error: Any) -> None:
        self._end_test("scan", "failed", {"error": redact(getattr(error, "technician", str(error))),
                                          "reason": getattr(error, "reason", "")})

    def _link(self, signal: Any, slot: Any) -> None:
        signal.connect(slot)
        self._hub_links.append((signal, slot))

    def _unlink(self) -> None:
        for signal, slot in self._hub_links:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._hub_links.clear()

    def print_a4_test_page(self) -> None:
        """Print the A4 test page (devices/a4printer/test_page.py): done only when the printer says completed."""
        from devices.a4printer.test_page import a4_test_page

        hub = self._hub()
        printer = hub.device("a4printer") if hub is not None else None
        self._begin_test("a4print")
        if printer is None:
            self._end_test("a4print", "failed", {"error": "A4 printer not open (not configured, missing or failed to open)"})
            return
        page = a4_test_page(kiosk=self.context.settings.kiosk.id, printer=printer.client.description,
                            now=self.clock.now().replace(tzinfo=None))
        hub.print_certificate(page, pages=1, name="A4 test page", callback=self._a4_test_page_printed)

    def _a4_test_page_printed(self, outcome: PrintOutcome) -> None:
        hub = self._hub()
        conditions = hub.a4_summary() if hub is not None else ""
        if outcome.printed:
            self._end_test("a4print", "passed", {"pages": outcome.result.pages,
                                                 "seconds": round(outcome.result.seconds, 1), "conditions": conditions})
        else:
            self._end_test("a4print", "failed", {"error": redact(outcome.technician()), "conditions": conditions})

    def _waiting(self) -> SelfTest | None:
        return next((t for t in self.tests.values() if t.state == "waiting" and t.kind in ("card", "scan")), None)

    def _begin_test(self, kind: TestKind) -> None:
        self.cancel_self_test()
        self.tests[kind] = SelfTest(kind)
        self.record(f"self_test.{kind}", {"phase": "started"})
        self.changed.emit()

    def _end_test(self, kind: TestKind, state: TestState, detail: dict[str, Any]) -> None:
        test = self.tests.get(kind)
        if test is None or test.state != "waiting":
            return
        test.state, test.detail = state, detail
        if kind in ("card", "scan"):
            self._stop_waiting()
        audit: dict[str, Any] = {"phase": state}
        if "error" in detail:
            audit["error"] = str(detail["error"])[:200]
        for key in ("lines", "length_cm", "kind"):
            if key in detail:
                audit[key] = detail[key]
        if "fields" in detail:
            audit["card_type"] = detail["fields"].get("card_type", "")
        self.record(f"self_test.{kind}", audit)
        log.info("self-test %s: %s", kind, state)
        self.changed.emit()

    def _stop_waiting(self) -> None:
        self._test_timer.stop()
        self._unlink()
        hub = self._hub()
        if hub is not None and self.tests.get("card") is not None:
            hub.disarm_card_reader()

    def _test_timed_out(self) -> None:
        waiting = self._waiting()
        if waiting is not None:
            self._end_test(waiting.kind, "timeout", {})

    def cancel_self_test(self) -> None:
        """Stop waiting for a card or a scan."""
        waiting = self._waiting()
        if waiting is not None:
            self._stop_waiting()
            waiting.state = "failed"
            waiting.detail = {"error": "cancelled"}
            self.record(f"self_test.{waiting.kind}", {"phase": "cancelled"})
            self.changed.emit()

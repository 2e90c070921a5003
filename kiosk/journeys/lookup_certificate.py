"""The lookup's certificate on A4: the part of the lookup journey that prints the authority's signed document.

Mixed into :class:`~kiosk.journeys.lookup.LookupJourney`: ``env``, ``card``, ``state``, ``document``
and the journey's steps (``go``, ``fail``, ``call``) come from it. The gateway renders and signs
the certificate (``GatewayClient.certificate``); the kiosk passes its bytes to the A4 printer
(``DeviceHub.print_certificate``) and counts it printed only when the printer says the job
completed. Whatever stops it (the printer not ready or stopping mid-job, the gateway unreachable),
the citizen keeps the lookup and is offered the phone and EMS mailing; never the receipt printer.

States::

    choices ─► certificate_fetching ─► certificate_printing ─► certificate_printed
                    │                        │ (打印中 第 n/N 页)
                    └──────────┬─────────────┘
                               ▼
           certificate_failed | certificate_unavailable (not ready before anything was asked)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.base import Problem

if TYPE_CHECKING:
    from kiosk.journeys.base import Journey
    from kiosk.journeys.ports import LookupGateway

    _JourneyPart = Journey
else:
    _JourneyPart = object

log = logging.getLogger("kiosk.journeys")

CERTIFICATE_STATES = ("certificate_fetching", "certificate_printing", "certificate_printed",
                      "certificate_failed", "certificate_unavailable")
# The A4 printer's reasons (devices.a4printer.conditions) in the citizen's words.
_REASONS = {
    "paper out": ("证明打印机缺纸。", "The document printer is out of paper."),
    "door open": ("证明打印机的舱门开着。", "The document printer's door is open."),
    "paper jam": ("证明打印机卡纸了。", "The document printer has a paper jam."),
    "toner empty": ("证明打印机的墨粉用完了。", "The document printer is out of toner."),
    "offline": ("证明打印机没有连接。", "The document printer is not connected."),
}


class LookupCertificate(_JourneyPart):
    """The certificate steps: ask the gateway for the signed PDF, print it on A4, follow its pages."""

    card: Any
    document: Any
    _other_ways: Callable[[], tuple[str, str]]  # the mailing part's: the next step when paper fails

    certificate: Any = None  # kiosk.gateway_client.documents.Certificate, once issued
    certificate_done = 0  # pages the printer has reported out

    # -- what the screen asks ------------------------------------------------------------------
    def certificate_offered(self) -> bool:
        """Whether this kiosk has an A4 printer at all (the choice is shown only then)."""
        configured = getattr(self.env.devices, "a4_configured", None)  # a hub without A4 support: none
        try:
            return bool(callable(configured) and configured())
        except Exception:
            log.exception("%s: asking whether there is an A4 printer failed", self.name)
            return False

    def can_print_certificate(self) -> bool:
        """The A4 printer's fresh cached status says a job may start (no I/O)."""
        devices = self.env.devices
        try:
            return bool(self.certificate_offered() and devices is not None and devices.can_print_a4())
        except Exception:
            log.exception("%s: asking the A4 printer whether it can print failed", self.name)
            return False

    def certificate_pages(self) -> int:
        return self.certificate.pages if self.certificate is not None else 0

    # -- the steps -----------------------------------------------------------------------------
    def print_certificate(self) -> None:
        """Ask the gateway for the signed certificate, then print it on the A4 printer."""
        if self.document is None or self.card is None or not self.certificate_offered():
            return
        if self.state in ("certificate_fetching", "certificate_printing"):
            return  # a second tap while it is under way
        if not self.can_print_certificate():
            self._certificate_trouble("printer_not_ready", ("证明打印机暂时不能打印。",
                                                            "The document printer cannot print right now."),
                                      "certificate_unavailable")
            return
        gateway: LookupGateway | None = self.env.gateway
        if gateway is None or not self.env.online():
            self._certificate_trouble("offline", ("暂时连不上出具证明的系统。", "The system that issues documents "
                                                  "cannot be reached right now."))
            return
        self.certificate, self.certificate_done = None, 0
        kind, id_number, card_type = self.name, self.card.id_number, str(self.card.card_type)
        number = self.document.number

        def ask() -> Any:
            return gateway.certificate(kind, id_number, card_type, number)

        self.go("certificate_fetching")
        self.call(ask, self._certificate_issued, self._certificate_not_issued)

    def _certificate_issued(self, certificate: Any) -> None:
        if self.state != "certificate_fetching":
            return
        self.certificate, self.certificate_done = certificate, 0
        self.go("certificate_printing")
        devices = self.env.devices
        try:
            if devices is None:  # asked before the certificate was; a journey's devices do not change
                from devices.a4printer.driver import A4PrinterNotReady

                raise A4PrinterNotReady("offline")
            devices.print_certificate(certificate.pdf, pages=certificate.pages, name=certificate.number,
                                      on_progress=self._certificate_progress,
                                      callback=self._certificate_printed)
        except Exception as exc:  # the hub refused the job outright
            log.exception("%s: the A4 job could not be handed to the printer", self.name)
            self._certificate_printed(PrintOutcome.failed(exc))

    def _certificate_not_issued(self, error: BaseException) -> None:
        if self.state != "certificate_fetching":
            return
        log.warning("%s: certificate not issued: %s", self.name, error)
        if getattr(error, "unreachable", False) or isinstance(error, (ConnectionError, TimeoutError)):
            self._certificate_trouble("offline", ("暂时连不上出具证明的系统。", "The system that issues documents "
                                                  "cannot be reached right now."))
            return
        message = getattr(error, "citizen_message", None)
        what = (message("zh"), message("en")) if callable(message) else ("证明暂时无法出具。",
                                                                        "The document cannot be issued right now.")
        self._certificate_trouble(getattr(error, "code", "") or "not_issued", what)

    def _certificate_progress(self, done: int, total: int) -> None:
        if self.finished or self.state != "certificate_printing":
            return
        self.certificate_done = max(0, min(done, total))
        self.go("certificate_printing")

    def _certificate_printed(self, outcome: PrintOutcome) -> None:
        if self.finished or self.state != "certificate_printing":
            return
        if outcome.printed:
            self.certificate_done = self.certificate_pages()
            log.info("%s: certificate %s printed (%d pages)", self.name, self.certificate.number,
                     self.certificate_pages())
            self.go("certificate_printed")
            return
        reason, pages_done = outcome.reason, outcome.pages_done
        log.warning("%s: certificate not printed: %s", self.name, outcome.technician())
        what = self._reason_words(reason)
        if pages_done:
            pages_en = "1 page" if pages_done == 1 else f"{pages_done} pages"
            what = (f"证明只打印了{pages_done}页，没有打印完，已作废。" + what[0],
                    f"Only {pages_en} came out; the document is incomplete and void. " + what[1])
        elif outcome.interrupted:
            what = ("证明没有打印完，已作废。" + what[0], "The document did not print completely and is void. " + what[1])
        self._certificate_trouble(f"print_{reason.replace(' ', '_')}", what)

    @staticmethod
    def _reason_words(reason: str) -> tuple[str, str]:
        for known, words in _REASONS.items():
            if known in reason:
                return words
        return "证明打印机暂时不能打印。", "The document printer cannot print right now."

    def _certificate_trouble(self, code: str, what: tuple[str, str], state: str = "certificate_failed") -> None:
        """Paper did not come: say why, and offer the phone and mailing (the lookup is kept)."""
        self.fail(Problem(what[0], what[1], *self._other_ways(), code=code), state)

"""What every citizen journey is: a plain state machine with no widgets in it.

A journey holds its ``state`` (a short name the screen switches on) and the data for it, and
tells its listeners after every change. It gets what it needs through a :class:`JourneyEnv`:
the gateway client, the devices, the session, the outbox and a way to run slow work off the GUI
thread. Device events reach it as method calls (``on_card``, ``on_card_removed``,
``on_card_error``, ``on_scan``) from :class:`kiosk.journeys.host.JourneyHost`, so the same journey
runs under a screen, in a unit test, or from a script.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from config.catalogue import Catalogue, Service
from config.local import KioskSettings
from kiosk.shell.i18n import pick
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import Calls, ImmediateCalls
from kiosk.system.clock import Clock, SystemClock

if TYPE_CHECKING:
    from kiosk.journeys.ports import Outbox, Printers

log = logging.getLogger("kiosk.journeys")


def error_code(error: BaseException) -> str:
    """The gateway's machine code of an error (``notice_not_found``, ``appointment_not_found`` …), or ``""``."""
    code = getattr(error, "code", "")
    return code if isinstance(code, str) else ""


@dataclass(frozen=True)
class Problem:
    """What went wrong and what to do next, in both languages, for the citizen's screen."""

    what_zh: str
    what_en: str
    next_zh: str = ""
    next_en: str = ""
    code: str = ""

    def what(self) -> str:
        return pick(self.what_zh, self.what_en)

    def next_step(self) -> str:
        return pick(self.next_zh, self.next_en)

    @classmethod
    def from_error(cls, error: BaseException, next_zh: str = "", next_en: str = "", code: str = "") -> Problem:
        message = getattr(error, "citizen_message", None)
        if callable(message):
            return cls(message("zh"), message("en"), next_zh, next_en, code or type(error).__name__)
        return cls("系统繁忙，请稍后再试。", "The system is busy. Please try again later.", next_zh, next_en,
                   code or type(error).__name__)


@dataclass
class JourneyEnv:
    """Everything a journey may use. ``gateway``, ``devices`` and ``outbox`` may be None when absent.

    The services are ports (kiosk/journeys/ports.py): anything with their methods will do.
    """

    settings: KioskSettings
    catalogue: Catalogue
    session: CitizenSession
    calls: Calls = field(default_factory=ImmediateCalls)
    gateway: Any = None  # the gateway client; each journey names the port it uses (ports.TicketGateway …)
    devices: Printers | None = None
    outbox: Outbox | None = None
    clock: Clock = field(default_factory=SystemClock)
    online: Callable[[], bool] = lambda: True
    offer: Callable[[Service], Any] | None = None  # the availability verdict (kiosk.shell.context.Offer)
    extras: dict[str, Any] = field(default_factory=dict)
    # From the configuration bundle in force (``settings.session`` already carries its timeouts):
    receipt_header: tuple[str, ...] = ()  # lines printed above every receipt
    receipt_footer: tuple[str, ...] = ()  # lines printed below every receipt
    ems_mailing: bool = True  # whether citizens may have documents mailed by EMS from this kiosk
    # The hall's counters when closed to this kiosk (24-hour zone out of hours), else None:
    # kiosk.hall.closed_counters.ClosedCounters. Every problem shown is worded for it (Journey.go).
    closed_counters: Callable[[], Any] | None = None


Listener = Callable[["Journey"], None]


class Journey:
    """Base of every journey. Subclasses change state only through :meth:`go`."""

    name = "journey"
    needs_card = False
    needs_scanner = False

    def __init__(self, env: JourneyEnv, service: Service | None = None) -> None:
        self.env = env
        self.service = service
        self.state = "start"
        self.problem: Problem | None = None
        self._listeners: list[Listener] = []
        self.finished = False

    # -- observers ----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def go(self, state: str, problem: Problem | None = None) -> None:
        self.state = state
        self.problem = problem if problem is None else self._for_open_counters(problem)
        log.info("%s → %s", self.name, state, extra={"journey": self.name, "state": state})
        for listener in list(self._listeners):
            listener(self)

    def _for_open_counters(self, problem: Problem) -> Problem:
        """``problem``, its next step sending nobody to a counter that is closed now (24-hour zone)."""
        closed = None
        if self.env.closed_counters is not None:
            try:
                closed = self.env.closed_counters()
            except Exception:  # the calendar cannot be read: the sentence as written
                log.warning("could not tell whether the counters are open", exc_info=True)
        if closed is None:
            return problem
        next_zh, next_en = closed.instead_of(problem.next_zh, problem.next_en, problem.what_zh, problem.what_en)
        return replace(problem, next_zh=next_zh, next_en=next_en)

    def fail(self, problem: Problem, state: str = "failed") -> None:
        self.go(state, problem)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Begin (called once the screen is showing)."""

    def cancel(self) -> None:
        """The citizen left or the session ended: stop, release devices, forget personal data."""
        self.finished = True
        self._listeners.clear()

    # -- device events (wired by JourneyHost) ----------------------------------------------------
    def on_card(self, card: Any) -> None:
        """A card was read."""

    def on_card_removed(self) -> None:
        """The card was lifted."""

    def on_card_error(self, error: BaseException) -> None:
        """The reader could not read the card placed on it."""

    def on_scan(self, code: Any) -> None:
        """The scanner read a code (already parsed by the device layer)."""

    def on_scan_rejected(self, error: BaseException) -> None:
        """The scanner read something that is none of the expected formats (``ScanRejected``)."""
        self.on_scan(error)

    # -- helpers --------------------------------------------------------------------------
    def framed(self, receipt: Any) -> Any:
        """``receipt`` (a ``devices.printer.layout.Receipt``) with the configured header and footer lines."""
        if not (self.env.receipt_header or self.env.receipt_footer):
            return receipt
        from devices.printer.layout import framed  # imported here: only a printing journey pays for it

        return framed(receipt, self.env.receipt_header, self.env.receipt_footer)

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run ``fn`` off the GUI thread; the callbacks are skipped once the journey is cancelled."""

        def done(result: Any) -> None:
            if not self.finished:
                on_done(result)

        def failed(error: BaseException) -> None:
            if self.finished:
                return
            if on_error is None:
                self.fail(Problem.from_error(error))
            else:
                on_error(error)

        self.env.calls.submit(fn, done, failed)

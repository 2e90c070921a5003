"""Taking a queue number (取号): choose a service, check in a booking, green channel, print or show the ticket.

States (the screen switches on them):

- ``choose`` — big tiles of the popular ticket services, "by department", "I have a booking";
  ``departments`` → ``services`` (of one department); ``checkin`` (scan the booking's QR code or
  place the ID card).
- ``confirm`` — the chosen service, with the booking or card that will go with the request.
- ``priority`` — green channel offered (age from the ID card at or above the configured age, or a
  booking): the citizen picks a reason or declines; never decided for them.
- ``no_printer`` — the printer cannot print: said BEFORE a number is taken; the ticket will be
  shown as a QR code to photograph.
- ``issuing`` → ``printing`` → ``issued`` (on paper) or ``issued_qr`` (shown as a QR code: no
  printer, or the print failed on the way; the ticket is valid either way).
- ``finding`` — a booking scanned, typed or found by the card: the gateway says its service
  (kiosk/journeys/booking_checkin.py), then ``confirm`` without choosing the service again.
- ``already_checked_in`` — the booking had a ticket already: the same ticket, never a second one.
- problems: ``offline`` (the queue system is unreachable), ``unavailable`` (not offered now),
  ``card_error``, ``appointment_problem``, ``gateway_error``.

The ticket request's Idempotency-Key is made before the first attempt and reused for every retry
of the same request, so a retry after a lost answer returns the same ticket instead of a second.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from config.catalogue import Department, Service
from contract.queue import Ticket, TicketRequest
from kiosk.gateway_client.errors import GatewayOffline
from kiosk.journeys.base import Journey, JourneyEnv, Problem, error_code
from kiosk.journeys.booking_checkin import APPOINTMENT_PROBLEMS, BookingCheckIn, not_today
from kiosk.journeys.ticket_paper import TicketPaper

if TYPE_CHECKING:
    from kiosk.journeys.ports import TicketGateway

log = logging.getLogger("kiosk.journeys")

PRIORITY_REASONS: tuple[str, ...] = ("elderly", "disabled", "pregnant", "urgent")
"""Green-channel reasons offered to the citizen, in the order shown."""

# A booking whose ticket was issued this long before our request was checked in earlier.
_EARLIER_CHECK_IN = dt.timedelta(seconds=90)

def age_on(birth: dt.date, today: dt.date) -> int:
    """Completed years of age on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def unreachable(error: BaseException) -> bool:
    """True when the gateway could not be reached or did not answer (not a refusal)."""
    return isinstance(error, GatewayOffline | ConnectionError | TimeoutError)


OFFLINE = Problem(
    "排队系统暂时连接不上，本机现在无法取号。", "The queue system cannot be reached, so this kiosk cannot issue numbers now.",
    "请到一楼人工服务台取号，工作人员会为您安排。", "Please take a number at the staff desk on the ground floor.",
    "offline",
)
GATEWAY_BUSY = Problem(
    "取号没有成功，排队系统暂时繁忙。", "The number could not be issued: the queue system is busy.",
    "请点“重试”。如果仍不成功，请到人工服务台取号。", "Tap “Try again”. If it still fails, please ask at the staff desk.",
    "gateway_error",
)


class QueueTicketJourney(BookingCheckIn, TicketPaper, Journey):
    """Take a number for one of the catalogue's ticket services. See the module docstring for the states."""

    name = "queue_ticket"
    needs_card = True
    needs_scanner = True

    def __init__(self, env: JourneyEnv, service: Service | None = None) -> None:
        super().__init__(env, service)
        self.offer: Callable[[Service], Any] = env.extras.get("offer") or (lambda service: None)
        self.department: Department | None = None
        self.unavailable_offer: Any = None
        self.appointment_code: str | None = None
        self.appointment_date: dt.date | None = None
        self.card_age: int | None = None
        self.id_number: str | None = None
        self.card_note = False  # a card was read: the screen says so
        self.priority_reason: str | None = None
        self.priority_answered = False
        self.qr_only = False  # the citizen was told the ticket will be shown, not printed
        self.ticket: Ticket | None = None
        self.printed = False
        self.print_problem: Problem | None = None
        self.redirected_from: Service | None = None
        self._request: TicketRequest | None = None
        self._key: str | None = None
        self._asked_at: dt.datetime | None = None
        self._came_from = "choose"

    # -- what the screen shows ----------------------------------------------------------------
    def ticket_services(self) -> list[Service]:
        return self.env.catalogue.ticket_services()

    def popular_services(self) -> list[Service]:
        return [s for s in self.ticket_services() if s.popular]

    def departments(self) -> list[Department]:
        """Departments with at least one ticket service."""
        return [d for d in self.env.catalogue.departments if any(s.queue_prefix for s in d.services)]

    def services(self) -> list[Service]:
        """The ticket services of the chosen department."""
        if self.department is None:
            return []
        return [s for s in self.ticket_services() if s.department == self.department.id]

    @property
    def priority_because(self) -> str:
        """Why the green channel is offered: ``age``, ``appointment`` or ``""`` (not offered)."""
        if self.card_age is not None and self.card_age >= self.env.settings.session.priority_age:
            return "age"
        if self.appointment_code:
            return "appointment"
        return ""

    @property
    def priority_reasons(self) -> tuple[str, ...]:
        return PRIORITY_REASONS

    # -- start and browsing -------------------------------------------------------------------------
    def start(self) -> None:
        if not self.env.online() or self.env.gateway is None:
            self.fail(OFFLINE, "offline")
        elif self.service is not None:
            self.choose_service(self.service.id)
        else:
            self.go("choose")

    def back_to_choose(self) -> None:
        """Back to the first page (keeps a card already read and a booking already scanned)."""
        if self.state in ("issuing", "printing") or self.ticket is not None:
            return
        self.service = None
        self.priority_answered = False
        self.priority_reason = None
        self.go("choose")

    def open_departments(self) -> None:
        self.go("departments")

    def choose_department(self, department_id: str) -> None:
        self.department = next(d for d in self.departments() if d.id == department_id)
        self.go("services")

    def open_checkin(self) -> None:
        """The citizen has a booking: scan its QR code or place the ID card."""
        self._came_from = self.state if self.state in ("choose", "confirm") else "choose"
        self.go("checkin")

    def leave_checkin(self) -> None:
        self.go("confirm" if self._came_from == "confirm" and self.service else "choose")

    def choose_service(self, service_id: str) -> None:
        """The citizen picked a service: offered now? then confirm."""
        if self.ticket is not None:
            return
        service = self.env.catalogue.service(service_id)
        self.service = service
        offer = self.offer(service)
        if offer is not None and not getattr(offer, "available", True):
            self.unavailable_offer = offer
            self.go("unavailable")
            return
        if not self.env.online():
            self.fail(OFFLINE, "offline")
            return
        self.go("confirm")

    # -- the ID card and the scanner --------------------------------------------------------------
    def on_card(self, card: Any) -> None:
        if self.ticket is not None or self.state in ("issuing", "printing", "offline", "finding"):
            return
        today = self.env.clock.now().date()
        refusal = card.refusal(today) if hasattr(card, "refusal") else None
        if refusal is not None:
            self.fail(Problem.from_error(refusal, "您也可以不放身份证，直接取普通号。",
                                         "You can also take an ordinary number without the card.", "card_refused"),
                      "card_error")
            return
        self.env.session.remember_card(card)
        self.card_age = age_on(card.birth_date, today)
        self.id_number = card.id_number or None
        self.card_note = True
        self.priority_answered = False
        if self.state == "checkin":
            self._booking_known(id_number=self.id_number)
        elif self.state == "card_error":
            self.go("confirm" if self.service is not None else "choose")
        else:
            self.go(self.state, self.problem)

    def on_card_error(self, error: BaseException) -> None:
        if self.ticket is not None or self.state in ("issuing", "printing", "offline"):
            return
        self.fail(Problem.from_error(error, "请把身份证平放在感应区，不要移动；也可以不放身份证，直接取普通号。",
                                     "Lay the card flat on the reader and keep it still, or take an ordinary "
                                     "number without it.", "card_error"), "card_error")

    def on_scan(self, code: Any) -> None:
        if self.ticket is not None or self.state in ("issuing", "printing", "offline", "finding"):
            return
        if isinstance(code, BaseException):  # a rejected scan, passed on by the device hub
            self.fail(Problem.from_error(code, code="scan_rejected"), "appointment_problem")
            return
        if getattr(code, "kind", "") != "appointment":
            self.fail(Problem(
                "这不是预约二维码。", "This is not a booking code.",
                "请扫描预约短信或预约页面上的二维码。", "Please scan the QR code from your booking message or page.",
                "not_appointment"), "appointment_problem")
            return
        today = self.env.clock.now().date()
        if code.date != today:
            self.fail(not_today(code.date), "appointment_problem")
            return
        self.appointment_code = code.code
        self.appointment_date = code.date
        self.priority_answered = False
        self._booking_known(code=code.code)

    def dismiss(self) -> None:
        """Leave a card, booking or availability problem: back to the service, or to the first page."""
        if self.state not in ("card_error", "appointment_problem", "unavailable"):
            return
        if self.state == "unavailable" or self.service is None:
            self.back_to_choose()
        else:
            self.go("confirm")

    def step_back(self) -> bool:
        """One page back inside the journey (the footer's Back); False at the first page or once issued."""
        if self.ticket is not None or self.state in ("issuing", "printing", "offline", "choose", "start"):
            return False
        if self.state == "services":
            self.go("departments")
        elif self.state == "departments":
            self.go("choose")
        elif self.state in ("checkin", "finding"):
            self.leave_checkin()
        elif self.state == "code_pad":
            self.go("checkin")
        elif self.state in ("priority", "no_printer", "gateway_error"):
            self.priority_answered = False
            self.go("confirm")
        elif self.state == "confirm":
            if self.redirected_from is None and self.department is not None:
                self.service = None
                self.go("services")
            else:
                self.back_to_choose()
        else:
            self.dismiss()
        return True

    def forget_appointment(self) -> None:
        """Take an ordinary number instead (after a booking problem)."""
        self.appointment_code = None
        self.appointment_date = None
        self.go("confirm" if self.service is not None else "choose")

    # -- taking the number -------------------------------------------------------------------
    def take_number(self) -> None:
        """The citizen confirmed: green channel offered if they qualify, printer checked, then issued."""
        if self.service is None or self.state not in ("confirm", "priority", "no_printer", "gateway_error"):
            return
        if self.priority_because and not self.priority_answered:
            self.go("priority")
            return
        if not self.qr_only and not self.can_print():
            self.go("no_printer")
            return
        self._issue()

    def choose_priority(self, reason: str | None) -> None:
        """``reason`` one of :data:`PRIORITY_REASONS`, or None for an ordinary number."""
        if self.state != "priority":
            return
        if reason is not None and reason not in PRIORITY_REASONS:
            raise ValueError(f"priority reason: expected one of {PRIORITY_REASONS} or None, got {reason!r}")
        self.priority_reason = reason
        self.priority_answered = True
        self.take_number()

    def accept_qr_ticket(self) -> None:
        """The printer cannot print; the citizen agrees to photograph the ticket's QR code."""
        if self.state == "no_printer":
            self.qr_only = True
            self._issue()

    def retry(self) -> None:
        """Try again after a gateway error: the same request with the same Idempotency-Key."""
        if self.state == "gateway_error":
            self._issue()
        elif self.state == "offline":
            self.start()

    def _ticket_request(self) -> TicketRequest:
        """The request, checked against the contract here so a retry can tell it is the same one."""
        assert self.service is not None
        return TicketRequest(
            service_id=self.service.id, priority_reason=self.priority_reason,
            appointment_code=self.appointment_code,
            id_number=self.id_number if not self.appointment_code else None,
        )

    def _issue(self) -> None:
        if not self.env.online() or self.env.gateway is None:
            self.fail(OFFLINE, "offline")
            return
        request = self._ticket_request()
        if request != self._request or self._key is None:
            # a new request gets a new key; a retry of the same one keeps its key
            self._request, self._key = request, uuid.uuid4().hex
        key = self._key
        self._asked_at = self.env.clock.now()
        self.go("issuing")
        gateway: TicketGateway = self.env.gateway  # there is one: checked before the ticket was asked for
        self.call(lambda: gateway.issue_ticket(request, idempotency_key=key), self._issued, self._issue_failed)

    def _issue_failed(self, error: BaseException) -> None:
        code = error_code(error)
        log.warning("ticket not issued (%s)", code or type(error).__name__, extra={"journey": self.name})
        if unreachable(error):
            self.fail(OFFLINE, "offline")
        elif code == "appointment_other_service":
            self._redirect(error)
        elif code in APPOINTMENT_PROBLEMS:
            self.fail(APPOINTMENT_PROBLEMS[code], "appointment_problem")
        else:
            self.fail(GATEWAY_BUSY, "gateway_error")

    def _redirect(self, error: BaseException) -> None:
        """The booking is for another ticket service: switch to it and let the citizen confirm."""
        detail = getattr(error, "detail", None)
        service_id = detail.get("service_id") if isinstance(detail, dict) else None
        try:
            service = self.env.catalogue.service(service_id) if service_id else None
        except KeyError:
            service = None
        if service is None or not service.takes_tickets:
            self.fail(APPOINTMENT_PROBLEMS["appointment_other_service"], "appointment_problem")
            return
        self.redirected_from = self.service
        self.service = service
        self.go("confirm")

    def _issued(self, result: Any) -> None:
        ticket = result if isinstance(result, Ticket) else Ticket.model_validate(result)
        self.ticket = ticket
        self.env.session.data[self.name] = {"number": ticket.number, "service_id": ticket.service_id}
        self.env.session.record_number = ticket.number
        log.info("ticket %s issued", ticket.number, extra={"journey": self.name})
        if self._checked_in_before(ticket):
            self.go("already_checked_in")
            return
        self._print()

    def _checked_in_before(self, ticket: Ticket) -> bool:
        if ticket.appointment is None:
            return False
        if ticket.state != "waiting":
            return True
        try:
            issued = dt.datetime.fromisoformat(ticket.issued_at)
        except ValueError:
            return False
        asked = self._asked_at or self.env.clock.now()
        if issued.tzinfo is None:
            issued = issued.replace(tzinfo=asked.tzinfo)
        return issued < asked - _EARLIER_CHECK_IN

    # -- printing ----------------------------------------------------------------------------------

    # -- leaving -------------------------------------------------------------------------------
    def cancel(self) -> None:
        self.id_number = None
        self.card_age = None
        self.appointment_code = None
        self.ticket = None
        self._request = None
        self.env.session.data.pop(self.name, None)
        super().cancel()

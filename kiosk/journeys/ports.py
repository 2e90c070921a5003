"""A journey's environment as ports: what a journey may ask of the gateway, the printers, the outbox and the clock.

Each port is a ``typing.Protocol``. The kiosk's own objects satisfy them as they are (the gateway
client, the device hub, the offline outbox, the system clock), and so does any plain object with
the same methods: a test's double or the tour's sample devices, which inherit from nothing.
:class:`kiosk.journeys.base.JourneyEnv` carries them; each journey names the gateway port it uses,
so the type checker knows what it may call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kiosk.system.clock import Clock

if TYPE_CHECKING:
    from contract.citizen import FeedbackReceipt, FeedbackRequest, MailingReceipt, MailingRequest
    from contract.payments import Notice, Order
    from contract.queue import BookedAppointment, Ticket, TicketRequest
    from contract.result_links import ResultLink, ResultLinkRequest
    from devices.printer.layout import Receipt
    from kiosk.gateway_client.documents import Certificate, GuidePdf
    from kiosk.hardware.print_outcome import PrintOutcome

__all__ = [
    "Clock", "DocumentPrinter", "FeedbackGateway", "GuideGateway", "LookupGateway", "MailingGateway", "Outbox",
    "PaymentGateway", "Printed", "Printers", "ReceiptPrinter", "ResultLinkGateway", "TicketGateway",
]

Printed = Callable[["PrintOutcome"], None]
"""Called once, on the GUI thread, with what became of a print job."""


# --- the printers (the device hub) ----------------------------------------------------------------

@runtime_checkable
class ReceiptPrinter(Protocol):
    """The receipt printer: a question answered from cached status, and a job that answers later."""

    def can_print(self) -> bool: ...

    def print_receipt(self, receipt: Receipt, callback: Printed) -> None: ...


@runtime_checkable
class DocumentPrinter(Protocol):
    """The A4 printer, when the kiosk has one: certificates and guides, page by page."""

    def a4_configured(self) -> bool: ...

    def can_print_a4(self) -> bool: ...

    def print_certificate(self, document: bytes, *, pages: int, name: str,
                          on_progress: Callable[[int, int], None], callback: Printed) -> None: ...


@runtime_checkable
class Printers(ReceiptPrinter, DocumentPrinter, Protocol):
    """What journeys ask of the device hub (``JourneyEnv.devices``)."""


# --- the outbox -----------------------------------------------------------------------------------

@runtime_checkable
class Outbox(Protocol):
    """Durable hand-over to the gateway: an entry appended here is sent when the gateway can take it."""

    def append(self, kind: str, payload: dict[str, Any], *, idempotency_key: str | None = None) -> Any: ...


# --- the gateway, as each journey sees it ---------------------------------------------------------

class LookupGateway(Protocol):
    """A lookup's certificate (its answers are asked by name: ``LookupJourney.gateway_method``)."""

    def certificate(self, kind: str, id_number: str, card_type: str = "resident",
                    document_number: str | None = None) -> Certificate: ...


class MailingGateway(Protocol):
    """A mailing request sent straight away when there is no outbox."""

    def request_mailing(self, request: MailingRequest | dict[str, Any],
                        idempotency_key: str | None = None) -> MailingReceipt: ...


class ResultLinkGateway(Protocol):
    """A one-time link that opens a lookup's result on the citizen's phone."""

    def create_result_link(self, request: ResultLinkRequest | dict[str, Any]) -> ResultLink: ...


class TicketGateway(Protocol):
    """Queue numbers and today's bookings."""

    def issue_ticket(self, request: TicketRequest | dict[str, Any], idempotency_key: str | None = None) -> Ticket: ...

    def find_appointment(self, appointment_code: str | None = None,
                         id_number: str | None = None) -> BookedAppointment: ...


class PaymentGateway(Protocol):
    """Payment notices and their orders."""

    def notice(self, number: str) -> Notice: ...

    def create_order(self, notice_number: str, idempotency_key: str) -> Order: ...

    def order(self, order_id: str) -> Order: ...

    def close_order(self, order_id: str) -> Order: ...


class FeedbackGateway(Protocol):
    """A citizen's rating sent straight away when there is no outbox."""

    def send_feedback(self, request: FeedbackRequest, idempotency_key: str | None = None) -> FeedbackReceipt: ...


class GuideGateway(Protocol):
    """A service guide laid out on A4."""

    def guide_pdf(self, service_id: str) -> GuidePdf: ...

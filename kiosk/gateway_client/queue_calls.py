"""The queue's calls to the gateway: the overview, a ticket (and booking check-in), a booking, calling the next.

A part of :class:`kiosk.gateway_client.client.GatewayClient`, which gives it ``request``, ``_get``,
``_must`` and the citizen's time budget.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from contract.queue import (
    AppointmentLookup,
    BookedAppointment,
    CallNextResult,
    QueueOverview,
    Ticket,
    TicketRequest,
)
from kiosk.gateway_client.bodies import build, segment

M = TypeVar("M", bound=BaseModel)


class QueueCalls:
    citizen_budget_s: float

    if TYPE_CHECKING:
        def request(self, method: str, path: str, model: type[M], *, body: BaseModel | None = None,
                    idempotency_key: str | None = None, etag: str | None = None, retry_safe: bool = False,
                    budget_s: float | None = None) -> M | None: ...

        def _get(self, path: str, model: type[M], etag: str | None = None, *, citizen: bool = False) -> M | None: ...

        def _must(self, value: M | None) -> M: ...

    def queue_overview(self) -> QueueOverview:
        return self._must(self._get("/queue/services", QueueOverview, citizen=True))

    def issue_ticket(self, request: TicketRequest | Mapping[str, Any], idempotency_key: str | None = None) -> Ticket:
        """A queue number; with ``id_number`` or ``appointment_code`` today's booking is checked in.

        Pass the key the journey stored before its first attempt, so a retry after a lost answer
        gets the same ticket; without one the client makes a key for its own retries.
        """
        body = request if isinstance(request, TicketRequest) else build(TicketRequest, **dict(request))
        return self._must(self.request("POST", "/queue/tickets", Ticket, body=body,
                                       idempotency_key=idempotency_key or uuid.uuid4().hex,
                                       budget_s=self.citizen_budget_s))

    def find_appointment(self, appointment_code: str | None = None, id_number: str | None = None) -> BookedAppointment:
        """Today's booking by its code or the ID card read here (a lookup: retried, within the citizen's budget)."""
        body = build(AppointmentLookup, appointment_code=appointment_code, id_number=id_number)
        return self._must(self.request("POST", "/queue/appointments/find", BookedAppointment, body=body,
                                       retry_safe=True, budget_s=self.citizen_budget_s))

    def ticket(self, ticket_id: str) -> Ticket:
        return self._must(self._get(f"/queue/tickets/{segment(ticket_id)}", Ticket))

    def call_next(self, service_id: str) -> CallNextResult:
        """Demo and window use: call the next number (not repeated on failure)."""
        return self._must(self.request("POST", f"/queue/services/{segment(service_id)}/call-next", CallNextResult))


"""Queue tickets: who is waiting where, taking a number, a ticket's progress."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contract.base import IdNumber, Request, Response, ServiceId

PriorityReason = Literal["elderly", "disabled", "pregnant", "military", "urgent"]
TicketState = Literal["waiting", "called", "done", "missed"]


class QueueServiceStatus(Response):
    service_id: str
    name_zh: str
    name_en: str
    prefix: str
    window_zh: str = ""
    window_en: str = ""
    waiting: int = Field(ge=0, description="tickets issued today and not yet called")
    estimated_wait_min: int = Field(ge=0)
    now_serving: str | None = Field(None, description="the number last called, e.g. A012")


class QueueOverview(Response):
    date: str
    services: list[QueueServiceStatus]


class TicketRequest(Request):
    service_id: ServiceId
    priority_reason: PriorityReason | None = Field(
        None, description="green channel: called before ordinary tickets"
    )
    appointment_code: str | None = Field(
        None, pattern=r"^YY\d{12}$", description="booking code YY + YYYYMMDD + 4 digits, checked in now"
    )
    id_number: IdNumber | None = Field(
        None, description="ID number read at this kiosk, used only to find today's booking"
    )


class AppointmentLookup(Request):
    """Which booking is this? One of the two: the code from the booking's QR or SMS, or the ID card read here."""

    appointment_code: str | None = Field(None, pattern=r"^YY\d{12}$", description="booking code YY + YYYYMMDD + 4 digits")
    id_number: IdNumber | None = Field(None, description="ID number read at this kiosk: today's booking under it")


class BookedAppointment(Response):
    """A booking found for check-in: its service, slot and day (nothing personal)."""

    code: str
    service_id: str
    slot: str
    date: str = Field(description="the day of the booking, YYYY-MM-DD")


class Appointment(Response):
    code: str
    service_id: str
    slot: str = Field(description="time slot, e.g. 10:00-10:30")


class Ticket(Response):
    ticket_id: str = Field(description="opaque id; also the key of the public status page")
    number: str = Field(description="prefix + three digits, e.g. A001")
    service_id: str
    service_name_zh: str
    service_name_en: str
    window_zh: str = ""
    window_en: str = ""
    issued_at: str
    date: str
    priority: bool = False
    priority_reason: str | None = None
    appointment: Appointment | None = None
    state: TicketState = "waiting"
    people_ahead: int = Field(ge=0)
    estimated_wait_min: int = Field(ge=0)
    now_serving: str | None = None
    status_url: str = Field(description="phone-friendly page the ticket's QR code points at")


class CallNextResult(Response):
    service_id: str
    called: str | None = Field(None, description="number now being served, None when nobody waits")
    waiting: int

"""The queue ticket on paper: whether the printer can print, the ticket receipt, printing it and printing it again.

Mixed into :class:`~kiosk.journeys.queue_ticket.QueueTicketJourney`: ``env``, ``ticket``, ``service`` and the
journey's steps (``go``, ``call``) come from it. When the printer cannot print, the ticket is shown as a QR code.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from contract.queue import Ticket
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.base import Journey, Problem

log = logging.getLogger("kiosk.journeys")

class TicketPaper(Journey):
    """A part of the queue ticket journey: the ticket on paper."""

    ticket: Ticket | None  # the journey's (declared here, set by the journey)

    def can_print(self) -> bool:
        devices = self.env.devices
        try:
            return bool(devices is not None and devices.can_print())
        except Exception:  # a hub that cannot answer cannot print
            log.warning("printer state unknown; ticket will be shown as a QR code", exc_info=True)
            return False

    def print_again(self) -> None:
        """Print the ticket already issued (after a booking found checked in, or once the printer is back)."""
        if self.ticket is not None and self.state in ("already_checked_in", "issued_qr") and self.can_print():
            self.qr_only = False
            self._print()

    def _print(self) -> None:
        if self.qr_only or not self.can_print():
            self.print_problem = None if self.qr_only else Problem(
                "打印机暂时无法打印，请用手机拍下下面的二维码。", "The printer cannot print right now. Please take a photo of the QR code below.",
                code="printer_unavailable")
            self.go("issued_qr")
            return
        self.go("printing")
        receipt = self.receipt()

        def printed(outcome: PrintOutcome) -> None:
            if self.finished:
                return
            if outcome.printed:
                self.printed = True
                self.go("issued")
            else:
                log.warning("ticket print failed (%s)", outcome.reason, extra={"journey": self.name})
                self.print_problem = Problem(
                    "号票没有打印完整，但您的号已经取好，仍然有效。", "The ticket did not print completely, but your number is valid.",
                    "请用手机拍下下面的二维码，或记下您的号码。", "Please take a photo of the QR code below, or note your number.",
                    "print_failed")
                self.go("issued_qr")

        devices = self.env.devices
        try:
            if devices is None:  # can_print() found one a moment ago
                raise RuntimeError("no printer")
            devices.print_receipt(receipt, printed)
        except Exception as exc:  # the hub refused the job at once
            printed(PrintOutcome.failed(exc))

    def receipt(self) -> Any:
        """The printed ticket (nothing personal on it): number, service, window, people ahead, time, status QR."""
        from devices.printer import layout  # imported here: only a printing journey pays for it

        ticket = self.ticket
        assert ticket is not None
        settings = self.env.settings.kiosk
        notes = []
        if ticket.priority_reason:  # chosen by the citizen; a booking is called early too, but is no green channel
            notes.append("绿色通道 优先办理 Green channel: priority service")
        if ticket.appointment is not None:
            notes.append(f"预约签到 Booked {ticket.appointment.slot}")
        window = " ".join(w for w in (ticket.window_zh, ticket.window_en) if w)
        return self.framed(layout.queue_ticket(
            hall=settings.hall_name_zh,
            service=f"{ticket.service_name_zh} {ticket.service_name_en}",
            ticket_number=ticket.number,
            waiting_ahead=ticket.people_ahead,
            issued_at=self.issued_at(),
            window=window,
            qr_url=ticket.status_url,
            notes=tuple(notes),
        ))

    def issued_at(self) -> dt.datetime:
        """When the ticket was issued, in the hall's time (the kiosk clock if the gateway's is unreadable)."""
        now = self.env.clock.now()
        if self.ticket is None:
            return now
        try:
            issued = dt.datetime.fromisoformat(self.ticket.issued_at)
        except ValueError:
            return now
        return issued.astimezone(now.tzinfo) if issued.tzinfo else issued

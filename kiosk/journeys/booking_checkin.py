"""Checking in a booking (预约签到) in the queue journey: which booking, for which service, on which day.

A booking scanned (its QR code, or its code typed from the SMS on the ``code_pad``) or found by the ID card already
says its service: the gateway is asked (``find_appointment``) and the journey goes straight to
confirming that service — the citizen is not asked to choose it again. A booking for another day
says which day. If the gateway cannot be asked, the citizen chooses the service as before and the
ticket request checks the booking.

Mixed into :class:`kiosk.journeys.queue_ticket.QueueTicketJourney`, whose state it uses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.journeys.base import Problem, error_code

if TYPE_CHECKING:
    from kiosk.journeys.ports import TicketGateway

log = logging.getLogger("kiosk.journeys")

APPOINTMENT_PROBLEMS: dict[str, Problem] = {
    "appointment_not_found": Problem(
        "没有找到这个预约。", "This booking could not be found.",
        "请核对预约短信中的二维码，或直接取普通号。", "Check the code in your booking message, or take an ordinary number.",
        "appointment_not_found"),
    "appointment_not_today": Problem(
        "这个预约不是今天的。", "This booking is not for today.",
        "请在预约当天再来签到；今天也可以取普通号。", "Please check in on the day of your booking, or take an ordinary number today.",
        "appointment_not_today"),
    "appointment_other_service": Problem(
        "这个预约不是您选择的业务。", "This booking is for another service.",
        "请返回选择您预约的业务。", "Please go back and choose the service you booked.",
        "appointment_other_service"),
    "queue_full": Problem(
        "该业务今天的号已经取完。", "All numbers for this service have been issued today.",
        "请到人工服务台咨询。", "Please ask at the staff desk.", "queue_full"),
}


CODE_DIGITS = 12  # a booking code is YY + YYYYMMDD + 4 digits; the citizen types the digits from the SMS
BAD_CODE = Problem(
    "预约码应为预约短信中“YY”后面的12位数字，请核对后重新输入。",
    "A booking code is the 12 digits after “YY” in your booking message. Please check it and type it again.",
    "也可以扫描预约二维码，或直接取普通号。", "You can also scan the booking's QR code, or take an ordinary number.",
    "bad_booking_code")


def typed_code(text: str) -> tuple[str, dt.date] | None:
    """The booking code and its day from what was typed (the 12 digits, or the whole code), or None."""
    digits = text.strip().upper().removeprefix("YY")
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return f"YY{digits}", day


def not_today(day: dt.date | None) -> Problem:
    """The booking is for another day: which day, when it is known."""
    if day is None:
        return APPOINTMENT_PROBLEMS["appointment_not_today"]
    return Problem(
        f"您的预约日期是 {day.year}年{day.month}月{day.day}日，不是今天。",
        f"Your booking is for {day:%A} {day.day} {day:%B %Y}, not today.",
        "请在预约当天再来签到；今天也可以取普通号。",
        "Please check in on the day of your booking, or take an ordinary number today.",
        "appointment_not_today")


def day_of(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


class BookingCheckIn:
    """Finds the booking's service; the journey supplies ``env``, ``service``, ``go``, ``fail`` and ``call``."""

    env: Any
    service: Any
    state: str
    appointment_code: str | None
    appointment_date: dt.date | None
    go: Callable[..., None]
    fail: Callable[..., None]
    call: Callable[..., None]

    def open_code_pad(self) -> None:
        """The citizen will type the booking code from the SMS (no QR code to hand)."""
        if self.state in ("checkin", "appointment_problem"):
            self.go("code_pad")

    def type_code(self, text: str) -> None:
        """The code typed on the pad: checked like a scanned one; junk is said plainly and nothing is asked."""
        if self.state != "code_pad":
            return
        typed = typed_code(text)
        if typed is None:
            self.fail(BAD_CODE, "appointment_problem")
            return
        from devices.scanner.codes import AppointmentCode

        self.go("checkin")  # as if scanned on the check-in page
        self.on_scan(AppointmentCode(*typed))

    on_scan: Callable[[Any], None]

    def _booking_known(self, code: str | None = None, id_number: str | None = None) -> None:
        """A booking code was scanned or typed, or a card read on the check-in page: on to its service."""
        gateway: TicketGateway | None = self.env.gateway
        if self.service is not None:
            self.go("confirm")
            return
        if gateway is None or not hasattr(gateway, "find_appointment") or not self.env.online():
            self.go("choose")  # the ticket request will check the booking once a service is chosen
            return
        self.go("finding")
        self.call(lambda: gateway.find_appointment(appointment_code=code, id_number=id_number),
                  self._booking_found, lambda error: self._booking_not_found(error, by_code=code is not None))

    def _booking_found(self, found: Any) -> None:
        if self.state != "finding":
            return
        try:
            service = self.env.catalogue.service(found.service_id)
        except KeyError:
            service = None
        if service is None or not service.takes_tickets:
            log.warning("booking for a service this kiosk does not know", extra={"journey": "queue_ticket"})
            self.go("choose")
            return
        self.service = service
        self.appointment_code = found.code
        self.appointment_date = day_of(found.date)
        self.go("confirm")

    def _booking_not_found(self, error: BaseException, by_code: bool) -> None:
        if self.state != "finding":
            return
        code = error_code(error)
        if code == "appointment_not_today":
            detail = getattr(error, "detail", None)
            self.fail(not_today(day_of(detail.get("date")) if isinstance(detail, dict) else None),
                      "appointment_problem")
        elif code == "appointment_not_found" and by_code:
            self.appointment_code = None
            self.fail(APPOINTMENT_PROBLEMS[code], "appointment_problem")
        else:  # no booking under this card today, or the gateway did not answer: choose the service
            self.go("choose")

"""The tour of the queue ticket screen: every state, with a sample ticket; no network, no devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from contract.queue import Appointment, Ticket
from kiosk.journeys.base import Problem
from kiosk.journeys.booking_checkin import APPOINTMENT_PROBLEMS, not_today
from kiosk.journeys.queue_ticket import GATEWAY_BUSY
from kiosk.shell.context import Offer
from screens.queue_ticket import QueueTicketScreen


def walk_queue_ticket(screen: QueueTicketScreen) -> Iterator[str]:
    """Every state of the screen; yields each state's name once the screen shows it."""
    screen.activate()
    journey = screen.journey
    assert journey is not None
    yield "offline"  # no gateway in the tour: what a citizen sees when the queue system is away
    journey.go("choose")
    yield "choose"
    journey.open_departments()
    yield "departments"
    journey.choose_department("social-security")
    yield "services"
    journey.open_checkin()
    yield "checkin"
    journey.go("code_pad")
    screen.code_pad.set_value("20261118")
    yield "code_pad"
    journey.go("finding")
    yield "finding"
    journey.appointment_code = "YY202611180001"
    journey.service = screen.context.catalogue.service("ss-card-apply")
    journey.go("confirm")
    yield "confirm-booking"
    journey.appointment_code = None
    journey.card_age = 78
    journey.go("priority")
    yield "priority-age"
    journey.go("no_printer")
    yield "no_printer"
    journey.go("issuing")
    yield "issuing"
    journey.ticket = sample_ticket()
    journey.go("printing")
    yield "printing"
    journey.go("issued")
    yield "issued"
    journey.print_problem = Problem("号票没有打印完整，但您的号已经取好，仍然有效。",
                                    "The ticket did not print completely, but your number is valid.",
                                    "请用手机拍下下面的二维码，或记下您的号码。",
                                    "Please take a photo of the QR code below, or note your number.")
    journey.go("issued_qr")
    yield "issued_qr-print_failed"
    journey.ticket = sample_ticket(booked=True)
    journey.go("already_checked_in")
    yield "already_checked_in"
    journey.ticket = None
    journey.unavailable_offer = Offer(False, "今天已下班，明天 08:30 开始取号", "Closed now; numbers from 08:30 tomorrow",
                                      "可在“i厦门”App预约明天的号", "You can book a slot for tomorrow in the i Xiamen app")
    journey.go("unavailable")
    yield "unavailable"
    journey.fail(Problem("您的证件已于2024年05月01日过期，请到人工窗口办理。",
                         "Your card expired on 2024-05-01. Please go to a staff desk.",
                         "您也可以不放身份证，直接取普通号。", "You can also take an ordinary number without the card."),
                 "card_error")
    yield "card_error"
    journey.fail(not_today(dt.date(2026, 11, 25)), "appointment_problem")
    yield "appointment_problem"
    journey.fail(APPOINTMENT_PROBLEMS["appointment_not_found"], "appointment_problem")
    yield "appointment_problem-not_found"
    journey.fail(GATEWAY_BUSY, "gateway_error")
    yield "gateway_error"


def sample_ticket(booked: bool = False) -> Ticket:
    """A ticket as the gateway returns it, for the tour."""
    return Ticket(
        ticket_id="tour0000000001", number="A012", service_id="ss-card-apply",
        service_name_zh="社会保障卡申领", service_name_en="Social security card application",
        window_zh="B区 11–16号窗口", window_en="Zone B, windows 11–16", issued_at="2026-11-18T10:05:00+08:00",
        date="2026-11-18", priority=not booked, priority_reason=None if booked else "elderly",
        appointment=Appointment(code="YY202611180001", service_id="ss-card-apply", slot="10:00-10:30")
        if booked else None,
        people_ahead=0 if not booked else 2, estimated_wait_min=0 if not booked else 8,
        status_url="https://zwfw.xm.gov.cn/t/tour0000000001",
    )

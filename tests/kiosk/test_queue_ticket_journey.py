"""The queue-ticket journey as a plain state machine: every state and failure path, no screen."""

from __future__ import annotations

import datetime as dt

import pytest
from queue_fakes import NOW, TODAY_CODE, FakeDevices, FakeQueueGateway, GatewayRefusal, Unreachable, card

from config.catalogue import load_default_catalogue
from devices.errors import DeviceOperationError
from devices.printer.layout import QrCode, Row, Text
from devices.scanner.codes import AppointmentCode, PaymentNotice, ScanRejected
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.queue_ticket import PRIORITY_REASONS, QueueTicketJourney, age_on
from kiosk.shell.context import Offer
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import SettableClock


@pytest.fixture
def gateway():
    return FakeQueueGateway()


@pytest.fixture
def devices():
    return FakeDevices()


@pytest.fixture
def make(demo_settings, gateway, devices):
    def build(service_id: str | None = None, online: bool = True, **extras) -> QueueTicketJourney:
        catalogue = load_default_catalogue()
        env = JourneyEnv(settings=demo_settings, catalogue=catalogue, session=CitizenSession(),
                         calls=ImmediateCalls(), gateway=gateway, devices=devices, clock=SettableClock(NOW),
                         online=lambda: online, extras=extras)
        journey = QueueTicketJourney(env, catalogue.service(service_id) if service_id else None)
        journey.seen = []
        journey.subscribe(lambda j: j.seen.append(j.state))
        journey.start()
        return journey

    return build


def appointment(code: str = TODAY_CODE) -> AppointmentCode:
    return AppointmentCode(code, dt.datetime.strptime(code[2:10], "%Y%m%d").date())


def test_choosing_a_popular_service_issues_and_prints_an_ordinary_ticket(make, gateway, devices):
    journey = make()
    assert journey.state == "choose"
    popular = [s.id for s in journey.popular_services()]
    assert "ss-card-apply" in popular and all(s.takes_tickets for s in journey.popular_services())
    journey.choose_service("ss-card-apply")
    assert journey.state == "confirm"
    journey.take_number()
    assert journey.seen[-3:] == ["issuing", "printing", "issued"]
    assert journey.ticket.number == "A001" and journey.printed
    request, key = gateway.calls[0]
    assert request.priority_reason is None and request.appointment_code is None and request.id_number is None
    assert len(key) >= 16
    receipt = devices.printed[0]
    texts = [b.text for b in receipt.blocks if isinstance(b, Text)]
    rows = {b.label: b.value for b in receipt.blocks if isinstance(b, Row)}
    assert "A001" in texts
    assert "社会保障卡申领" in rows["业务 Service"] and "B区" in rows["办理窗口 Window"]
    assert rows["前面等候 Waiting ahead"] == "3 人"
    assert rows["取号时间 Issued"] == "2026-11-18 10:05:00"
    assert [b.payload for b in receipt.blocks if isinstance(b, QrCode)] == [journey.ticket.status_url]


def test_departments_list_only_ticket_services(make):
    journey = make()
    journey.open_departments()
    assert journey.state == "departments"
    ids = [d.id for d in journey.departments()]
    assert "finance" not in ids and "social-security" in ids  # finance has no window tickets
    journey.choose_department("property-archives")
    assert journey.state == "services"
    assert [s.id for s in journey.services()] == ["prop-archive-copy", "prop-mortgage", "prop-transfer"]
    journey.choose_service("prop-transfer")
    assert journey.state == "confirm" and journey.service.id == "prop-transfer"
    journey.back_to_choose()
    assert journey.state == "choose" and journey.service is None


def test_opened_from_a_service_page_goes_straight_to_confirm(make):
    journey = make("ps-id-card-renewal")
    assert journey.state == "confirm" and journey.service.id == "ps-id-card-renewal"


def test_service_not_offered_now_says_why(make):
    closed = Offer(False, "中心已下班，明天08:30开始办理", "Closed until 08:30 tomorrow", "请明天再来", "Come back tomorrow")
    journey = make(offer=lambda service: closed)
    journey.choose_service("ss-card-apply")
    assert journey.state == "unavailable" and journey.unavailable_offer is closed
    journey.take_number()  # nothing happens from here
    assert journey.state == "unavailable"


def test_gateway_unreachable_at_start_and_while_issuing(make, gateway):
    journey = make(online=False)
    assert journey.state == "offline" and "人工服务台" in journey.problem.next_zh
    journey = make()
    journey.choose_service("ss-card-apply")
    gateway.fail_next.append(Unreachable("refused"))
    journey.take_number()
    assert journey.state == "offline"
    assert journey.ticket is None


def test_gateway_error_then_retry_uses_the_same_key_and_never_a_second_ticket(make, gateway):
    journey = make()
    journey.choose_service("ss-card-apply")
    gateway.lose_answer_once = True  # the ticket is made, the answer is lost on the way
    journey.take_number()
    assert journey.state == "offline"
    journey.retry()  # from offline: start over only if online; here the kiosk is online
    journey.choose_service("ss-card-apply")
    journey.take_number()
    assert journey.state == "issued"
    keys = [key for _, key in gateway.calls]
    assert keys[0] == keys[1] and len(gateway.tickets) == 1


def test_busy_gateway_shows_retry_and_retry_keeps_the_key(make, gateway):
    journey = make()
    journey.choose_service("ss-card-apply")
    gateway.fail_next.append(GatewayRefusal(500, "internal"))
    journey.take_number()
    assert journey.state == "gateway_error" and journey.problem.code == "gateway_error"
    journey.retry()
    assert journey.state == "issued"
    assert gateway.calls[0][1] == gateway.calls[1][1]


def test_queue_full_is_explained(make, gateway):
    journey = make()
    journey.choose_service("ss-card-apply")
    gateway.fail_next.append(GatewayRefusal(409, "queue_full"))
    journey.take_number()
    assert journey.state == "appointment_problem" and journey.problem.code == "queue_full"


def test_elderly_card_is_offered_the_green_channel_and_must_choose(make, gateway):
    journey = make()
    journey.on_card(card("elderly"))
    assert journey.card_age == 78 and journey.priority_because == "age" and journey.state == "choose"
    assert journey.env.session.card is not None
    journey.choose_service("ss-card-apply")
    journey.take_number()
    assert journey.state == "priority" and not gateway.calls  # never silently
    assert journey.priority_reasons == PRIORITY_REASONS
    journey.choose_priority("elderly")
    assert journey.state == "issued"
    request, _ = gateway.calls[0]
    assert request.priority_reason == "elderly" and request.id_number == "350203194803120021"
    assert any("绿色通道" in b.text for b in journey.receipt().blocks if isinstance(b, Text))


def test_elderly_citizen_may_decline_the_green_channel(make, gateway):
    journey = make("ss-card-apply")
    journey.on_card(card("elderly"))
    journey.take_number()
    journey.choose_priority(None)
    assert journey.state == "issued" and gateway.calls[0][0].priority_reason is None


def test_unknown_priority_reason_is_refused(make):
    journey = make("ss-card-apply")
    journey.on_card(card("elderly"))
    journey.take_number()
    with pytest.raises(ValueError, match="priority reason"):
        journey.choose_priority("vip")
    assert journey.state == "priority"


def test_age_threshold_uses_the_kiosk_clock(make):
    journey = make("ss-card-apply")
    journey.on_card(card("sixty_five_tomorrow"))
    assert journey.card_age == 64 and journey.priority_because == ""
    journey.take_number()
    assert journey.state == "issued"
    assert age_on(dt.date(1961, 11, 19), dt.date(2026, 11, 19)) == 65


def test_young_card_gets_no_offer(make):
    journey = make("ss-card-apply")
    journey.on_card(card("young"))
    journey.take_number()
    assert "priority" not in journey.seen and journey.state == "issued"


def test_scanned_booking_checks_in_with_an_offer(make, gateway):
    journey = make()
    journey.open_checkin()
    assert journey.state == "checkin"
    journey.on_scan(appointment())
    assert journey.state == "choose" and journey.appointment_code == TODAY_CODE
    journey.choose_service("ss-card-apply")
    journey.take_number()
    assert journey.state == "priority" and journey.priority_because == "appointment"
    journey.choose_priority(None)
    assert journey.state == "issued"
    assert journey.ticket.appointment.code == TODAY_CODE
    texts = [b.text for b in journey.receipt().blocks if isinstance(b, Text)]
    assert any("预约签到" in t for t in texts)
    assert not any("绿色通道" in t for t in texts)  # declined: a booking is called early, but is no green channel


def test_booking_for_another_service_switches_after_asking(make, gateway):
    journey = make("prop-transfer")
    journey.on_scan(appointment())
    journey.take_number()
    journey.choose_priority(None)
    assert journey.state == "confirm" and journey.service.id == "ss-card-apply"
    assert journey.redirected_from.id == "prop-transfer" and not gateway.tickets
    journey.take_number()
    assert journey.state == "issued" and journey.ticket.appointment is not None


def test_booking_problems(make, gateway):
    journey = make()
    journey.on_scan(appointment("YY202611170001"))
    assert journey.state == "appointment_problem" and journey.problem.code == "appointment_not_today"
    journey.forget_appointment()
    assert journey.state == "choose"
    journey.on_scan(appointment(f"YY{NOW:%Y%m%d}0099"))
    journey.choose_service("ss-card-apply")
    journey.take_number()
    journey.choose_priority(None)
    assert journey.state == "appointment_problem" and journey.problem.code == "appointment_not_found"
    journey.forget_appointment()
    assert journey.state == "confirm" and journey.appointment_code is None
    journey.on_scan(PaymentNotice("3502002611000001"))
    assert journey.state == "appointment_problem" and journey.problem.code == "not_appointment"
    journey.on_scan(ScanRejected("foreign_url", "other site"))
    assert journey.problem.code == "scan_rejected" and journey.problem.what_zh.startswith("无法识别")


def test_booking_already_checked_in_shows_the_same_ticket(make, gateway, devices):
    first = make("ss-card-apply")
    first.on_scan(appointment())
    first.take_number()
    first.choose_priority(None)
    assert first.state == "issued"
    gateway.now = lambda: NOW  # issued at NOW; the second kiosk asks ten minutes later
    second = make("ss-card-apply")
    second.env.clock.advance(minutes=10)
    second.on_scan(appointment())
    second.take_number()
    second.choose_priority(None)
    assert second.state == "already_checked_in"
    assert second.ticket.ticket_id == first.ticket.ticket_id and len(gateway.tickets) == 1
    assert len(devices.printed) == 1
    second.print_again()
    assert second.state == "issued" and len(devices.printed) == 2


def test_booking_found_by_id_card(make, gateway):
    journey = make()
    journey.open_checkin()
    journey.on_card(card("appointment"))
    assert journey.state == "choose" and journey.card_note
    journey.choose_service("ss-card-apply")
    journey.take_number()
    journey.choose_priority(None)  # 71 years old: offered, declined
    assert journey.ticket.appointment is not None
    assert gateway.calls[0][0].id_number == "350203195509200041"


def test_card_refused_and_card_read_error_use_the_device_words(make):
    journey = make()
    journey.open_checkin()
    journey.on_card(card("elderly", valid_to=dt.date(2024, 5, 1)))
    assert journey.state == "card_error" and "过期" in journey.problem.what_zh
    assert journey.env.session.card is None and journey.card_age is None
    journey.on_card_error(DeviceOperationError("crc", device="idcard", citizen_zh="读卡失败，请重新放置",
                                               citizen_en="Could not read the card"))
    assert journey.state == "card_error" and journey.problem.what_zh == "读卡失败，请重新放置"
    journey.on_card(card("young"))
    assert journey.state == "choose"


def test_printer_down_is_said_before_issuing_and_the_ticket_is_a_qr(make, gateway, devices):
    devices.printable = False
    journey = make("ss-card-apply")
    journey.take_number()
    assert journey.state == "no_printer" and not gateway.calls
    journey.accept_qr_ticket()
    assert journey.state == "issued_qr" and journey.print_problem is None
    assert journey.ticket.status_url.startswith("https://") and not devices.printed


def test_printer_fails_mid_print_ticket_stays_valid(make, gateway, devices):
    devices.fail_print = DeviceOperationError("paper out during job", device="printer")
    journey = make("ss-card-apply")
    journey.take_number()
    assert journey.state == "issued_qr" and journey.print_problem.code == "print_failed"
    assert journey.ticket is not None and len(gateway.tickets) == 1


def test_hub_failing_the_job_after_it_started(make, gateway, devices):
    journey = make("ss-card-apply")
    devices.hold = True
    journey.take_number()
    assert journey.state == "printing"
    devices.fail_print = RuntimeError("hub closed")
    devices.release()
    assert journey.state == "issued_qr"


def test_cancel_forgets_personal_data_and_ignores_late_results(make, devices):
    journey = make("ss-card-apply")
    journey.on_card(card("elderly"))
    devices.hold = True
    journey.take_number()
    journey.choose_priority("elderly")
    assert journey.state == "printing"
    journey.cancel()
    devices.release()
    assert journey.state == "printing"  # the late callback changed nothing
    assert journey.id_number is None and journey.card_age is None and journey.ticket is None


def test_devices_ignored_once_the_ticket_is_issued(make):
    journey = make("ss-card-apply")
    journey.take_number()
    journey.on_card(card("elderly"))
    journey.on_scan(appointment())
    journey.on_card_error(DeviceOperationError("x"))
    assert journey.state == "issued" and journey.card_age is None


def test_back_steps_inside_the_journey(make):
    journey = make()
    assert not journey.step_back()
    journey.open_departments()
    journey.choose_department("social-security")
    journey.choose_service("ss-maternity")
    assert journey.step_back() and journey.state == "services" and journey.service is None
    assert journey.step_back() and journey.state == "departments"
    assert journey.step_back() and journey.state == "choose"
    journey.open_checkin()
    assert journey.step_back() and journey.state == "choose"
    journey.on_card_error(DeviceOperationError("x"))
    assert journey.step_back() and journey.state == "choose"
    journey.on_card(card("elderly"))
    journey.choose_service("ss-card-apply")
    journey.take_number()
    assert journey.state == "priority"
    assert journey.step_back() and journey.state == "confirm"
    journey.take_number()
    journey.choose_priority(None)
    assert journey.state == "issued" and not journey.step_back()


def test_dismissing_problems(make):
    closed = Offer(False, "已下班", "Closed")
    journey = make(offer=lambda service: closed)
    journey.choose_service("ss-card-apply")
    journey.dismiss()
    assert journey.state == "choose" and journey.service is None
    journey = make("ss-card-apply")
    journey.on_card_error(DeviceOperationError("x"))
    journey.dismiss()
    assert journey.state == "confirm"

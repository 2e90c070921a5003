"""The 24-hour zone out of hall hours: a next step never sends the citizen to a counter that is closed; it says
when the counters open, the hotline and the online service instead. Fixed clocks: 02:00 and 10:00 on a Monday."""

from __future__ import annotations

import datetime as dt

import pytest
from payment_fakes import OVERDUE, FakePayments, FakePrinterHub

from config.calendar import load_calendar
from config.catalogue import load_default_catalogue
from kiosk.hall.closed_counters import closed_counters, names_a_counter
from kiosk.journeys.base import Journey, JourneyEnv, Problem
from kiosk.journeys.payment import FeePaymentJourney
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import HALL_ZONE, SettableClock

NIGHT = dt.datetime(2026, 12, 7, 2, 0, tzinfo=HALL_ZONE)  # a Monday, 02:00
MORNING = dt.datetime(2026, 12, 7, 10, 0, tzinfo=HALL_ZONE)
CALENDAR = load_calendar()


def closed(zone: str, at: dt.datetime):
    return closed_counters(CALENDAR, zone, at, "12345", "zwfw.xm.gov.cn")


def test_at_two_in_the_morning_the_24_hour_zone_says_when_the_counters_open():
    counters = closed("24h", NIGHT)
    assert counters is not None
    instead = counters.instead()
    assert instead.zh == ("大厅服务窗口现已关闭，今天 08:30 开放。现在可拨打服务热线 12345，"
                          "或用手机访问 zwfw.xm.gov.cn 在线办理。")
    assert "08:30 today" in instead.en and "12345" in instead.en


def test_at_ten_or_inside_the_hall_nothing_changes():
    assert closed("24h", MORNING) is None
    assert closed("hall", NIGHT) is None
    assert closed_counters(None, "24h", NIGHT, "12345", "x") is None  # no calendar: sentences as written


@pytest.mark.parametrize("zh, en, counter", [
    ("请到财政窗口缴费。", "Please pay at the finance window.", True),
    ("人工服务台可以为您查询。", "The staff desk can look this up for you.", True),
    ("请稍后再试。", "Please try again later.", False),
    ("把二维码对准扫码窗口", "Hold the code to the scanner", False),  # the scanner's window is no counter
    ("如需帮助，请点击“呼叫工作人员”。", "If you need help, tap “Call staff”.", False),  # the button works at night
    ("", "Ask at the counter", True),
])
def test_what_names_a_counter(zh, en, counter):
    assert names_a_counter(zh, en) is counter


def env_at(demo_settings, at: dt.datetime, zone: str = "24h", online: bool = True, gateway=None) -> JourneyEnv:
    clock = SettableClock(at)
    return JourneyEnv(settings=demo_settings, catalogue=load_default_catalogue(), session=CitizenSession(),
                      calls=ImmediateCalls(), gateway=gateway or FakePayments(), devices=FakePrinterHub(),
                      clock=clock, online=lambda: online,
                      closed_counters=lambda: closed(zone, clock.now()))


@pytest.mark.parametrize("at, rewritten", [(NIGHT, True), (MORNING, False)])
def test_payment_refusals_and_offline_page(demo_settings, at, rewritten):
    journey = FeePaymentJourney(env_at(demo_settings, at))
    journey.retry_pause_s = 0
    journey.start()
    journey.look_up(OVERDUE)
    assert journey.state == "not_payable"
    offline = FeePaymentJourney(env_at(demo_settings, at, online=False))
    offline.start()
    assert offline.state == "offline"
    for problem in (journey.problem, offline.problem):
        if rewritten:
            assert problem.next_zh.startswith("大厅服务窗口现已关闭，今天 08:30 开放")
            assert "finance window" not in problem.next_en and "08:30 today" in problem.next_en
        else:
            assert "财政窗口" in problem.next_zh + problem.what_zh


def test_every_problem_a_journey_shows_is_worded_for_the_hour(demo_settings):
    journey = Journey(env_at(demo_settings, NIGHT))
    journey.go("failed", Problem("证件已过期，请到人工窗口办理。", "Expired card: please go to the staff desk.",
                                 code="expired"))
    assert "今天 08:30 开放" in journey.problem.next_zh and journey.problem.code == "expired"
    journey.go("failed", Problem("网络中断。", "Offline.", "请稍后再试。", "Please try again later."))
    assert journey.problem.next_zh == "请稍后再试。"  # nothing about a counter: left alone
    journey.env.closed_counters = lambda: 1 / 0  # a broken calendar never breaks the page
    journey.go("failed", Problem("证件已过期。", "Expired.", "请到人工窗口办理。", "Go to the staff desk."))
    assert journey.problem.next_zh == "请到人工窗口办理。"


def test_a_hall_kiosk_at_night_keeps_its_words(demo_settings):
    journey = Journey(env_at(demo_settings, NIGHT, zone="hall"))
    journey.go("failed", Problem("x", "x", "请到财政窗口缴费。", "Pay at the finance window."))
    assert journey.problem.next_zh == "请到财政窗口缴费。"

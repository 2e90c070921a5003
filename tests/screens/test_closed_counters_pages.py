"""A 24-hour zone kiosk's pages at 02:00 send nobody to a closed counter (opening time, hotline, online instead);
at 10:00 they read as written. Both languages and elderly mode; the pages are saved as PNGs for a look."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kiosk"))  # the shared fakes live beside the journey tests
from payment_fakes import OVERDUE, FakePayments, FakePrinterHub  # noqa: E402

from config.calendar import load_calendar  # noqa: E402
from config.local import demo_settings  # noqa: E402
from kiosk.hall.availability import AvailabilityEngine  # noqa: E402
from kiosk.hall.guide_library import GuideView  # noqa: E402
from kiosk.journeys.payment import FeePaymentJourney  # noqa: E402
from kiosk.shell import i18n  # noqa: E402
from kiosk.shell.context import Offer  # noqa: E402
from kiosk.system.clock import HALL_ZONE, SettableClock  # noqa: E402
from screens.guide import sample_guide  # noqa: E402
from screens.open_counters import next_step  # noqa: E402

NIGHT = dt.datetime(2026, 12, 7, 2, 0, tzinfo=HALL_ZONE)  # a Monday
MORNING = dt.datetime(2026, 12, 7, 10, 0, tzinfo=HALL_ZONE)
SHOTS = os.environ.get("KIOSK_COUNTER_SHOTS")  # a folder to save the pages in, to look at them


@pytest.fixture(params=["zh", "en", "elderly"])
def night_zone(request, qtbot, tmp_path, monkeypatch):
    from kiosk.app.runtime import build_runtime

    monkeypatch.setattr(FeePaymentJourney, "retry_pause_s", 0)
    runtime = build_runtime(demo_settings(tmp_path, "24h"), kiosk_mode=False, start_hooks=[])
    qtbot.addWidget(runtime.window)
    runtime.window.show()
    qtbot.waitExposed(runtime.window)
    services = runtime.context.services
    services.clock = SettableClock(NIGHT)
    services.availability = AvailabilityEngine(load_calendar())
    services.gateway, services.devices = FakePayments(), FakePrinterHub()
    if request.param == "en":
        i18n.set_language("en")
    elif request.param == "elderly":
        runtime.context.set_elderly(True)
    yield runtime, request.param
    runtime.stop()
    runtime.context.close()
    i18n.set_language("zh")


def texts(widget) -> str:
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def shot(runtime, name: str, variant: str) -> None:
    if SHOTS:
        runtime.window.grab().save(str(Path(SHOTS) / f"{name}--{variant}.png"))


def test_the_unavailable_page_at_night_and_at_ten(night_zone):
    runtime, variant = night_zone
    offer = Offer(False, "网络中断，暂时无法缴费", "Payment is unavailable while the kiosk is offline",
                  "可使用手机“闽政通”App缴费，或前往财政窗口", "Pay with the Minzhengtong app, or at the finance window")
    runtime.window.go("unavailable", offer=offer)
    screen = runtime.window.screen_named("unavailable")
    words = texts(screen)
    shot(runtime, "unavailable-0200", variant)
    assert "财政窗口" not in words and "finance window" not in words and "工作人员" not in words
    assert ("今天 08:30 开放" in words) or ("08:30 today" in words)
    runtime.context.services.clock.set(MORNING)
    screen.refresh()
    words = texts(screen)
    assert ("财政窗口" in words) or ("finance window" in words)


def test_a_notice_for_the_finance_window_at_night(night_zone, qtbot):
    runtime, variant = night_zone
    runtime.window.go("payment", service_id="fin-non-tax-payment")
    screen = runtime.window.screen_named("payment")
    screen.journey.look_up(OVERDUE)
    qtbot.waitUntil(lambda: screen.journey.state == "not_payable", timeout=3000)
    shot(runtime, "payment-not-payable-0200", variant)
    assert screen.message_title.text() in ("不能在自助终端缴纳", "Cannot be paid at a kiosk")
    assert ("今天 08:30 开放" in screen.message_next.text()) or ("08:30 today" in screen.message_next.text())


def test_a_guide_at_night_says_the_counters_are_closed(night_zone, qtbot):
    runtime, variant = night_zone
    runtime.window.go("guide")
    screen = runtime.window.screen_named("guide")
    journey = screen.journey
    journey.view = GuideView(sample_guide(), age_s=None)
    journey.service = journey.env.catalogue.service("ss-card-apply")
    journey.go("guide")
    note = screen.guide_scroll.closed_note
    shot(runtime, "guide-0200", variant)
    assert note.isVisibleTo(screen) and (("08:30" in note.text()) and ("12345" in note.text()))
    runtime.context.services.clock.set(MORNING)
    journey.go("guide")
    assert not note.isVisibleTo(screen)


def test_the_lookup_pages_sentences(night_zone):
    runtime, _variant = night_zone
    context = runtime.context
    night = next_step(context, "如有疑问，请到人工服务台咨询。")
    assert "08:30" in night and "12345" in night
    context.services.clock.set(MORNING)
    assert next_step(context, "如有疑问，请到人工服务台咨询。") == i18n._("如有疑问，请到人工服务台咨询。")

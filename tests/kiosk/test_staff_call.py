"""呼叫工作人员 at the kiosk: the footer's button on every page, someone coming in hours, the hotline out of
hours, one call however often it is pressed, kept in the outbox while offline and shown on the
gateway's console once delivered."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from config.calendar import load_calendar
from config.local import parse_settings
from gateway.app import create_app
from gateway.fleet_pages import KioskQuery
from gateway.fleet_pages import page as kiosk_page
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from kiosk.gateway_client.client import GatewayClient
from kiosk.hall.staff_call import Answer, StaffCall
from kiosk.shell import i18n
from kiosk.system.clock import SettableClock
from offline_cache.outbox import Outbox
from offline_cache.store import open_store
from offline_cache.sync import SyncWorker

XIAMEN = ZoneInfo("Asia/Shanghai")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=XIAMEN)  # the hall is open
TUESDAY_23 = datetime(2026, 11, 24, 23, 0, tzinfo=XIAMEN)  # closed: nobody on duty
SETTINGS = parse_settings('[kiosk]\nid = "XM-HALL-001"\nlocation = "一楼A区 3号机"\nhotline = "0592-12345"\n')


@pytest.fixture
def outbox(tmp_path):
    store = open_store(tmp_path)
    yield Outbox(store)
    store.close()


class Ticks:
    def __init__(self) -> None:
        self.value = 0.0

    def __call__(self) -> float:
        return self.value


def test_in_hours_a_call_is_kept_in_the_outbox_and_someone_is_coming(outbox):
    woken = []
    staff = StaffCall(SETTINGS, load_calendar(), outbox, lambda: TUESDAY_10, wake=lambda: woken.append(1))
    outcome = staff.call("payment")
    assert outcome.answer is Answer.COMING and woken == [1]
    [entry] = outbox.entries()
    assert entry.kind == "event" and entry.payload["event"] == "staff_called"
    assert entry.payload["attributes"]["location"] == "一楼A区 3号机" and entry.payload["attributes"]["page"] == "payment"
    zh, en = outcome.wording()
    assert "马上就到" in zh and "on the way" in en


def test_out_of_hours_the_hotline_and_no_call_nobody_would_answer(outbox):
    outcome = StaffCall(SETTINGS, load_calendar(), outbox, lambda: TUESDAY_23).call("home")
    assert outcome.answer is Answer.HOTLINE and outbox.entries() == []
    zh, en = outcome.wording()
    assert "0592-12345" in zh and "0592-12345" in en and "工作人员" in zh


def test_a_flood_of_presses_is_one_call_until_the_repeat_time_or_the_next_citizen(outbox):
    ticks = Ticks()
    staff = StaffCall(SETTINGS, load_calendar(), outbox, lambda: TUESDAY_10, monotonic=ticks)
    answers = [staff.call("home").answer for _ in range(50)]
    assert answers[0] is Answer.COMING and set(answers[1:]) == {Answer.ALREADY}
    assert len(outbox.entries()) == 1
    ticks.value = 121
    assert staff.call("home").answer is Answer.COMING and len(outbox.entries()) == 2
    staff.forget()  # the next citizen
    assert staff.call("home").answer is Answer.COMING and len(outbox.entries()) == 3


def test_a_hostile_page_name_is_cut_to_a_plain_name(outbox):
    staff = StaffCall(SETTINGS, load_calendar(), outbox, lambda: TUESDAY_10)
    staff.call("<script>alert(1)</script>" * 10)
    page = outbox.entries()[0].payload["attributes"]["page"]
    assert page.isalnum() and len(page) <= 40


def test_without_an_outbox_the_citizen_is_given_the_hotline_not_a_false_promise():
    outcome = StaffCall(SETTINGS, load_calendar(), None, lambda: TUESDAY_10).call("home")
    assert outcome.answer is Answer.HOTLINE


def test_a_call_made_offline_reaches_the_console_when_the_gateway_answers(outbox, tmp_path):
    StaffCall(SETTINGS, load_calendar(), outbox, lambda: TUESDAY_10).call("lookup_social")
    settings = GatewaySettings(db_path=tmp_path / "gateway.sqlite3", demo=True, rate_per_s=1000, rate_burst=1000)
    app = create_app(settings)
    server = GatewayThread(app)
    with server:
        client = GatewayClient(server.url, "XM-HALL-001", "demo-hall-001-secret")
        try:
            report = SyncWorker(outbox, client.post_outbox_entry).drain_once()
            assert report.acknowledged == 1
            with app.state.gateway.db.read() as conn:
                listed = kiosk_page(conn, KioskQuery(search="XM-HALL-001"), settings.now())["kiosks"]
                row = next(k for k in listed if k["kiosk_id"] == "XM-HALL-001")
            [alert] = [a for a in row["alerts"] if a["code"] == "staff_called"]
            assert "一楼A区 3号机" in alert["zh"]
        finally:
            client.close()


@pytest.mark.parametrize("language, elderly", [("zh", False), ("en", False), ("zh", True)])
def test_the_footer_button_on_every_page_calls_staff(kiosk, outbox, qtbot, language, elderly):
    kiosk.context.services.clock = SettableClock(TUESDAY_10)
    kiosk.context.services.outbox = outbox
    kiosk.context.set_language(language)
    kiosk.context.set_elderly(elderly)
    window = kiosk.window
    for page in ("home", "payment"):
        window.show_screen(page)
        assert window.footer.staff.isVisible()
        assert window.footer.staff.text() == ("Call staff" if language == "en" else "呼叫工作人员")
    qtbot.mouseClick(window.footer.staff, i18n_left())
    notice = window.staff_call
    assert notice.isVisible() and notice.outcome.answer is Answer.COMING
    assert notice.message.text() == notice.outcome.wording()[1 if language == "en" else 0]
    assert outbox.entries()[0].payload["attributes"]["page"] == "payment"
    qtbot.mouseClick(notice.close_button, i18n_left())
    assert not notice.isVisible()
    kiosk.context.services.clock.set(TUESDAY_23)
    kiosk.context.sessions.end("home")  # the next citizen: a new call
    qtbot.mouseClick(window.footer.staff, i18n_left())
    assert notice.outcome.answer is Answer.HOTLINE and "0592" not in notice.message.text()  # the demo's hotline
    assert kiosk.context.settings.kiosk.hotline in notice.message.text()
    i18n.set_language("zh")


def i18n_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton

"""A bundle's maintenance windows put the kiosk out of service on time, between citizens, and back."""

from __future__ import annotations

from datetime import datetime

import pytest

from config.errors import ConfigError
from config.remote import parse_bundle_files
from kiosk.hall.planned_maintenance import MAX_WAIT_MS, PlannedMaintenance
from kiosk.system.clock import HALL_ZONE, SettableClock

MAINTENANCE = """
[[windows]]
id = "system-upgrade"
from = 2026-11-25T18:00:00+08:00
until = 2026-11-25T20:00:00+08:00
text_zh = "系统升级"
text_en = "System upgrade"
"""


def at(hour: int, minute: int = 0, second: int = 0, day: int = 25) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=HALL_ZONE)


@pytest.fixture
def hall(kiosk):
    """The demo kiosk at 17:58 with the bundle's maintenance windows followed."""
    kiosk.clock = SettableClock(at(17, 58))
    kiosk.context.services.clock = kiosk.clock
    kiosk.planned = PlannedMaintenance(kiosk.context, parent=kiosk.window)
    return kiosk


def put_in_force(kiosk, text: str = MAINTENANCE) -> None:
    kiosk.context.set_remote_config(parse_bundle_files({"maintenance.toml": text}))


def test_maintenance_files_are_checked_like_every_bundle_file():
    config = parse_bundle_files({"maintenance.toml": MAINTENANCE})
    assert config.maintenance_at(at(17, 59, 59)) is None
    assert config.maintenance_at(at(18)).id == "system-upgrade"
    assert config.maintenance_at(at(20)) is None  # until is exclusive
    assert config.next_maintenance_edge(at(17, 58)) == at(18) and config.next_maintenance_edge(at(19)) == at(20)
    plain = parse_bundle_files({"maintenance.toml": '[[windows]]\nid = "a"\nfrom = 2026-11-25T18:00:00+08:00\n'
                                                    'until = 2026-11-25T19:00:00+08:00\n'})
    assert plain.maintenance[0].text_zh == "系统维护" and plain.maintenance[0].text_en == "System maintenance"

    bad = {
        "until before from": MAINTENANCE.replace("20:00:00", "17:00:00"),
        "longer than three days": MAINTENANCE.replace("2026-11-25T20", "2026-11-29T20"),
        "no offset": MAINTENANCE.replace("T18:00:00+08:00", "T18:00:00"),
        "a key of its own": MAINTENANCE + 'pause = "printer"\n',
        "the same id twice": MAINTENANCE + MAINTENANCE.replace("18:00", "21:00").replace("20:00", "22:00"),
    }
    for what, text in bad.items():
        with pytest.raises(ConfigError) as caught:
            parse_bundle_files({"maintenance.toml": text})
        assert "maintenance.toml" in caught.value.describe(), what
    with pytest.raises(ConfigError, match="closures belong in the calendar"):
        parse_bundle_files({"maintenance.toml": bad["longer than three days"]})


def test_the_kiosk_goes_out_of_service_at_the_start_and_comes_back_at_the_end(hall):
    context, window = hall.context, hall.window
    put_in_force(hall)
    assert not context.maintenance and window.current_name == "home"
    # the next check is set for the window's start (or a minute, whichever comes first)
    assert hall.planned._next.isActive() and hall.planned._next.interval() == MAX_WAIT_MS

    hall.clock.set(at(18, 0, 1))
    hall.planned._next.timeout.emit()
    assert context.maintenance and context.planned_maintenance.id == "system-upgrade"
    assert window.current_name == "out_of_service"
    screen = window.screen_named("out_of_service")
    assert screen.explain.text() == "系统升级，预计今天 20:00 恢复服务"
    window.go("queue_ticket")  # nothing but the out-of-service screen for citizens
    assert window.current_name == "out_of_service"
    assert 0 < hall.planned._next.interval() <= MAX_WAIT_MS

    hall.clock.set(at(20, 0, 1))
    hall.planned._next.timeout.emit()
    assert not context.maintenance and context.planned_maintenance is None
    assert window.current_name == "home" and not hall.planned._next.isActive()


def test_a_citizen_being_served_finishes_first(hall):
    context, window = hall.context, hall.window
    put_in_force(hall)
    window.go("queue_ticket")
    assert context.sessions.current is not None  # a citizen is taking a number
    hall.clock.set(at(18, 0, 5))
    hall.planned.check()
    assert not context.maintenance and window.current_name == "queue_ticket"
    context.sessions.end("finish")
    assert context.maintenance and window.current_name == "out_of_service"


def test_the_technicians_own_maintenance_mode_outlasts_the_window(hall):
    context, window = hall.context, hall.window
    put_in_force(hall)
    hall.clock.set(at(19))
    hall.planned.check()
    assert window.screen_named("out_of_service").explain.text().startswith("系统升级")
    context.set_maintenance(True)  # a technician is changing the printer meanwhile
    assert window.screen_named("out_of_service").explain.text() == "设备正在维护，给您带来不便，敬请谅解。"
    hall.clock.set(at(20, 1))
    hall.planned.check()
    assert context.planned_maintenance is None and context.maintenance
    assert window.current_name == "out_of_service"
    context.set_maintenance(False)
    assert window.current_name == "home"


def test_a_bundle_without_the_window_ends_it_and_english_says_when_service_resumes(hall):
    from kiosk.shell import i18n

    context, window = hall.context, hall.window
    hall.clock.set(at(19))
    put_in_force(hall, MAINTENANCE.replace("2026-11-25T20", "2026-11-26T08"))
    context.set_language("en")
    try:
        window.go("out_of_service")
        assert window.screen_named("out_of_service").explain.text() == "System upgrade: expected back at 08:00 tomorrow"
    finally:
        i18n.set_language("zh")
    context.set_remote_config(None)  # the admins took it out of the next bundle
    assert not context.maintenance and window.current_name == "home"

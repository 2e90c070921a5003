"""The demo controller drives the simulators that the real drivers behind the hub talk to."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from devices import simulators
from devices.printer import layout
from kiosk.hardware.demo_devices import DemoDevices
from kiosk.hardware.device_hub import DeviceHub
from kiosk.shell.services import KioskServices


@pytest.fixture
def demo(qtbot, tmp_path):
    simulators.stop_all()
    hub = DeviceHub(
        "sim://idcard", "sim://printer", "sim://scanner", "80mm", "hall.example.org", tmp_path,
        today=lambda: dt.date(2026, 11, 25), device_settings={"poll_interval": 0.02, "status_interval": 0.05},
    )  # fmt: skip
    states = []
    hub.device_state_changed.connect(lambda n, s: states.append((n, s)))
    hub.start()
    qtbot.waitUntil(
        lambda: (
            {n for n, s in states if s == "idle"} >= {"idcard", "printer", "scanner"}
            and all(hub.device(n) for n in ("idcard", "printer", "scanner"))
        ),
        timeout=5000,
    )
    context = SimpleNamespace(
        services=KioskServices(devices=hub),
        settings=SimpleNamespace(kiosk=SimpleNamespace(center_domain="hall.example.org")),
    )
    yield DemoDevices(context, today=lambda: dt.date(2026, 11, 25)), hub
    hub.close()
    simulators.stop_all()


def test_place_card_and_scan_sample_reach_the_hub(qtbot, demo) -> None:
    controller, hub = demo
    hub.arm_card_reader()
    assert [k for k, _ in controller.citizens()][:2] == ["elderly", "young"]
    with qtbot.waitSignal(hub.card_placed, timeout=3000) as placed:
        assert controller.place_card("appointment")
    assert placed.args[0].name == "黄美玲" and controller.card_on_reader() == "appointment"
    with qtbot.waitSignal(hub.card_removed, timeout=3000):
        controller.lift_card()
    codes = controller.scan_samples()
    assert codes["预约链接 appointment URL"] == "https://hall.example.org/appt/YY202611250001"
    with qtbot.waitSignal(hub.code_scanned, timeout=3000) as scanned:
        controller.scan(codes["预约链接 appointment URL"])
    assert scanned.args[0].code == "YY202611250001"
    assert not controller.place_card("nobody")


def test_printer_controls_and_receipt_picture(qtbot, demo) -> None:
    controller, hub = demo
    qtbot.waitUntil(hub.can_print, timeout=3000)
    assert controller.last_receipt_png() is None and controller.receipts_printed() == 0
    with qtbot.waitSignal(hub.print_finished, timeout=5000) as finished:
        hub.print_receipt(
            layout.printer_test_page(hub.device("printer").profile, now=dt.datetime(2026, 11, 25))
        )
    assert finished.args[0].printed and controller.receipts_printed() == 1
    assert controller.last_receipt_png().startswith(b"\x89PNG")
    with qtbot.waitSignal(hub.printer_status_changed, timeout=3000) as changed:
        controller.open_cover()
    assert changed.args[0] == "cover_open" and "cover open" in controller.paper_state()
    controller.close_cover()
    controller.paper_out()
    qtbot.waitUntil(lambda: not hub.can_print(), timeout=3000)
    controller.refill_paper()
    qtbot.waitUntil(hub.can_print, timeout=3000)


def test_unplug_and_replug(qtbot, demo) -> None:
    controller, hub = demo
    assert controller.plugged("printer") is True
    with qtbot.waitSignal(
        hub.device_state_changed, timeout=3000, check_params_cb=lambda n, s: (n, s) == ("printer", "offline")
    ):
        controller.unplug("printer")
    assert controller.plugged("printer") is False
    controller.replug("printer")
    qtbot.waitUntil(hub.can_print, timeout=3000)


def test_without_simulators_every_action_says_no(tmp_path) -> None:
    simulators.stop_all()
    controller = DemoDevices(None)
    assert controller.plugged("idcard") is None and not controller.place_card("young")
    assert not controller.scan("x") and not controller.paper_out() and not controller.unplug("scanner")
    assert controller.last_receipt_png() is None and controller.paper_state() == "—"


def test_a4_printer_faults_reach_the_hub_and_the_last_page_is_a_picture(qtbot, tmp_path) -> None:
    simulators.stop_all()
    hub = DeviceHub(None, None, None, "80mm", "hall.example.org", tmp_path, a4printer_url="sim://a4printer",
                    device_settings={"status_interval": 0.05, "poll_interval": 0.05})
    events = []
    hub.a4printer_status_changed.connect(lambda kind, status: events.append(kind))
    hub.start()
    try:
        qtbot.waitUntil(hub.can_print_a4, timeout=5000)
        controller = DemoDevices(SimpleNamespace(services=KioskServices(devices=hub)))
        assert controller.a4("a4_paper_out")
        qtbot.waitUntil(lambda: not hub.can_print_a4() and "paper_out" in events, timeout=5000)
        assert "media-empty" in controller.a4_state()
        assert controller.a4("a4_load_paper") and controller.a4("a4_open_door")
        qtbot.waitUntil(lambda: "cover_open" in events, timeout=5000)
        assert controller.a4("a4_close_door") and controller.a4_toner_low(True)
        qtbot.waitUntil(lambda: hub.can_print_a4() and "toner-low" in hub.a4_summary(), timeout=5000)
        assert not controller.a4("no_such_fault")

        from devices.a4printer.test_page import a4_test_page

        outcomes, progress = [], []
        hub.print_certificate(a4_test_page(kiosk="XM-HALL-001", printer="sim", now=dt.datetime(2026, 12, 5)),
                              pages=1, name="test", on_progress=lambda d, t: progress.append((d, t)),
                              callback=outcomes.append)
        qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
        assert outcomes[0].printed and progress[-1] == (1, 1)
        assert controller.a4_pages_printed() == 1
        png = controller.last_a4_page_png()
        assert png is None or png.startswith(b"\x89PNG")  # None where poppler is not installed
    finally:
        hub.close()
        simulators.stop_all()

"""The device hub: sim:// devices opened off the GUI thread, events as Qt signals, non-blocking printing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from devices import simulators
from devices.printer import layout
from kiosk.hardware.device_hub import DeviceHub
from kiosk.hardware.print_outcome import PrintOutcome

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def hub(qtbot, tmp_path):
    simulators.stop_all()
    hub = DeviceHub(
        "sim://idcard", "sim://printer", "sim://scanner", "58mm", "zwfw.xm.gov.cn", tmp_path,
        today=lambda: TODAY, device_settings={"poll_interval": 0.02, "status_interval": 0.05},
    )  # fmt: skip
    ready = []
    hub.device_state_changed.connect(lambda name, state: ready.append((name, state)))
    hub.start()
    qtbot.waitUntil(
        lambda: (
            {n for n, s in ready if s == "idle"} >= {"idcard", "printer", "scanner"}
            and all(hub.device(n) for n in ("idcard", "printer", "scanner"))
        ),
        timeout=5000,
    )
    yield hub
    hub.close()
    simulators.stop_all()


def test_card_placed_on_the_gui_thread_and_removed(qtbot, hub) -> None:
    threads = []
    hub.card_placed.connect(lambda card: threads.append(threading.current_thread()))
    hub.arm_card_reader()
    with qtbot.waitSignal(hub.card_placed, timeout=3000) as placed:
        simulators.running("idcard").place("elderly")
    assert placed.args[0].name == "林秀英"
    assert threads == [threading.main_thread()]
    with qtbot.waitSignal(hub.card_removed, timeout=3000):
        simulators.running("idcard").lift()


@pytest.mark.parametrize(("key", "reason"), [("expired", "expired"), ("bad_check_digit", "bad_check_digit")])
def test_refused_cards_come_as_card_error(qtbot, hub, key: str, reason: str) -> None:
    placed = []
    hub.card_placed.connect(placed.append)
    hub.arm_card_reader()
    with qtbot.waitSignal(hub.card_error, timeout=3000) as error:
        simulators.running("idcard").place(key)
    assert error.args[0].reason == reason and error.args[0].citizen_zh
    assert placed == []


def test_scans_and_rejections(qtbot, hub) -> None:
    with qtbot.waitSignal(hub.code_scanned, timeout=3000) as scanned:
        simulators.running("scanner").scan("https://zwfw.xm.gov.cn/appt/YY202611250001")
    assert scanned.args[0].code == "YY202611250001"
    with qtbot.waitSignal(hub.code_rejected, timeout=3000) as rejected:
        simulators.running("scanner").scan("https://example.com/phish")
    assert rejected.args[0].reason == "foreign_url"


def test_print_receipt_reports_through_callback_and_signal(qtbot, hub) -> None:
    qtbot.waitUntil(hub.can_print, timeout=3000)
    outcomes: list[PrintOutcome] = []
    receipt = layout.printer_test_page(hub.device("printer").profile, now=dt.datetime(2026, 11, 25, 9))
    with qtbot.waitSignal(hub.print_finished, timeout=5000) as finished:
        hub.print_receipt(receipt, outcomes.append)
    assert finished.args[0].printed and outcomes == [finished.args[0]]
    assert simulators.running("printer").last_receipt.complete


def test_paper_out_is_a_status_signal_and_blocks_printing(qtbot, hub) -> None:
    qtbot.waitUntil(hub.can_print, timeout=3000)
    with qtbot.waitSignal(hub.printer_status_changed, timeout=3000) as changed:
        simulators.running("printer").take_paper_out()
    assert changed.args[0] == "paper_out"
    qtbot.waitUntil(lambda: not hub.can_print(), timeout=3000)
    with qtbot.waitSignal(hub.print_finished, timeout=3000) as finished:
        hub.print_receipt(layout.Receipt("x", [layout.Text("测试")]))
    assert not finished.args[0].printed and finished.args[0].error.reason == "paper out"


def test_unplugged_device_is_reported_and_nothing_crashes(qtbot, hub) -> None:
    with qtbot.waitSignal(
        hub.device_state_changed, timeout=3000, check_params_cb=lambda n, s: s == "offline"
    ):
        simulators.running("scanner").unplug()
    with qtbot.waitSignal(
        hub.device_state_changed, timeout=3000, check_params_cb=lambda n, s: n == "scanner"
    ):
        simulators.running("scanner").replug()
    reports = {r.device: r for r in hub.health()}
    assert set(reports) == {"idcard", "printer", "scanner"}


def test_a_missing_device_is_offline_and_retried(qtbot, tmp_path) -> None:
    hub = DeviceHub(None, "serial:///dev/nonexistent-printer", None, "80mm", "zwfw.xm.gov.cn", tmp_path)
    try:
        with qtbot.waitSignal(hub.device_state_changed, timeout=3000) as state:
            hub.start()
        assert state.args == ["printer", "offline"]
        assert not hub.can_print()
        with qtbot.waitSignal(hub.print_finished, timeout=3000) as finished:
            hub.print_receipt(layout.Receipt("x"))
        assert finished.args[0].error.reason == "offline"
        assert hub.health()[0].ok is False
    finally:
        hub.close()
        hub.close()


def test_the_qt_binding_keeps_its_references_when_signals_are_emitted(qtbot, tmp_path) -> None:
    # PySide6 6.12.0 dropped a reference to True on every emit and aborted the kiosk after a few
    # hundred device events; the hub emits on every event, so it depends on a binding without that bug
    import sys

    hub = DeviceHub(None, None, None, "80mm", "zwfw.xm.gov.cn", tmp_path)
    before = sys.getrefcount(True)
    for _ in range(500):
        hub.card_removed.emit()
    assert sys.getrefcount(True) - before > -10
    hub.close()


def test_keyboard_wedge_scan_and_typing_through_the_hub(qtbot, tmp_path) -> None:
    hub = DeviceHub(None, None, "keyboard://", "80mm", "zwfw.xm.gov.cn", tmp_path)
    try:
        hub.start()
        qtbot.waitUntil(lambda: hub.device("scanner") is not None, timeout=3000)
        with qtbot.waitSignal(hub.code_scanned, timeout=1000) as scanned:
            typed = "".join(hub.feed_key(c, 100.0 + i * 0.01) for i, c in enumerate("3502002611000001\r"))
        assert typed == "" and scanned.args[0].number == "3502002611000001"
        with qtbot.waitSignal(hub.keys_typed, timeout=1000) as keys:
            assert hub.feed_key("7") == ""  # held: it could be the start of a scan
        assert keys.args == ["7"]
    finally:
        hub.close()

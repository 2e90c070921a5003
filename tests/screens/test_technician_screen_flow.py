"""Technician screens driven by taps: PIN lockout, diagnosis, audited actions, maintenance, idle, restart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.technician.access import AuditLog, TechnicianGate, hash_pin, verify_audit

PIN = "246810"


@pytest.fixture
def demo_settings(tmp_path: Path):
    """The demo configuration with a cheap PIN hash, so five PIN checks stay fast."""
    from config.local import demo_settings as make

    settings = make(tmp_path / "state")
    security = replace(settings.security, technician_pin_hash=hash_pin(PIN, n=2**4))
    return replace(settings, security=security)


def _mode(kiosk):
    return kiosk.context.services.technician


def _type_pin(kiosk, qtbot, pin: str) -> None:
    screen = kiosk.window.screen_named("technician_pin")
    for digit in pin:
        qtbot.mouseClick(screen.keypad.buttons[digit], Qt.MouseButton.LeftButton)
    assert screen.entry.text() == "•" * len(pin)  # digits never shown
    qtbot.mouseClick(screen.confirm, Qt.MouseButton.LeftButton)


def _actions(kiosk) -> list[str]:
    _mode(kiosk).flush_audit()
    return [e.action for e in AuditLog.in_state_dir(kiosk.context.settings.state_dir, None).entries()]


def _enter(kiosk, qtbot) -> None:
    _mode(kiosk).request_entry()
    assert kiosk.window.current_name == "technician_pin"
    _type_pin(kiosk, qtbot, PIN)
    qtbot.waitUntil(lambda: kiosk.window.current_name == "technician", timeout=5000)
    qtbot.waitUntil(lambda: _mode(kiosk).findings is not None, timeout=10_000)


def test_five_wrong_pins_lock_entry_with_the_time_and_the_lock_persists(kiosk, qtbot):
    mode, window = _mode(kiosk), kiosk.window
    mode.request_entry()
    screen = window.screen_named("technician_pin")
    for left in (4, 3, 2, 1):
        _type_pin(kiosk, qtbot, "135799")
        qtbot.waitUntil(lambda: mode.pin.phase == "wrong" and mode.pin.attempts_left == left, timeout=5000)  # noqa: B023
        assert f"还可尝试 {left} 次" in screen.message.text()
    _type_pin(kiosk, qtbot, "135799")
    qtbot.waitUntil(lambda: mode.pin.phase == "locked", timeout=5000)
    until = mode.pin.locked_until
    assert until is not None and until.strftime("%H:%M:%S") in screen.message.text()
    assert "锁定" in screen.message.text() and not screen.keypad.isEnabled()
    # the right PIN does not open a locked entry, and a new gate (a restart) still sees the lock
    settings = kiosk.context.settings
    gate = TechnicianGate(settings.state_dir, settings.security.technician_pin_hash, mode.clock)
    assert gate.locked_until() is not None and gate.try_pin(PIN).outcome == "locked"
    mode.leave("cancelled")
    mode.request_entry()  # coming back during the lock: told at once
    assert mode.pin.phase == "locked" and "锁定" in screen.message.text()
    assert _actions(kiosk).count("pin_refused") == 4 and "entry_locked" in _actions(kiosk)
    assert window.current_name == "technician_pin"


def test_without_a_configured_pin_entry_is_refused_with_a_clear_message(kiosk, qtbot):
    settings = kiosk.context.settings
    kiosk.context.settings = replace(settings, security=replace(settings.security, technician_pin_hash=None))
    _mode(kiosk).request_entry()
    screen = kiosk.window.screen_named("technician_pin")
    assert "未设置技术员密码" in screen.message.text() and not screen.keypad.isVisible()
    assert _actions(kiosk) == ["entry_refused"]


def test_right_pin_opens_diagnostics_and_every_action_is_audited(kiosk, qtbot):
    _enter(kiosk, qtbot)
    mode, window = _mode(kiosk), kiosk.window
    screen = window.screen_named("technician")
    texts = " ".join(w.text() for w in screen.findings_list.findChildren(QLabel))
    for section in ("设备", "纸卷", "网关", "待发队列", "缓存", "配置", "系统", "最近日志"):
        assert section in texts
    # self-tests without devices fail with a reason (the simulators are in tests/e2e)
    qtbot.mouseClick(screen.buttons["print"], Qt.MouseButton.LeftButton)
    assert mode.tests["print"].state == "failed" and "未打印" in screen.test_text.text()
    qtbot.mouseClick(screen.buttons["paper"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "纸卷计数已重置" in screen.status.text(), timeout=5000)
    qtbot.mouseClick(screen.buttons["maintenance"], Qt.MouseButton.LeftButton)
    assert kiosk.context.maintenance and window.current_name == "technician"  # the technician stays
    assert "维护模式：开启" in screen.status.text()
    qtbot.mouseClick(screen.buttons["maintenance"], Qt.MouseButton.LeftButton)
    assert not kiosk.context.maintenance and window.current_name == "technician"
    qtbot.waitUntil(lambda: not mode.diagnosing, timeout=10_000)
    qtbot.mouseClick(screen.buttons["leave"], Qt.MouseButton.LeftButton)
    assert window.current_name == "home" and not mode.active
    actions = _actions(kiosk)
    for action in ("entry", "diagnostics_run", "self_test.print", "paper_replaced", "maintenance_on",
                   "maintenance_off", "exit"):
        assert action in actions, actions
    assert verify_audit(Path(kiosk.context.settings.state_dir) / "audit.jsonl").ok
    assert PIN not in (Path(kiosk.context.settings.state_dir) / "audit.jsonl").read_text()


def test_maintenance_shows_out_of_service_and_ends_a_running_session(kiosk, qtbot):
    context, window, mode = kiosk.context, kiosk.window, _mode(kiosk)
    ended = []
    context.sessions.on_ended(ended.append)
    context.sessions.current.data["lookup"] = "林秀英"  # a citizen is using the kiosk
    window.go("departments")
    mode.set_maintenance(True)  # e.g. from a technician at another screen of this kiosk's mode
    assert ended == ["maintenance"] and not context.sessions.active
    assert window.current_name == "out_of_service"
    shown = " ".join(w.text() for w in window.screen_named("out_of_service").findChildren(QLabel))
    assert context.settings.kiosk.nearest_alternative_zh in shown
    window.go("home")
    assert window.current_name == "out_of_service"  # citizens cannot get past it
    _enter(kiosk, qtbot)  # the technician still can, by the corner and the PIN
    screen = window.screen_named("technician")
    qtbot.mouseClick(screen.buttons["leave"], Qt.MouseButton.LeftButton)
    assert window.current_name == "out_of_service"  # leaving keeps citizens out while maintenance is on


def test_entering_ends_the_citizens_session_and_shows_nothing_of_it(kiosk, qtbot):
    context, mode = kiosk.context, _mode(kiosk)
    ended = []
    context.sessions.on_ended(ended.append)
    context.sessions.current.data["lookup"] = "林秀英"
    _enter(kiosk, qtbot)
    assert ended[0] == "technician"
    texts = " ".join(w.text() for w in kiosk.window.findChildren(QLabel) if w.isVisible())
    assert "林秀英" not in texts
    # the citizens' idle watch is held off while the technician works
    qtbot.mouseClick(kiosk.window.screen_named("technician").buttons["refresh"], Qt.MouseButton.LeftButton)
    assert not kiosk.idle._idle_timer.isActive()
    assert mode.idle._idle_timer.isActive()


def test_five_minutes_without_touch_end_technician_mode(kiosk, qtbot):
    _enter(kiosk, qtbot)
    mode = _mode(kiosk)
    assert mode.idle.idle_timeout_s + mode.idle.countdown_s == 300
    mode.idle.idle_timeout_s, mode.idle.countdown_s = 0.05, 1
    mode.idle._tick_timer.setInterval(20)
    mode.idle.arm()
    qtbot.waitUntil(lambda: not mode.active, timeout=3000)
    assert kiosk.window.current_name == "home"
    assert mode.findings is None and mode.tests == {}
    assert _actions(kiosk)[-1] == "exit"
    entries = AuditLog.in_state_dir(kiosk.context.settings.state_dir, None).entries()
    assert entries[-1].detail == {"why": "idle"}


def test_home_in_the_footer_leaves_technician_mode(kiosk, qtbot):
    _enter(kiosk, qtbot)
    qtbot.mouseClick(kiosk.window.footer.home, Qt.MouseButton.LeftButton)
    assert not _mode(kiosk).active and kiosk.window.current_name == "home"
    assert _actions(kiosk)[-1] == "exit"


@pytest.mark.parametrize("systemd", [True, False])
def test_restart_asks_first_then_exits_for_systemd_or_re_executes(kiosk, qtbot, monkeypatch, systemd):
    from kiosk.technician import mode as technician_mode

    _enter(kiosk, qtbot)
    mode, screen = _mode(kiosk), kiosk.window.screen_named("technician")
    exits, registered = [], []
    mode._exit_app, mode._under_systemd = exits.append, lambda: systemd
    monkeypatch.setattr(technician_mode.atexit, "register", registered.append)
    qtbot.mouseClick(screen.buttons["restart"], Qt.MouseButton.LeftButton)
    assert screen.confirm_panel.isVisible() and exits == []  # asked first
    qtbot.mouseClick(screen.confirm_no, Qt.MouseButton.LeftButton)
    assert not screen.confirm_panel.isVisible() and exits == []
    qtbot.mouseClick(screen.buttons["restart"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.confirm_yes, Qt.MouseButton.LeftButton)
    assert exits == [technician_mode.RESTART_EXIT_CODE]
    assert registered == ([] if systemd else [mode._reexec])
    assert "restart" in _actions(kiosk)

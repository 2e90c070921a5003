"""End to end: technician self-tests against the simulators and the diagnosis against the reference gateway."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.technician.access import AuditLog


@pytest.fixture
def technician(live_kiosk, qtbot):
    """The live kiosk in technician mode (the PIN accepted), with the first diagnosis done."""
    mode = live_kiosk.context.services.technician
    mode.request_entry()
    screen = live_kiosk.window.screen_named("technician_pin")
    for digit in "246810":  # the demo PIN
        qtbot.mouseClick(screen.keypad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mode.active and mode.findings is not None, timeout=15_000)
    return mode


def _audit(live_kiosk, mode) -> list:
    mode.flush_audit()
    return AuditLog.in_state_dir(live_kiosk.context.settings.state_dir, None).entries()


def test_diagnosis_of_a_live_kiosk(live_kiosk, technician):
    findings = {f.name: f for f in technician.findings}
    for name in ("idcard", "printer", "scanner"):
        assert findings[name].ok, findings[name].text
        assert findings[name].data["state"] == "idle"
    assert findings["gateway"].ok and findings["gateway"].data["latency_ms"] > 0
    assert findings["outbox"].ok and findings["database"].data["integrity"] == "ok"
    assert findings["paper"].data["sensor"] == "ok"


def test_print_a_test_page_and_count_it_on_the_roll(live_kiosk, technician, qtbot):
    screen = live_kiosk.window.screen_named("technician")
    before = len(live_kiosk.printer.receipts)
    qtbot.mouseClick(screen.buttons["print"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: technician.tests["print"].state != "waiting", timeout=15_000)
    assert technician.tests["print"].state == "passed", technician.tests["print"].detail
    qtbot.waitUntil(lambda: len(live_kiosk.printer.receipts) > before, timeout=5000)
    receipt = live_kiosk.printer.receipts[-1]
    assert "打印机自检" in receipt.text and receipt.cut and receipt.qr_payloads
    assert "已打印" in screen.test_text.text()
    qtbot.waitUntil(lambda: technician.paper.recent_average_cm() is not None, timeout=5000)
    assert technician.paper.recent_average_cm() == pytest.approx(technician.tests["print"].detail["length_cm"], 0.1)

    qtbot.mouseClick(screen.buttons["paper"], Qt.MouseButton.LeftButton)
    printer = live_kiosk.hub.device("printer")
    qtbot.waitUntil(lambda: printer.statistics.get("cm_since_roll_change") == 0, timeout=5000)
    qtbot.waitUntil(lambda: "纸卷计数已重置" in screen.status.text(), timeout=5000)
    entries = _audit(live_kiosk, technician)
    replaced = next(e for e in entries if e.action == "paper_replaced")
    assert replaced.detail["old_roll_used_cm"] > 0
    assert any(e.action == "self_test.print" and e.detail.get("phase") == "passed" for e in entries)


def test_read_a_card_shows_masked_fields_only(live_kiosk, technician, qtbot):
    screen = live_kiosk.window.screen_named("technician")
    qtbot.mouseClick(screen.buttons["card"], Qt.MouseButton.LeftButton)
    assert technician.tests["card"].state == "waiting" and "请把身份证放在读卡区" in screen.test_text.text()
    live_kiosk.idcard.place("young")
    qtbot.waitUntil(lambda: technician.tests["card"].state != "waiting", timeout=15_000)
    test = technician.tests["card"]
    assert test.state == "passed", test.detail
    fields = test.detail["fields"]
    assert "*" in fields["name"] and "*" in fields["id_number"] and fields["check_digit_ok"] is True
    shown = screen.test_text.text()
    assert fields["id_number"] in shown and "读卡：成功" in shown
    assert not live_kiosk.context.sessions.active or live_kiosk.context.sessions.current.card is None
    log_text = (Path(live_kiosk.context.settings.state_dir) / "audit.jsonl").read_text(encoding="utf-8")
    assert fields["id_number"] not in log_text and "card_type" in log_text  # the audit keeps only the type


@pytest.mark.parametrize(("label", "kind"), [("预约码 appointment", "appointment"),
                                           ("缴款通知书 notice 0001", "notice")])
def test_scan_a_code_shows_its_kind(live_kiosk, technician, qtbot, label, kind):
    from devices.simulators.scanner import samples

    screen = live_kiosk.window.screen_named("technician")
    qtbot.mouseClick(screen.buttons["scan"], Qt.MouseButton.LeftButton)
    assert technician.tests["scan"].state == "waiting"
    text = samples(domain=live_kiosk.context.settings.kiosk.center_domain)[label]
    live_kiosk.scanner.scan(text)
    qtbot.waitUntil(lambda: technician.tests["scan"].state != "waiting", timeout=10_000)
    test = technician.tests["scan"]
    assert test.state == "passed" and test.detail == {"kind": kind}
    assert "扫码：成功" in screen.test_text.text() and text not in screen.test_text.text()
    entries = _audit(live_kiosk, technician)
    assert any(e.action == "self_test.scan" and e.detail.get("kind") == kind for e in entries)


def test_a_refused_scan_fails_the_self_test(live_kiosk, technician, qtbot):
    from devices.simulators.scanner import samples

    screen = live_kiosk.window.screen_named("technician")
    qtbot.mouseClick(screen.buttons["scan"], Qt.MouseButton.LeftButton)
    live_kiosk.scanner.scan(samples()["外部网址 foreign URL"])
    qtbot.waitUntil(lambda: technician.tests["scan"].state != "waiting", timeout=10_000)
    assert technician.tests["scan"].state == "failed" and "被拒绝" in screen.test_text.text()


def test_the_screen_lists_every_section_with_live_data(live_kiosk, technician):
    screen = live_kiosk.window.screen_named("technician")
    screen.refresh()
    texts = " ".join(w.text() for w in screen.findings_list.findChildren(QLabel))
    assert live_kiosk.gateway_url in texts and " 毫秒" in texts  # worded in the kiosk's language
    assert texts.count("正常") >= 8 and "打印机" in texts and "身份证阅读器" in texts


def test_the_a4_printer_in_the_diagnosis_and_its_test_page(live_kiosk, technician, qtbot):
    a4 = live_kiosk.a4printer
    a4.toner_low = True  # a warning for the technician: it still prints
    live_kiosk.hub.refresh_a4printer()
    qtbot.waitUntil(lambda: "toner-low" in live_kiosk.hub.a4_summary(), timeout=5000)
    technician.refresh()
    qtbot.waitUntil(lambda: not technician.diagnosing and technician.findings is not None
                    and "toner-low" in str(next(f for f in technician.findings if f.name == "a4printer").data),
                    timeout=15_000)
    finding = next(f for f in technician.findings if f.name == "a4printer")
    assert finding.ok and finding.data["can_print"] is True and finding.data["state"] == "idle"
    assert "toner-low" in finding.data["conditions"]

    screen = live_kiosk.window.screen_named("technician")
    assert screen.buttons["a4print"].isEnabled()
    jobs = len(a4.jobs)
    qtbot.mouseClick(screen.buttons["a4print"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: technician.tests["a4print"].state != "waiting", timeout=30_000)
    test = technician.tests["a4print"]
    assert test.state == "passed", test.detail
    assert len(a4.jobs) == jobs + 1 and a4.last_job.pages == 1
    assert b"A4 PRINTER TEST PAGE" in a4.last_document
    assert "A4测试页：已打印" in screen.test_text.text() and "toner-low" in screen.test_text.text()
    assert any(e.action == "self_test.a4print" and e.detail.get("phase") == "passed"
               for e in _audit(live_kiosk, technician))


def test_an_a4_test_page_the_printer_cannot_take_fails_with_its_reason(live_kiosk, technician, qtbot):
    live_kiosk.a4printer.open_door(True)
    screen = live_kiosk.window.screen_named("technician")
    qtbot.mouseClick(screen.buttons["a4print"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: technician.tests["a4print"].state != "waiting", timeout=30_000)
    test = technician.tests["a4print"]
    assert test.state == "failed" and "door open" in test.detail["error"]
    assert "A4测试页：未打印" in screen.test_text.text()

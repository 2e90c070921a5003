"""The serial scanner driver against the scanner simulator over a real pty; the keyboard-wedge device."""

from __future__ import annotations

import datetime as dt

from device_waits import Recorder, wait_for

from devices.model import HealthLevel
from devices.scanner.codes import AppointmentCode, PaymentNotice
from devices.scanner.wedge import KeyboardWedgeScanner
from devices.simulators.scanner import samples


def test_scans_arrive_parsed_and_junk_is_rejected(scanner, scanner_sim) -> None:
    events = Recorder()
    scanner.add_listener(events)
    scanner.enable()
    codes = samples(dt.date(2026, 11, 25))
    scanner_sim.scan(codes["预约码 appointment"])
    scanner_sim.scan(codes["缴款链接 notice URL 0002"])
    scanner_sim.scan(codes["外部网址 foreign URL"])
    scanner_sim.scan(codes["乱码 junk"])
    scanner_sim.send_raw(b"\x1b[31m\r")
    wait_for(lambda: len(events.of("data")) + len(events.of("error")) == 5)
    data = [e.payload for e in events.of("data")]
    assert data == [
        AppointmentCode("YY202611250001", dt.date(2026, 11, 25)),
        PaymentNotice("3502002611000002"),
    ]
    assert [e.payload.reason for e in events.of("error")] == [
        "foreign_url",
        "unrecognised",
        "control_character",
    ]
    assert scanner.statistics.get("scans") == 2 and scanner.statistics.get("rejected_scans") == 3


def test_a_code_split_across_reads_is_one_scan(scanner, scanner_sim) -> None:
    events = Recorder()
    scanner.add_listener(events)
    scanner.enable()
    scanner_sim.send_raw(b"35020026")
    scanner_sim.send_raw(b"11000001\r\n")
    wait_for(lambda: events.of("data"))
    assert events.of("data")[0].payload == PaymentNotice("3502002611000001")


def test_unplugged_scanner_reports_and_recovers(scanner, scanner_sim) -> None:
    events = Recorder()
    scanner.add_listener(events)
    scanner.enable()
    scanner_sim.unplug()
    wait_for(lambda: events.of("offline"))
    assert not scanner.check_health(HealthLevel.EXTERNAL).ok
    scanner_sim.replug()
    wait_for(lambda: events.of("online"))
    scanner_sim.scan("3502002611000004")
    wait_for(lambda: events.of("data"))
    assert events.of("data")[0].payload.number == "3502002611000004"


def test_keyboard_wedge_device_passes_typing_on_and_reports_scans(tmp_path) -> None:
    device = KeyboardWedgeScanner(state_dir=str(tmp_path))
    events = Recorder()
    device.add_listener(events)
    device.open()
    typed = "".join(device.feed_key(c, 1.0 + i * 0.01) for i, c in enumerate("3502002611000001\r"))
    assert typed == "" and events.of("data")[0].payload == PaymentNotice("3502002611000001")
    typed = "".join(device.feed_key(c, 5.0 + i * 0.2) for i, c in enumerate("12"))
    assert typed == "1" and device.flush(6.0) == "2"
    device.close()

"""Device URLs: the scheme picks the driver lazily; bad URLs say what was expected; sim:// runs the real driver."""

from __future__ import annotations

import subprocess
import sys

import pytest
from device_waits import Recorder, wait_for

from devices import simulators
from devices.errors import DeviceURLError
from devices.registry import create_device, parse_device_url


@pytest.fixture
def fresh_simulators():
    simulators.stop_all()
    yield
    simulators.stop_all()


def test_urls_parse_with_options() -> None:
    url = parse_device_url("idcard", "serial:///dev/ttyUSB0?baudrate=57600&poll=0.2")
    assert (url.scheme, url.path, url.number("baudrate", 0, int)) == ("serial", "/dev/ttyUSB0", 57600)
    assert parse_device_url("printer", "tcp://192.0.2.10:9100").port == 9100
    assert parse_device_url("printer", "usb://0x0416:0x5011").host == "0x0416:0x5011"
    assert parse_device_url("scanner", "keyboard://?max_gap_ms=30").options == {"max_gap_ms": "30"}


@pytest.mark.parametrize(
    ("kind", "url", "message"),
    [
        ("idcard", "bluetooth://reader", "expected sim://idcard or serial:///dev/ttyUSB0"),
        ("idcard", "serial:///dev/ttyUSB0?baud=9600", "unknown option baud.*allowed: baudrate"),
        ("printer", "keyboard://", "unknown printer URL scheme"),
        ("printer", "usb://0416-5011", "VID:PID"),
        ("printer", "file://relative.bin", "absolute path"),
        ("scanner", "sim://printer", "name the scanner simulator"),
        ("idcard", "serial:///dev/ttyUSB0?baudrate=fast", "not a number"),
        ("camera", "sim://camera", "unknown device kind"),
    ],
)
def test_bad_urls_show_the_expected_form(kind: str, url: str, message: str) -> None:
    with pytest.raises(DeviceURLError, match=message):
        if "baudrate=fast" in url:
            create_device(kind, url)
        else:
            parse_device_url(kind, url)


def test_choosing_a_scanner_does_not_load_the_printer_stack(tmp_path) -> None:
    # a fresh interpreter: unloading modules in this one would break the other tests' classes
    code = (
        "import sys; from devices.registry import create_device; "
        f"d = create_device('scanner', 'keyboard://', state_dir={str(tmp_path)!r}); "
        "print(d.kind, any(m.startswith(('devices.printer', 'escpos')) for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True)
    assert result.stdout.split() == ["scanner", "False"]


def test_sim_urls_start_simulators_and_real_drivers_talk_to_them(tmp_path, fresh_simulators) -> None:
    reader = create_device("idcard", "sim://idcard?poll=0.02", state_dir=str(tmp_path))
    printer = create_device("printer", "sim://printer", state_dir=str(tmp_path), profile="58mm")
    scanner = create_device(
        "scanner", "sim://scanner", state_dir=str(tmp_path), center_domain="zwfw.xm.gov.cn"
    )
    events = Recorder()
    try:
        for device in (reader, printer, scanner):
            device.add_listener(events)
            device.start()
        reader.arm()
        simulators.running("idcard").place("foreigner2023")
        wait_for(lambda: events.of("card_present"))
        assert events.of("card_present")[0].payload.name_en == "GARCIA LOPEZ, MARIA"
        simulators.running("scanner").scan("3502002611000003")
        wait_for(lambda: events.of("data"))
        assert printer.status().ready and printer.profile.columns == 32
    finally:
        for device in (reader, printer, scanner):
            device.close()


def test_file_printer_appends_bytes(tmp_path) -> None:
    import datetime as dt

    from devices.printer import layout

    target = tmp_path / "receipts.bin"
    printer = create_device("printer", f"file://{target}", state_dir=str(tmp_path))
    with printer:
        assert printer.can_print()
        printer.print_receipt(layout.printer_test_page(printer.profile, now=dt.datetime(2026, 11, 25)))
    assert target.read_bytes().startswith(b"\x1b@") and b"\x1dV" in target.read_bytes()


def test_speaker_urls() -> None:
    assert parse_device_url("speaker", "alsa://default").host == "default"
    assert parse_device_url("speaker", "alsa://plughw:0,0").host == "plughw:0,0"
    assert parse_device_url("speaker", "sim://speaker?pace=1").options == {"pace": "1"}
    for bad, words in (("alsa://", "an ALSA device name is needed"), ("sim://printer", "must name the speaker"),
                       ("alsa://default?volume=3", "unknown option volume"), ("tcp://x:1", "expected sim://speaker")):
        with pytest.raises(DeviceURLError, match=words):
            parse_device_url("speaker", bad)
    with pytest.raises(DeviceURLError, match="between 0 and 10"):
        create_device("speaker", "sim://speaker?pace=99")

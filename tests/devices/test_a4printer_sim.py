"""The A4 printer driver against the project's simulated IPP printer: jobs, progress and faults."""

from __future__ import annotations

import threading
import time

import pytest
from a4_documents import tiny_pdf

from devices.a4printer import ipp
from devices.a4printer.client import IppClient, PrinterAddress
from devices.a4printer.driver import A4Printer, A4PrinterNotReady, A4PrintInterrupted
from devices.errors import DeviceURLError
from devices.model import DeviceState, HealthLevel, StatusKind
from devices.registry import create_device, parse_device_url
from devices.simulators.ipp_printer import IppPrinterSimulator


@pytest.fixture
def sim():
    simulator = IppPrinterSimulator(page_seconds=0.05).start()
    yield simulator
    simulator.close()


@pytest.fixture
def printer(sim, tmp_path):
    device = A4Printer(IppClient(PrinterAddress("127.0.0.1", sim.port, "/ipp/print"), timeout=2),
                       state_dir=str(tmp_path), poll_interval=0.05, status_interval=0.1, job_timeout=10)
    device.open()
    device.claim()
    yield device
    device.close()


def test_a_document_counts_once_the_printer_says_completed(printer, sim):
    seen: list[tuple[int, int]] = []
    result = printer.print_document(tiny_pdf(2), pages=2, name="XMZW-SS-1", on_progress=lambda d, t: seen.append((d, t)))
    assert result.pages == 2 and sim.jobs[result.job_id].state == ipp.JOB_COMPLETED
    assert sim.last_document == tiny_pdf(2)
    assert seen[-1] == (2, 2) and all(t == 2 for _, t in seen)
    stats = printer.statistics.snapshot()
    assert stats["jobs"] == 1 and stats["pages"] == 2 and printer.state == DeviceState.IDLE


def test_paper_running_out_mid_job_is_not_printed_and_the_job_is_canceled(printer, sim):
    sim.run_out_of_paper(after_sheets=1)
    with pytest.raises(A4PrintInterrupted) as caught:
        printer.print_document(tiny_pdf(2), pages=2)
    assert caught.value.reason == "paper out" and caught.value.pages_done == 1
    assert "邮寄" in caught.value.citizen_zh
    job = max(sim.jobs.values(), key=lambda j: j.job_id)
    assert job.state == ipp.JOB_CANCELED  # it will not come out later without its citizen
    assert printer.statistics.get("jobs") == 0 and printer.statistics.get("interrupted_jobs") == 1
    assert printer.state == DeviceState.ERROR
    sim.load_paper()
    printer.refresh()
    assert printer.state == DeviceState.IDLE and printer.can_print()


def test_a_jam_mid_job_and_an_open_door(printer, sim):
    sim.jam(after_pages=1)
    with pytest.raises(A4PrintInterrupted) as caught:
        printer.print_document(tiny_pdf(3), pages=3)
    assert caught.value.reason == "paper jam" and caught.value.pages_done == 1
    sim.clear_jam()
    sim.open_door()
    with pytest.raises(A4PrinterNotReady) as refused:
        printer.print_document(tiny_pdf(1), pages=1)
    assert refused.value.reason == "door open" and printer.statistics.get("refused_jobs") == 1
    sim.open_door(False)
    assert printer.print_document(tiny_pdf(1), pages=1).pages == 1


def test_the_door_opened_while_printing(printer, sim):
    sim.page_seconds = 0.2
    threading.Timer(0.1, sim.open_door).start()
    with pytest.raises(A4PrintInterrupted) as caught:
        printer.print_document(tiny_pdf(3), pages=3)
    assert caught.value.reason == "door open"


def test_status_reasons_become_events_like_the_receipt_printers(printer, sim):
    events: list[StatusKind] = []
    printer.add_listener(lambda e: events.append(e.kind))
    printer.enable()
    sim.run_out_of_paper(after_sheets=5)  # under 20 sheets: media-low
    _wait(lambda: StatusKind.PAPER_NEAR_END in events)
    sim.run_out_of_paper()
    _wait(lambda: StatusKind.PAPER_OUT in events and not printer.can_print())
    sim.open_door()
    _wait(lambda: StatusKind.COVER_OPEN in events)
    sim.open_door(False)
    sim.load_paper()
    _wait(lambda: StatusKind.COVER_CLOSED in events and StatusKind.PAPER_OK in events and printer.can_print())
    sim.toner_low = True
    _wait(lambda: "toner low" in printer.cached_status()[0].conditions)
    assert printer.can_print()  # a warning, not a stop


def test_an_unreachable_printer_is_offline_and_refuses(tmp_path, sim):
    port = sim.port
    sim.close()
    device = A4Printer(IppClient(PrinterAddress("127.0.0.1", port, "/ipp/print"), timeout=1), state_dir=str(tmp_path))
    device.open()
    events: list[StatusKind] = []
    device.add_listener(lambda e: events.append(e.kind))
    with pytest.raises(A4PrinterNotReady) as refused:
        device.print_document(tiny_pdf(1), pages=1)
    assert refused.value.reason == "offline" and StatusKind.OFFLINE in events
    report = device.check_health(HealthLevel.EXTERNAL)
    assert not report.ok and "cannot reach" in report.text
    device.close()


def test_the_simulator_refuses_what_is_not_a_pdf_and_garbled_ipp(sim):
    client = IppClient(PrinterAddress("127.0.0.1", sim.port, "/ipp/print"), timeout=2)
    with pytest.raises(Exception, match="0x040a"):
        client.print_job(b"not a pdf", name="x")
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=2)
    conn.request("POST", "/ipp/print", body=b"\x01\x01\x00", headers={"Content-Type": "application/ipp"})
    answer = ipp.decode(conn.getresponse().read())
    conn.close()
    assert answer.code == ipp.CLIENT_BAD_REQUEST


def test_urls_name_the_a4_printer(tmp_path):
    parsed = parse_device_url("a4printer", "ipp://192.0.2.20:8631/ipp/print?timeout=3")
    assert (parsed.host, parsed.port, parsed.path) == ("192.0.2.20", 8631, "/ipp/print")
    device = create_device("a4printer", "cups://Hall_A4?server=127.0.0.1:8632", state_dir=str(tmp_path))
    assert device.client.address.uri == "ipp://127.0.0.1:8632/printers/Hall_A4"
    for bad in ("cups://", "ipp:///x", "ipp://h/p?colour=1", "cups://a%20b", "cups://Q?server=nope"):
        with pytest.raises(DeviceURLError):
            create_device("a4printer", bad)


def test_the_demo_simulator_by_url(tmp_path):
    from devices import simulators

    device = create_device("a4printer", "sim://a4printer", state_dir=str(tmp_path), poll_interval=0.05)
    try:
        simulators.start("a4printer").page_seconds = 0.01
        device.open()
        assert device.print_document(tiny_pdf(2), pages=2).pages == 2
        png = simulators.start("a4printer").last_page_png()
        assert png is None or png.startswith(b"\x89PNG")
    finally:
        device.close()
        simulators.stop_all()


def _wait(condition, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.02)


def test_the_kiosks_a4_printer_loads_no_pdf_library():
    import subprocess
    import sys

    code = ("import sys\n"
            "from devices.registry import create_device\n"
            "d = create_device('a4printer', 'ipp://127.0.0.1:9/ipp/print')\n"
            "import devices.a4printer.driver, devices.simulators.ipp_printer\n"
            "heavy = [m for m in ('weasyprint', 'pyhanko', 'pydyf', 'fontTools', 'PIL', 'fastapi', 'gateway')"
            " if m in sys.modules]\n"
            "print(heavy)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

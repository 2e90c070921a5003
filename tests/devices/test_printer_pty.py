"""The receipt printer driver against the printer simulator over a real pty."""

from __future__ import annotations

import datetime as dt

import pytest
from device_waits import Recorder, wait_for

from devices.model import DeviceState, HealthLevel
from devices.printer import layout
from devices.printer.driver import PrinterNotReady, PrintInterrupted
from devices.printer.status import Paper
from devices.simulators.printer import render_receipt

NOW = dt.datetime(2026, 11, 25, 9, 30)


def ticket(number: str = "A001") -> layout.Receipt:
    return layout.queue_ticket(
        hall="厦门市行政服务中心", service="出入境自助签注", ticket_number=number, waiting_ahead=3, issued_at=NOW,
        qr_url=f"https://zwfw.xm.gov.cn/queue/{number}",
    )  # fmt: skip


def test_prints_a_ticket_that_the_simulator_reads_back(printer, printer_sim) -> None:
    result = printer.print_receipt(ticket())
    assert result.status_after is not None and result.status_after.ready
    receipt = printer_sim.last_receipt
    assert receipt is not None and receipt.complete and receipt.cut
    assert "A001" in receipt.lines and "出入境自助签注" in receipt.text
    assert receipt.qr_payloads == ["https://zwfw.xm.gov.cn/queue/A001"]
    stats = printer.statistics.snapshot()
    assert stats["jobs"] == 1 and stats["cuts"] == 1 and stats["lines"] == result.lines
    assert stats["cm_since_roll_change"] > 5
    printer.paper_replaced()
    assert printer.statistics.get("cm_since_roll_change") == 0 and printer.statistics.get("jobs") == 1


@pytest.mark.parametrize("fault", ["paper", "cover"])
def test_job_never_starts_when_paper_out_or_cover_open(printer, printer_sim, fault: str) -> None:
    printer_sim.take_paper_out() if fault == "paper" else printer_sim.open_cover()
    before = printer_sim.bytes_received
    with pytest.raises(PrinterNotReady) as info:
        printer.print_receipt(ticket())
    assert info.value.reason == ("paper out" if fault == "paper" else "cover open")
    assert info.value.citizen_zh and info.value.citizen_en
    assert printer_sim.bytes_received - before == 12  # only the four status queries went out
    assert not printer_sim.receipts


def test_paper_running_out_mid_job_is_reported_not_printed(printer, printer_sim) -> None:
    printer_sim.refill(lines=8)
    with pytest.raises(PrintInterrupted) as info:
        printer.print_receipt(ticket())
    assert "paper out" in info.value.technician and "not printed" in info.value.technician
    assert printer_sim.last_receipt is not None and not printer_sim.last_receipt.complete
    assert printer.statistics.get("interrupted_jobs") == 1 and printer.statistics.get("jobs") == 0
    assert printer.state == DeviceState.ERROR


def test_near_end_is_an_event_and_the_job_still_prints(printer, printer_sim) -> None:
    events = Recorder()
    printer.add_listener(events)
    printer_sim.set_near_end()
    result = printer.print_receipt(ticket())
    assert result.status_after.paper == Paper.NEAR_END
    assert events.kinds() == ["paper_near_end"]
    assert printer_sim.last_receipt.complete


def test_monitor_reports_paper_and_cover_changes_and_can_print_follows(printer, printer_sim) -> None:
    events = Recorder()
    printer.add_listener(events)
    printer.enable()
    wait_for(printer.can_print)
    printer_sim.open_cover()
    wait_for(lambda: events.of("cover_open"))
    wait_for(lambda: not printer.can_print())
    printer_sim.close_cover()
    wait_for(lambda: events.of("cover_closed"))
    printer_sim.take_paper_out()
    wait_for(lambda: events.of("paper_out"))
    assert not printer.can_print()
    printer_sim.refill()
    wait_for(lambda: events.of("paper_ok"))
    wait_for(printer.can_print)
    assert events.kinds() == ["cover_open", "cover_closed", "paper_out", "paper_ok"]


def test_unplugged_printer_goes_offline_and_comes_back(printer, printer_sim) -> None:
    events = Recorder()
    printer.add_listener(events)
    printer.enable()
    wait_for(printer.can_print)
    printer_sim.unplug()
    wait_for(lambda: events.of("offline"))
    assert not printer.can_print()
    with pytest.raises(PrinterNotReady, match="offline"):
        printer.print_receipt(ticket())
    printer_sim.replug()
    wait_for(lambda: events.of("online"))
    wait_for(printer.can_print)
    printer.print_receipt(ticket("A002"))
    assert "A002" in printer_sim.last_receipt.lines


def test_silent_printer_refuses_the_job(printer, printer_sim) -> None:
    printer_sim.mute = True
    with pytest.raises(PrinterNotReady, match="offline"):
        printer.print_receipt(ticket())
    assert printer.statistics.get("communication_failures") >= 1


def test_health_and_rendering(printer, printer_sim) -> None:
    report = printer.check_health(HealthLevel.EXTERNAL)
    assert report.ok and "paper ok" in report.text
    printer.print_receipt(layout.printer_test_page(printer.profile, now=NOW))
    png = printer_sim.render_png()
    assert png is not None and png.startswith(b"\x89PNG")
    assert render_receipt(printer_sim.last_receipt)[:4] == b"\x89PNG"
    printer_sim.open_cover()
    assert not printer.check_health(HealthLevel.EXTERNAL).ok


def test_printer_unplugged_mid_job_is_reported_not_printed(printer, printer_sim) -> None:
    import threading

    printer_sim.answers_left = 4  # the status before the job, then silence while it "prints"
    threading.Timer(0.1, printer_sim.unplug).start()
    with pytest.raises(PrintInterrupted, match="not printed"):
        printer.print_receipt(ticket())
    assert printer.statistics.get("interrupted_jobs") == 1 and printer.statistics.get("jobs") == 0


def test_printer_without_end_of_job_query_does_not_ask_for_it(printer, printer_sim) -> None:
    from dataclasses import replace

    printer.profile = replace(printer.profile, end_of_job_query=False)
    before = printer_sim.bytes_received
    result = printer.print_receipt(ticket())
    sent = printer_sim.bytes_received - before
    assert result.status_after.ready and printer_sim.last_receipt.complete
    assert (
        sent
        == len(
            __import__("devices.printer.escpos_output", fromlist=["build_job"])
            .build_job(ticket(), printer.profile)
            .data
        )
        + 24
    )

"""One print outcome for both printers: what a receipt job and a certificate job tell their callers."""

from __future__ import annotations

from devices.a4printer.driver import A4PrinterNotReady, A4PrintInterrupted, A4PrintResult
from devices.errors import DeviceError
from devices.printer.driver import PrinterNotReady, PrintInterrupted
from kiosk.hardware.print_outcome import PrintOutcome, run_print_job


def test_printed_has_the_result_and_no_reason() -> None:
    result = A4PrintResult(7, 2, 2.1, None)
    outcome = run_print_job(lambda: result, "a4printer")
    assert outcome == PrintOutcome(True, result=result)
    assert (outcome.reason, outcome.pages_done, outcome.interrupted) == ("", 0, False)
    assert outcome.citizen_message("zh") is None and outcome.technician() == ""


def test_receipt_printer_refusal_carries_its_reason_and_the_citizen_words() -> None:
    outcome = run_print_job(lambda: (_ for _ in ()).throw(PrinterNotReady("paper out")), "printer")
    assert not outcome.printed and outcome.reason == "paper out" and not outcome.interrupted
    assert outcome.citizen_message("zh") == PrinterNotReady("paper out").citizen_zh
    assert outcome.citizen_message("en") == PrinterNotReady("paper out").citizen_en
    assert outcome.technician() == "job refused: paper out"


def test_a4_stopped_part_way_counts_the_void_pages() -> None:
    outcome = PrintOutcome.failed(A4PrintInterrupted("paper jam", 1))
    assert (outcome.reason, outcome.pages_done, outcome.interrupted) == ("paper jam", 1, True)
    assert PrintOutcome.failed(PrintInterrupted("cover open")).interrupted
    assert not PrintOutcome.failed(A4PrinterNotReady("door open")).interrupted


def test_an_error_with_no_reason_or_words_still_gives_an_answer() -> None:
    outcome = PrintOutcome.failed(RuntimeError("the hub refused the job"))
    assert outcome.reason == "failed" and outcome.pages_done == 0
    assert outcome.citizen_message("zh") is None
    assert outcome.technician() == "the hub refused the job"


def test_a_driver_bug_becomes_a_device_error_not_a_traceback(caplog) -> None:
    def broken() -> None:
        raise KeyError("secret")

    outcome = run_print_job(broken, "printer")
    assert not outcome.printed and isinstance(outcome.error, DeviceError)
    assert outcome.technician() == "internal error: KeyError" and "secret" not in outcome.technician()
    assert "printer job failed unexpectedly" in caplog.text

"""End to end: a lookup's certificate on A4. The demo citizen's card on the simulated reader, the reference
gateway issuing and signing the PDF, the kiosk passing it to the simulated IPP printer (sim://a4printer)
and following its pages; paper running out and a jam mid-job; the PDF that came out checked as the
gateway's own (signature and register, ``kiosk-gateway verify``) and read back (pdftotext).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_lookup_e2e import card_read, open_lookup, tap

from devices.a4printer import ipp

YOUNG_ID = "350206199607210013"  # the young demo citizen: two pages of social insurance
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture
def kiosk(live_kiosk, qtbot):
    qtbot.waitUntil(lambda: live_kiosk.hub.can_print() and live_kiosk.hub.can_print_a4(), timeout=10_000)
    return live_kiosk


def follow(screen) -> list[str]:
    """Every "打印中 第 n/N 页" the citizen saw, in order (read after the screen drew each state)."""
    seen: list[str] = []

    def drawn(journey) -> None:
        if journey.state == "certificate_printing" and screen.certificate_text.text() not in seen[-1:]:
            seen.append(screen.certificate_text.text())

    screen.journey.subscribe(drawn)
    return seen


def to_choices(kiosk, qtbot, name: str, key: str = "elderly"):
    screen = open_lookup(kiosk, qtbot, name)
    card_read(kiosk, qtbot, screen, key)
    assert screen.journey.state == "results", screen.journey.problem
    tap(qtbot, screen.take_away)
    assert screen.journey.state == "choices"
    return screen


def verify(gateway_db: Path, pdf: bytes, tmp_path: Path) -> str:
    """``kiosk-gateway verify`` against the reference gateway's database and document key."""
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    command = Path(sys.executable).with_name("kiosk-gateway")
    done = subprocess.run([str(command), "verify", str(path), "--db", str(gateway_db)],
                          capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


@pytest.fixture
def gateway_db(reference_gateway) -> Path:
    return reference_gateway.db_path


def test_certificate_printed_page_by_page_is_the_gateways_signed_pdf(kiosk, qtbot, tmp_path, gateway_db):
    a4, receipts_before = kiosk.a4printer, len(kiosk.printer.receipts)
    screen = to_choices(kiosk, qtbot, "social_security", "young")
    assert screen.choice_certificate.isVisible() and screen.choice_certificate.isEnabled()
    seen = follow(screen)
    number = screen.journey.document_number()
    tap(qtbot, screen.choice_certificate)
    qtbot.waitUntil(lambda: screen.journey.state not in ("certificate_fetching", "certificate_printing"),
                    timeout=90_000)
    assert screen.journey.state == "certificate_printed", screen.journey.problem
    assert screen.message_what.text() == "请取走您的证明"
    pages = screen.journey.certificate_pages()
    assert pages == 2
    assert seen[-2:] == ["打印中 第 1/2 页", "打印中 第 2/2 页"]
    assert len(kiosk.printer.receipts) == receipts_before  # never the receipt printer

    job = a4.last_job
    assert job.pages == 2 and job.name == number
    pdf = a4.last_document
    assert pdf.startswith(b"%PDF-")
    out = verify(gateway_db, pdf, tmp_path)
    assert out.startswith("authentic"), out
    assert number in out
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, timeout=60).stdout
    text = text.decode()
    assert number in text and "参保缴费证明" in text
    assert "王晓明" in text and YOUNG_ID in text  # an official certificate names its holder in full
    page = a4.last_page_png()
    if page is not None:
        (tmp_path / "last-page.png").write_bytes(page)
        assert page.startswith(b"\x89PNG")

    tap(qtbot, screen._message_button_widgets[0])  # 完成
    qtbot.waitUntil(lambda: kiosk.window.current_name != "social_security", timeout=5000)


def test_paper_out_mid_job_voids_the_certificate_and_offers_mailing(kiosk, qtbot, gateway_db):
    a4 = kiosk.a4printer
    a4.run_out_of_paper(after_sheets=1)  # low, so it starts; empty after the first sheet
    kiosk.hub.refresh_a4printer()
    screen = to_choices(kiosk, qtbot, "property")
    qtbot.waitUntil(lambda: screen.journey.can_print_certificate(), timeout=5000)
    seen = follow(screen)
    tap(qtbot, screen.choice_certificate)
    qtbot.waitUntil(lambda: screen.journey.state not in ("certificate_fetching", "certificate_printing"),
                    timeout=90_000)
    assert screen.journey.state == "certificate_failed"
    assert "打印中 第 1/2 页" in seen
    assert "缺纸" in screen.message_what.text() and "1页" in screen.message_what.text()
    assert "邮寄" in screen.message_next.text()
    stopped = max(a4.jobs.values(), key=lambda j: j.job_id)
    assert (stopped.done, stopped.state) == (1, ipp.JOB_CANCELED)  # taken off the printer: it never comes out
    texts = [button.text() for button in screen._message_button_widgets]
    assert texts == ["用手机扫码保存", "EMS邮寄到户籍地址", "完成"]
    tap(qtbot, screen._message_button_widgets[1])
    assert screen.journey.state == "mail_confirm"  # the lookup is kept: mailing goes on from here


def test_jam_mid_job_in_english_and_elderly_mode(kiosk, qtbot, gateway_db):
    a4 = kiosk.a4printer
    kiosk.context.set_language("en")
    kiosk.context.set_elderly(True)
    a4.jam(after_pages=1)
    screen = to_choices(kiosk, qtbot, "social_security", "young")
    assert screen.choice_certificate.text() == "Print the certificate (A4, with the official e-seal)"
    seen = follow(screen)
    tap(qtbot, screen.choice_certificate)
    qtbot.waitUntil(lambda: screen.journey.state not in ("certificate_fetching", "certificate_printing"),
                    timeout=90_000)
    assert screen.journey.state == "certificate_failed"
    assert "Printing page 1 of 2" in seen
    assert "paper jam" in screen.message_what.text()
    tap(qtbot, screen._message_button_widgets[0])  # the phone
    assert screen.journey.state == "phone_consent"
    tap(qtbot, screen.consent_yes)
    qtbot.waitUntil(lambda: screen.journey.state == "phone_qr", timeout=10_000)
    assert screen.qr_image.property("qr_payload").startswith(kiosk.gateway_url + "/r/")


def test_printer_door_open_before_asking_issues_nothing(kiosk, qtbot, gateway_db):
    a4 = kiosk.a4printer
    screen = to_choices(kiosk, qtbot, "population")
    a4.open_door(True)
    kiosk.hub.refresh_a4printer()
    qtbot.waitUntil(lambda: not kiosk.hub.can_print_a4(), timeout=5000)
    jobs = len(a4.jobs)
    screen.journey.print_certificate()  # as a tap on the button drawn a moment before the door opened
    assert screen.journey.state == "certificate_unavailable"
    assert len(a4.jobs) == jobs
    screen.journey.show_choices()
    assert not screen.choice_certificate.isEnabled()
    assert screen.choice_certificate_note.text() == "证明打印机暂时不能打印，请选择其他方式"


def test_a_guide_printed_on_the_a4_printer(kiosk, qtbot):
    a4, receipts_before = kiosk.a4printer, len(kiosk.printer.receipts)
    window = kiosk.window
    qtbot.mouseClick(window.screen_named("home").tiles["guide"], Qt.MouseButton.LeftButton)
    screen = window.screen_named("guide")
    screen.journey.open_guide("ss-card-apply")
    qtbot.waitUntil(lambda: screen.journey.state == "guide", timeout=5000)
    tap(qtbot, screen.guide_print)
    qtbot.waitUntil(lambda: screen.journey.print_status != "printing", timeout=90_000)
    assert screen.journey.print_status == "printed", screen.journey.print_problem
    assert screen.guide_print_status.text() == "请取走您的办事指南"
    text = subprocess.run(["pdftotext", "-", "-"], input=a4.last_document, capture_output=True, timeout=60).stdout
    assert "社会保障卡" in text.decode() and "仅供参考" in text.decode()
    assert len(kiosk.printer.receipts) == receipts_before

    a4.open_door(True)  # the next guide cannot be printed: said under the guide, the QR still there
    kiosk.hub.refresh_a4printer()
    qtbot.waitUntil(lambda: not kiosk.hub.can_print_a4(), timeout=5000)
    screen.journey.print_guide()
    assert screen.journey.print_status == "failed"
    assert "扫描" in screen.guide_print_status.text()

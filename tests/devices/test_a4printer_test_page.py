"""The A4 test page is a PDF that poppler reads as one A4 page with its text, whatever the kiosk id says."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from devices.a4printer.test_page import a4_test_page

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def poppler(tool: str, pdf: bytes) -> str:
    return subprocess.run([tool, "-", "-"] if tool == "pdftotext" else [tool, "-"], input=pdf,
                          capture_output=True, timeout=60, check=True).stdout.decode()


def test_one_a4_page_with_the_kiosk_the_time_and_the_printer():
    pdf = a4_test_page(kiosk="XM-HALL-001", printer="ipp://192.0.2.20:631/ipp/print",
                       now=dt.datetime(2026, 12, 5, 21, 30))
    info = poppler("pdfinfo", pdf)
    assert "Pages:           1" in info and "(A4)" in info
    text = poppler("pdftotext", pdf)
    assert "A4 PRINTER TEST PAGE" in text and "XM-HALL-001" in text
    assert "2026-12-05 21:30:00" in text and "ipp://192.0.2.20:631/ipp/print" in text


def test_text_that_could_break_the_pdf_is_written_safely():
    pdf = a4_test_page(kiosk="K) Tj (x\\", printer="打印机 (A4)", now=dt.datetime(2026, 1, 1))
    text = poppler("pdftotext", pdf)
    assert "K) Tj (x\\" in text and "??? (A4)" in text
    assert "Syntax Error" not in subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stderr.decode()

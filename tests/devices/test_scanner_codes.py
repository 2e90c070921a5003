"""Scanned text is untrusted: only the expected formats parse, everything else is a ScanRejected."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import DeviceError
from devices.scanner.codes import (
    AppointmentCode,
    CenterLink,
    PaymentNotice,
    ScanRejected,
    clean_text,
    parse_code,
)
from devices.scanner.reader import LineAssembler, terminator_named
from devices.scanner.wedge import Scan, Typed, WedgeClassifier


def test_expected_formats() -> None:
    assert parse_code("YY202611250001") == AppointmentCode("YY202611250001", dt.date(2026, 11, 25))
    assert parse_code("https://zwfw.xm.gov.cn/appt/YY202611250001").code == "YY202611250001"
    assert parse_code("3502002611000001") == PaymentNotice("3502002611000001")
    assert parse_code("https://zwfw.xm.gov.cn/pay?notice=3502002611000002") == PaymentNotice(
        "3502002611000002"
    )
    assert parse_code("HTTPS://ZWFW.XM.GOV.CN:443/pay?notice=3502002611000002").number == "3502002611000002"
    link = parse_code("https://zwfw.xm.gov.cn/guide/42")
    assert isinstance(link, CenterLink) and link.path == "/guide/42"
    assert (
        parse_code("https://hall.example.org/pay?notice=3502002611000002", domain="hall.example.org").kind
        == "notice"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://zwfw.xm.gov.cn.evil.example/pay?notice=3502002611000001", "foreign_url"),
        ("https://evil.example/zwfw.xm.gov.cn/appt/YY202611250001", "foreign_url"),
        ("https://user@zwfw.xm.gov.cn/pay?notice=3502002611000001", "foreign_url"),
        ("https://zwfw.xm.gov.cn:8443/pay?notice=3502002611000001", "foreign_url"),
        ("http://zwfw.xm.gov.cn/pay?notice=3502002611000001", "insecure_url"),
        ("javascript://zwfw.xm.gov.cn/%0aalert(1)", "insecure_url"),
        ("https://zwfw.xm.gov.cn/pay?notice=3502002611000001&notice=3502002611000002", "bad_notice_url"),
        ("https://zwfw.xm.gov.cn/pay?notice=35020026110000", "bad_notice_url"),
        ("https://zwfw.xm.gov.cn/pay?notice=3502002611000001&amount=0", "bad_notice_url"),
        ("https://zwfw.xm.gov.cn/appt/YY20261125001", "bad_appointment_url"),
        ("YY202613450001", "bad_date"),
        ("35020026110000011", "unrecognised"),
        ("hello world", "unrecognised"),
        ("3502002611000001\x1b[2J", "control_character"),
        ("YY2026\u202e11250001", "control_character"),
        ("", "empty"),
        ("9" * 600, "too_long"),
    ],
)
def test_everything_else_is_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ScanRejected) as info:
        parse_code(text)
    assert info.value.reason == reason
    assert info.value.citizen_zh and info.value.citizen_en


def test_raw_bytes_must_be_utf8_and_bounded() -> None:
    assert clean_text(b"3502002611000001") == "3502002611000001"
    with pytest.raises(ScanRejected, match="UTF-8"):
        clean_text(b"\xff\xfe35")
    with pytest.raises(ScanRejected) as info:
        clean_text(b"1" * 513)
    assert info.value.reason == "too_long"


def test_line_assembler_terminators_and_overflow() -> None:
    lines = LineAssembler(b"\r", max_length=20)
    assert lines.feed(b"YY2026112") == []
    assert lines.feed(b"50001\r\n3502002611000001\r\n") == [b"YY202611250001", b"3502002611000001"]
    out = lines.feed(b"X" * 30)
    assert len(out) == 1 and isinstance(out[0], ScanRejected)
    assert lines.feed(b"more junk\rOK12\r") == [b"OK12"]  # the rest of the long line is dropped
    assert LineAssembler(terminator_named("CRLF")).feed(b"a\rb\r\n") == [b"a\rb"]
    assert terminator_named("0d0a") == b"\r\n"
    with pytest.raises(DeviceError, match="terminator"):
        terminator_named("NUL-ish")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=8), st.sampled_from([b"\r", b"\n", b"\r\n", b"\x03"]))
def test_random_bytes_only_yield_codes_or_device_errors(chunks: list[bytes], terminator: bytes) -> None:
    lines = LineAssembler(terminator, max_length=64)
    for chunk in chunks:
        for item in lines.feed(chunk + terminator * (len(chunk) % 2)):
            if isinstance(item, ScanRejected):
                continue
            assert len(item) <= 64
            try:
                parse_code(clean_text(item))
            except DeviceError:
                pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_random_text_only_parses_to_codes_or_scan_rejected(text: str) -> None:
    try:
        result = parse_code(text)
    except ScanRejected:
        return
    assert isinstance(result, AppointmentCode | PaymentNotice | CenterLink)


def keys(classifier: WedgeClassifier, text: str, start: float, gap: float) -> list:
    out = []
    for i, char in enumerate(text):
        out += classifier.key(char, start + i * gap)
    return out


def test_wedge_tells_a_scan_from_typing() -> None:
    classifier = WedgeClassifier()
    assert keys(classifier, "3502002611000001\r", 0.0, 0.010) == [Scan("3502002611000001")]
    typed = keys(classifier, "1234\r", 10.0, 0.150)  # a person typing
    assert "".join(t.text for t in typed) == "1234\r" and all(isinstance(t, Typed) for t in typed)
    assert keys(classifier, "ab\r", 20.0, 0.008) == [Typed("ab\r")]  # too short for a scan
    held = keys(classifier, "YY20", 30.0, 0.010)
    assert held == [] and classifier.holding
    assert classifier.flush(30.2) == [Typed("YY20")]  # no terminator came: it was typing


def test_wedge_separates_typing_followed_by_a_scan() -> None:
    classifier = WedgeClassifier()
    out = classifier.key("a", 0.0) + keys(classifier, "3502002611000001\r", 0.5, 0.012)
    assert out == [Typed("a"), Scan("3502002611000001")]


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=4, max_size=60),
    st.floats(0.005, 0.016),
    st.floats(0.1, 1.0),
)
def test_wedge_never_mixes_scans_and_typing(code: str, fast: float, slow: float) -> None:
    classifier = WedgeClassifier()
    scanned = keys(classifier, code + "\r", 0.0, fast) + classifier.flush(10.0)
    assert scanned == [Scan(code)]
    typed = keys(classifier, code + "\r", 100.0, slow) + classifier.flush(1000.0)
    assert not any(isinstance(t, Scan) for t in typed)
    assert "".join(t.text for t in typed) == code + "\r"

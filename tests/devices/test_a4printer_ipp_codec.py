"""IPP/1.1 messages: a round trip of what the kiosk sends, and hostile bytes give IppError only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.a4printer import ipp


def test_a_print_job_round_trips_with_its_document():
    message = ipp.request(ipp.PRINT_JOB, 7, "ipp://127.0.0.1:631/ipp/print")
    message.groups[0].add("job-name", ipp.NAME, "参保缴费证明").add("job-impressions", ipp.INTEGER, 2)
    message.groups.append(ipp.Group(ipp.JOB).add("media", ipp.KEYWORD, "iso_a4_210x297mm")
                          .add("finishings", ipp.ENUM, 3, 4).add("x-flag", ipp.BOOLEAN, True))
    message.data = b"%PDF-1.7 ..."
    decoded = ipp.decode(ipp.encode(message))
    assert (decoded.code, decoded.request_id, decoded.version) == (ipp.PRINT_JOB, 7, (1, 1))
    op = decoded.group(ipp.OPERATION)
    assert op.get("job-name") == "参保缴费证明" and op.get("job-impressions") == 2
    assert op.get("printer-uri") == "ipp://127.0.0.1:631/ipp/print"
    assert decoded.group(ipp.JOB).all("finishings") == [3, 4] and decoded.group(ipp.JOB).get("x-flag") is True
    assert decoded.data == b"%PDF-1.7 ..."


def test_known_bytes_of_a_get_printer_attributes_request():
    # RFC 8010 §3.1.1's layout: version 1.1, operation 0x000B, request-id 1, then the operation group
    message = ipp.request(ipp.GET_PRINTER_ATTRIBUTES, 1, "ipp://h/p", user="k")
    raw = ipp.encode(message)
    assert raw[:9] == b"\x01\x01\x00\x0b\x00\x00\x00\x01\x01"
    assert raw[9:33] == b"\x47\x00\x12attributes-charset\x00\x05utf-8"[:24]
    assert raw.endswith(b"\x42\x00\x14requesting-user-name\x00\x01k\x03")


@pytest.mark.parametrize("raw", [b"", b"\x01\x01", b"\x09\x09\x00\x00\x00\x00\x00\x01\x03",
                                 b"\x01\x01\x00\x00\x00\x00\x00\x01\x01\x47\x00\x40abc",
                                 b"\x01\x01\x00\x00\x00\x00\x00\x01\x47\x00\x01a\x00\x01b\x03",
                                 b"\x01\x01\x00\x00\x00\x00\x00\x01\x01\x21\x00\x01a\x00\x02ab\x03",
                                 b"\x01\x01\x00\x00\x00\x00\x00\x01\x01"])
def test_broken_messages_are_ipp_errors(raw):
    with pytest.raises(ipp.IppError):
        ipp.decode(raw)


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_ipp_error(raw):
    try:
        ipp.decode(raw)
    except ipp.IppError:
        pass

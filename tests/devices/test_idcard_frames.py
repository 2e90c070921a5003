"""The SAM frame codec: byte-exact commands, response parsing, capture scanning, random bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import ChecksumError, DeviceError, FrameError, FrameLengthError, TruncatedFrame
from devices.idcard.frames import (
    PREAMBLE,
    Command,
    Garbage,
    Response,
    Status,
    command_frame,
    response_frame,
    scan_frames,
    status_meaning,
)

# Complete frames from DEVICES.md, byte for byte.
DOCUMENTED = {
    Command.FIND: "AA AA AA 96 69 00 03 20 01 22",
    Command.SELECT: "AA AA AA 96 69 00 03 20 02 21",
    Command.READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
    Command.READ_WITH_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
    Command.RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    Command.SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    Command.READ_APPENDED_ADDRESS: "AA AA AA 96 69 00 03 30 03 30",
}


@pytest.mark.parametrize("command", list(Command))
def test_command_frames_are_byte_exact(command: Command) -> None:
    assert command_frame(command) == bytes.fromhex(DOCUMENTED[command])


def test_documented_responses_are_built_exactly() -> None:
    assert response_frame(Status.FIND_OK, bytes(4)) == bytes.fromhex("AAAAAA9669 0008 00009F 00000000 97")
    assert response_frame(Status.NO_CARD) == bytes.fromhex("AAAAAA9669 0004 000080 84")
    assert response_frame(Status.SELECT_FAILED) == bytes.fromhex("AAAAAA9669 0004 000081 85")
    read = response_frame(Status.SUCCESS, bytes.fromhex("01000400") + bytes(256 + 1024))
    assert len(read) == 1295 and read[5:7] == bytes.fromhex("0508")


def test_every_documented_status_has_a_meaning() -> None:
    for status in Status:
        assert not status_meaning(status).startswith("unknown status")
    assert status_meaning(0x55) == "unknown status 0x55"


def test_scan_reports_frames_garbage_and_broken_frames_in_order() -> None:
    good = response_frame(Status.FIND_OK, bytes(4))
    corrupt = bytearray(response_frame(Status.SUCCESS, bytes(8)))
    corrupt[-1] ^= 0xFF
    truncated = response_frame(Status.SUCCESS, bytes(20))[:15]
    capture = b"\x00noise" + good + bytes(corrupt) + truncated + good + b"\x13"
    items = scan_frames(capture)
    kinds = [type(i) for i in items]
    assert kinds == [Garbage, Response, ChecksumError, TruncatedFrame, Response, Garbage]
    assert items[0] == Garbage(0, 6)
    assert items[1].sw3 == Status.FIND_OK and items[1].offset == 6
    assert items[3].offset == 6 + len(good) + len(corrupt)
    assert "cut short" in items[3].technician


def test_scan_reports_absurd_length_and_capture_ending_early() -> None:
    absurd = PREAMBLE + b"\xff\xff\x00\x00\x90"
    items = scan_frames(absurd + response_frame(Status.NO_CARD))
    assert isinstance(items[0], FrameLengthError)
    assert isinstance(items[1], Response) and items[1].sw3 == Status.NO_CARD
    assert isinstance(scan_frames(PREAMBLE + b"\x00")[0], TruncatedFrame)
    assert isinstance(scan_frames(response_frame(Status.SUCCESS, bytes(10))[:-3])[0], TruncatedFrame)


def test_response_repr_never_shows_data() -> None:
    response = scan_frames(response_frame(Status.SUCCESS, "林秀英".encode("utf-16-le")))[0]
    assert "林" not in repr(response) and "6 data bytes" in repr(response)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.lists(st.sampled_from([PREAMBLE, b"\x00\x04", b"\x00\x03"]), max_size=6))
def test_random_bytes_only_produce_frames_garbage_or_frame_errors(noise: bytes, pieces: list[bytes]) -> None:
    data = noise + b"".join(pieces) + noise[::-1]
    for item in scan_frames(data):
        assert isinstance(item, Response | Garbage | DeviceError)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=64), st.binary(max_size=40), st.integers(0, 0xFF))
def test_random_frames_round_trip_and_single_flips_are_caught(prefix: bytes, data: bytes, sw3: int) -> None:
    frame = response_frame(sw3, data)
    items = [i for i in scan_frames(prefix.replace(b"\xaa", b"") + frame) if not isinstance(i, Garbage)]
    assert len(items) == 1 and isinstance(items[0], Response)
    assert (items[0].sw3, items[0].data) == (sw3, data)
    damaged = bytearray(frame)
    damaged[-1] ^= 0x01
    first = scan_frames(bytes(damaged))[0]
    # a preamble inside the data makes "cut short" the better explanation
    assert isinstance(first, ChecksumError if PREAMBLE not in frame[1:] else FrameError)


@settings(max_examples=40, deadline=None)
@given(
    st.binary(max_size=300),
    st.sampled_from([b"", PREAMBLE, PREAMBLE + b"\x00\x04", PREAMBLE + b"\x00\x05\x00"]),
)
def test_streaming_reader_on_random_bytes_only_raises_device_errors(noise: bytes, tail: bytes) -> None:
    import logging

    from devices.idcard.frames import read_response
    from devices.serial_link import SerialLink

    link = SerialLink("loop://", baudrate=115200, device="idcard", logger=logging.getLogger("test"))
    link.open()
    try:
        link.write(noise + tail)
        for _ in range(3):
            try:
                assert isinstance(read_response(link, 0.02), Response)
            except DeviceError:
                pass
    finally:
        link.close()

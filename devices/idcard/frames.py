"""SAM frames of the resident ID card reader (DEVICES.md §1), in both directions.

``AA AA AA 96 69 | LEN_HI LEN_LO | body | CHK``: LEN counts every byte after itself including the
checksum; CHK is the XOR of LEN_HI through the last body byte. A command body is ``CMD PARA data``,
a response body ``SW1 SW2 SW3 data``.

Two ways to read: ``read_response`` pulls one frame off a ``SerialLink`` under one deadline (the
driver); ``scan_frames`` walks captured bytes and reports every frame and every broken one (the
``kiosk idcard decode`` command and the tests). Only ``FrameError`` subclasses ever escape either.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass

from devices.errors import ChecksumError, FrameError, FrameLengthError, TruncatedFrame
from devices.serial_link import SerialLink

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
# The longest legitimate answer is read-with-fingerprint: 3 + 6 + 256 + 1024 + 1024 + 1 = 0x090A.
MAX_LENGTH = 0x0A00
MIN_RESPONSE_LENGTH = 4  # SW1 SW2 SW3 CHK
MIN_COMMAND_LENGTH = 3  # CMD PARA CHK
_GARBAGE_KEEP = 64


class Command(enum.Enum):
    """Every command of the SAM protocol as (CMD, PARA)."""

    FIND = (0x20, 0x01)
    SELECT = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_WITH_FINGERPRINT = (0x30, 0x10)
    READ_APPENDED_ADDRESS = (0x30, 0x03)
    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)


class Status(enum.IntEnum):
    """SW3 values and what they mean."""

    SUCCESS = 0x90
    FIND_OK = 0x9F
    NO_CONTENT = 0x91
    BAD_COMMAND_CHECKSUM = 0x10
    BAD_COMMAND_LENGTH = 0x11
    COMMAND_ERROR = 0x21
    NOT_PERMITTED = 0x23
    UNRECOGNISED_ERROR = 0x24
    CARD_REJECTED_SAM = 0x31
    SAM_REJECTED_CARD = 0x32
    VERIFICATION_FAILED = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81


STATUS_MEANING: dict[int, str] = {
    0x90: "success",
    0x9F: "find card succeeded",
    0x91: "no content for this item",
    0x10: "the reader got a bad checksum in our command",
    0x11: "the reader got a bad length in our command",
    0x21: "command error",
    0x23: "operation not permitted",
    0x24: "unrecognised error",
    0x31: "card failed to authenticate the SAM",
    0x32: "SAM failed to authenticate the card",
    0x33: "information verification failed",
    0x40: "unknown card type",
    0x41: "read failed",
    0x47: "get-random failed",
    0x60: "SAM self-test failed",
    0x66: "SAM not authorised",
    0x80: "find card failed (no card)",
    0x81: "select card failed",
}


def status_meaning(sw3: int) -> str:
    """Plain meaning of an SW3 byte, including ones the table does not know."""
    return STATUS_MEANING.get(sw3, f"unknown status 0x{sw3:02X}")


def checksum(data: bytes) -> int:
    """XOR of ``data`` (LEN_HI through the last body byte)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(body: bytes) -> bytes:
    """Preamble + length + ``body`` + checksum."""
    length = len(body) + 1
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([checksum(head + body)])


def command_frame(command: Command, data: bytes = b"") -> bytes:
    """The complete bytes of a command, e.g. find → ``AA AA AA 96 69 00 03 20 01 22``."""
    cmd, para = command.value
    return encode_frame(bytes([cmd, para]) + data)


def response_frame(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """The complete bytes of a reader's answer (used by the simulator and tests)."""
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Response:
    """One answer from the reader. ``offset`` is where its preamble started in a capture."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes
    offset: int = 0

    @property
    def meaning(self) -> str:
        return status_meaning(self.sw3)

    @property
    def ok(self) -> bool:
        return self.sw1 == 0 and self.sw2 == 0 and self.sw3 in (Status.SUCCESS, Status.FIND_OK)

    def __repr__(self) -> str:  # never print the data: it may hold a citizen's card
        return f"Response(sw=0x{self.sw1:02X}{self.sw2:02X}{self.sw3:02X}, {len(self.data)} data bytes)"


def _check_length(length: int, offset: int | None) -> None:
    if not MIN_RESPONSE_LENGTH <= length <= MAX_LENGTH:
        raise FrameLengthError(
            f"frame declares length {length} (0x{length:04X}); expected {MIN_RESPONSE_LENGTH}..{MAX_LENGTH}",
            offset=offset,
        )


def _parse_body(head: bytes, rest: bytes, offset: int) -> Response:
    """``head`` = the 2 length bytes, ``rest`` = LEN bytes (body + CHK)."""
    body, chk = rest[:-1], rest[-1]
    expected = checksum(head + body)
    if chk != expected:
        raise ChecksumError(f"checksum 0x{chk:02X} but bytes give 0x{expected:02X}", offset=offset)
    return Response(body[0], body[1], body[2], bytes(body[3:]), offset)


def read_response(link: SerialLink, timeout: float, *, on_garbage: object = None) -> Response:
    """One response frame from ``link`` under a single deadline.

    Garbage before the preamble is skipped (resync); ``on_garbage(count)`` is told how much.
    Raises ``DeviceTimeout`` (no or incomplete answer), ``FrameError`` (bad length or checksum),
    ``DeviceOffline`` (port gone).
    """
    deadline = time.monotonic() + timeout
    skipped, _ = link.read_until(PREAMBLE, deadline, limit=_GARBAGE_KEEP)
    if skipped and callable(on_garbage):
        on_garbage(len(skipped))
    head = link.read_exact(2, deadline)
    length = int.from_bytes(head, "big")
    _check_length(length, None)
    rest = link.read_exact(length, deadline)
    return _parse_body(head, rest, 0)


@dataclass(frozen=True)
class Garbage:
    """Bytes in a capture that belong to no frame."""

    offset: int
    size: int


ScanItem = Response | FrameError | Garbage


def scan_frames(data: bytes) -> list[ScanItem]:
    """Every frame in a capture, in order, with line noise and broken frames reported in place.

    A frame whose declared end runs past the end of the capture, or past the start of the next
    preamble with a bad checksum, is reported as ``TruncatedFrame``; scanning then resumes at the
    next preamble, so one broken frame never hides the ones after it.
    """
    items: list[ScanItem] = []
    pos = 0
    while pos < len(data):
        start = data.find(PREAMBLE, pos)
        if start < 0:
            items.append(Garbage(pos, len(data) - pos))
            break
        if start > pos:
            items.append(Garbage(pos, start - pos))
        head_at = start + len(PREAMBLE)
        if head_at + 2 > len(data):
            items.append(TruncatedFrame("capture ends inside the frame header", offset=start))
            break
        head = data[head_at : head_at + 2]
        length = int.from_bytes(head, "big")
        next_preamble = data.find(PREAMBLE, start + 1)
        try:
            _check_length(length, start)
        except FrameLengthError as exc:
            items.append(exc)
            pos = next_preamble if next_preamble >= 0 else len(data)
            continue
        end = head_at + 2 + length
        if end > len(data):
            items.append(
                TruncatedFrame(
                    f"frame declares {length} bytes after its length, capture has {len(data) - head_at - 2}",
                    offset=start,
                )
            )
            pos = next_preamble if next_preamble >= 0 else len(data)
            continue
        try:
            items.append(_parse_body(head, data[head_at + 2 : end], start))
        except ChecksumError as exc:
            if 0 <= next_preamble < end:
                items.append(
                    TruncatedFrame(
                        f"frame cut short: declares {length} bytes but the next frame starts "
                        f"{next_preamble - head_at - 2} bytes in",
                        offset=start,
                    )
                )
                pos = next_preamble
                continue
            items.append(exc)
        pos = end
    return items


__all__ = [
    "PREAMBLE",
    "Command",
    "FrameError",
    "Garbage",
    "Response",
    "Status",
    "command_frame",
    "read_response",
    "response_frame",
    "scan_frames",
    "status_meaning",
]

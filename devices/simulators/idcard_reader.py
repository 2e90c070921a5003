"""A SAM ID card reader on a pty, answering the real frames with the demo citizens' cards.

Behaviour follows DEVICES.md §1: find answers 9F while a card lies on the reader that has not been
read; select answers 90 after a find (and while a read card still lies there); a read without a
select fails (41); after a read, find answers 80 until the card is lifted and placed again.
Whether the card is still there after a read is answered by select (90 present / 81 gone): real
readers differ here, so the driver's removal probe is configurable.

Wire timing: by default bytes move at pty (memory) speed. ``pace(baudrate)`` — ``sim://idcard?pace=1``
in a device URL — makes the reader answer as on a real 8N1 line (10 bits a byte): it starts its
answer once the command's last byte would have arrived and sends it in ~2 ms chunks, each when its
last byte would be on the wire, so the 1295-byte read answer takes ~112 ms at 115200. The demo
configuration paces; tests do not unless they ask.

For tests: ``inject(raw)`` sends raw bytes instead of the next answer (corrupt checksum, truncated
frame, garbage, two frames), ``mute`` stops answering, ``unplug()`` closes the pty.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from devices.idcard.frames import PREAMBLE, Command, Status, checksum, response_frame
from devices.simulators.citizens import CITIZENS, DemoCitizen
from devices.simulators.pty_link import PtyLink, PtySimulator

log = logging.getLogger("devices.simulators")

BITS_PER_BYTE = 10  # 8N1: start bit, 8 data bits, stop bit
CHUNK_SECONDS = 0.002  # line time per paced write: fine enough to look like a serial line to the driver
SAM_ID = bytes.fromhex("0500 0000 0100 0000 4e61bc00 3412 0000")  # 16 bytes, little-endian numbers
_COMMANDS = {c.value: c for c in Command}


class IdCardReaderSimulator(PtySimulator):
    """The simulated reader. ``slave_path`` is the port the driver opens."""

    name = "idcard"

    def __init__(
        self, citizens: dict[str, DemoCitizen] | None = None, *, baudrate: int | None = None
    ) -> None:
        self.citizens = dict(citizens or CITIZENS)
        self.baudrate: int | None = None
        self.pace(baudrate)
        self.link = PtyLink(self.name, self._on_bytes)
        self._lock = threading.Lock()
        self._buffer = bytearray()
        self._card: DemoCitizen | None = None
        self._found = False
        self._selected = False
        self._read_done = False
        self._injected: list[bytes] = []
        self.mute = False
        # the latest command frames, for tests and the technician (bounded: a demo runs for weeks)
        self.received: deque[bytes] = deque(maxlen=1000)

    # --- control (demo panel, tests) ---------------------------------------------------------
    def pace(self, baudrate: int | None) -> None:
        """Send answers at ``baudrate`` 8N1 from now on; None: at memory speed."""
        if baudrate is not None and baudrate <= 0:
            raise ValueError(f"baud rate must be positive, not {baudrate!r}")
        self.baudrate = baudrate

    def wire_seconds(self, size: int) -> float:
        """How long ``size`` bytes take on the line at the paced baud rate (0 when not paced)."""
        return size * BITS_PER_BYTE / self.baudrate if self.baudrate else 0.0

    def place(self, key: str) -> None:
        """Put a citizen's card on the reader (replacing any card there)."""
        if key not in self.citizens:
            raise KeyError(f"no demo citizen {key!r}; known: {', '.join(self.citizens)}")
        with self._lock:
            self._card = self.citizens[key]
            self._found = self._selected = self._read_done = False

    def lift(self) -> None:
        with self._lock:
            self._card = None
            self._found = self._selected = self._read_done = False

    @property
    def card_key(self) -> str | None:
        return self._card.key if self._card else None

    def inject(self, raw: bytes) -> None:
        """Answer the next command with exactly these bytes."""
        with self._lock:
            self._injected.append(raw)

    def replug(self) -> None:
        with self._lock:
            self._buffer.clear()
        super().replug()

    # --- wire side ---------------------------------------------------------------------------
    def _on_bytes(self, data: bytes) -> None:
        arrived = time.monotonic()
        with self._lock:
            self._buffer += data
            answers = []
            while True:
                start = self._buffer.find(PREAMBLE)
                if start < 0:
                    del self._buffer[: max(0, len(self._buffer) - len(PREAMBLE) + 1)]
                    break
                del self._buffer[:start]
                if len(self._buffer) < 7:
                    break
                length = int.from_bytes(self._buffer[5:7], "big")
                if length > 64:
                    answers.append(response_frame(Status.BAD_COMMAND_LENGTH))
                    del self._buffer[:1]
                    continue
                if len(self._buffer) < 7 + length:
                    break
                frame = bytes(self._buffer[: 7 + length])
                del self._buffer[: 7 + length]
                self.received.append(frame)
                if self.mute:
                    continue
                answers.append(self._injected.pop(0) if self._injected else self._answer(frame))
                # the pty delivered the command at once; on a line its last byte arrives this much later
                arrived += self.wire_seconds(len(frame))
        sending_at = arrived
        for answer in answers:
            if not self._send(answer, sending_at):
                break
            sending_at += self.wire_seconds(len(answer))

    def _send(self, answer: bytes, start: float) -> bool:
        """Write ``answer`` as if its first byte went on the line at ``start``; False when unplugged."""
        baudrate = self.baudrate
        if not baudrate:
            return self.link.write(answer)
        chunk = max(1, int(baudrate * CHUNK_SECONDS / BITS_PER_BYTE))
        for offset in range(0, len(answer), chunk):
            part = answer[offset : offset + chunk]
            # a chunk goes out when its last byte would have arrived over the line
            delay = start + (offset + len(part)) * BITS_PER_BYTE / baudrate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if not self.link.write(part):
                return False
        return True

    def _answer(self, frame: bytes) -> bytes:
        length = int.from_bytes(frame[5:7], "big")
        if checksum(frame[5:-1]) != frame[-1]:
            return response_frame(Status.BAD_COMMAND_CHECKSUM)
        if length < 3:
            return response_frame(Status.BAD_COMMAND_LENGTH)
        command = _COMMANDS.get((frame[7], frame[8]))
        card = self._card
        if command is Command.FIND:
            if card is not None and not self._read_done:
                self._found = True
                return response_frame(Status.FIND_OK, b"\x00\x00\x00\x00")
            return response_frame(Status.NO_CARD)
        if command is Command.SELECT:
            if card is not None and (self._found or self._read_done):
                self._selected = True
                return response_frame(Status.SUCCESS, bytes(8))
            return response_frame(Status.SELECT_FAILED)
        if command in (Command.READ_TEXT_PHOTO, Command.READ_WITH_FINGERPRINT):
            if card is None or not self._selected or self._read_done:
                return response_frame(Status.READ_FAILED)
            self._read_done, self._found, self._selected = True, False, False
            text, photo = card.text_block(), card.photo()
            if command is Command.READ_TEXT_PHOTO:
                lengths = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
                return response_frame(Status.SUCCESS, lengths + text + photo)
            finger = card.fingerprint()
            lengths = b"".join(len(x).to_bytes(2, "big") for x in (text, photo, finger))
            return response_frame(Status.SUCCESS, lengths + text + photo + finger)
        if command is Command.READ_APPENDED_ADDRESS:
            if card is None or not card.appended_address:
                return response_frame(Status.NO_CONTENT)
            raw = card.appended_address.encode("utf-16-le")
            return response_frame(Status.SUCCESS, raw + " ".encode("utf-16-le") * ((70 - len(raw)) // 2))
        if command is Command.SAM_ID:
            return response_frame(Status.SUCCESS, SAM_ID)
        if command in (Command.SAM_STATUS, Command.RESET_SAM):
            return response_frame(Status.SUCCESS)
        return response_frame(Status.COMMAND_ERROR)

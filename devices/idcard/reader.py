"""The ID card reader driver: SAM commands over a serial port, and a polling thread that waits for cards.

While armed (a screen is asking for a card) and no card lies on the reader, the thread sends
*find* every ``poll_interval`` — 10 ms by default; a found card is selected and read, and
reported as a ``CARD_PRESENT`` event carrying the ``IdCard`` (or an ``ERROR`` event carrying what
went wrong). The same card is never read twice: it must be lifted and placed again, and its
lifting is reported as ``CARD_REMOVED``. How removal is noticed after a read differs between
readers, so the probe is configurable (``select``: select fails once the card is gone — the
default; ``find``: find fails once the card is gone).

Two intervals, and why:

- ``poll_interval`` (URL ``poll=``, default 0.01 s): the attentive poll, only while armed with no
  card on the reader. DEVICES.md says "about 300 ms", but a card then waits up to 300 ms before
  the reader even looks for it, more than the whole read's wire time (≈ 118 ms for find, select
  and the 1295-byte read answer at 115200 8N1). The kiosk's target is card placed → masked name on
  screen ≤ wire time + 30 ms. The wait for the next find is at p95 0.95 of an interval, the find
  itself ~2 ms, and the kiosk's own path (decode, checks, screen, paint) 5–10 ms, so the interval
  must stay under ~20 ms; measured (benchmarks/bench_card.py) 15 ms gives p95 ≈ 141–145 ms
  against 148, 10 ms ≈ 135 ms, which leaves room for a busy machine. One find costs ~2 ms of line
  time at 115200 (a 10-byte command, a 15-byte answer) and ~1 % of a core, and only while the
  screen asks for a card. It is what makes a placed card feel instant. The interval runs from the
  start of one find to the next, so a slow reader is polled back to back, never faster.
- ``removal_poll_interval`` (URL ``removal_poll=``, default 0.3 s, the DEVICES.md pace): probing
  whether a card already read is still there (find + select, ~5 ms of line), and the idle tick
  when not armed (no command is sent then; the tick only reopens a lost port). A lift noticed
  0.3 s late harms nobody.

``arm()`` wakes the thread at once, so a card already lying on the reader when the screen opens is
read without waiting out an idle tick; ``disable()``/``close()`` wake it too and end it promptly.

A reader that stops answering or disappears is reported ``OFFLINE`` and reopened with back-off;
the thread never dies of a device problem.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from devices.errors import DeviceError, DeviceOffline, DeviceOperationError, DeviceTimeout, FrameError
from devices.idcard.card import CardDecodeError, IdCard, decode_text
from devices.idcard.frames import Command, Response, Status, command_frame, read_response
from devices.model import Backoff, DeviceState, StatusKind
from devices.serial_link import PortName, SerialLink
from devices.supervision import SupervisedDevice

log = logging.getLogger("devices.idcard")


# the largest answers (DEVICES.md §1): text + photo, and text + photo + a 1024-byte fingerprint
_LONG_ANSWER_BYTES = {Command.READ_TEXT_PHOTO: 1295, Command.READ_WITH_FINGERPRINT: 2321}


class CardReadError(DeviceOperationError):
    """The reader answered a command with a failure status (SW3)."""

    default_zh = "读卡失败，请将身份证平放在感应区，不要移动。"
    default_en = "The card could not be read. Please lay it flat on the reader and keep it still."

    def __init__(self, command: Command, response: Response) -> None:
        super().__init__(
            f"{command.name} answered SW3=0x{response.sw3:02X}: {response.meaning}", device="idcard"
        )
        self.command = command
        self.sw3 = response.sw3


@dataclass(frozen=True)
class SamId:
    """The SAM module's identity: the raw 16 bytes and the common dotted form of its numbers."""

    raw: bytes

    @property
    def text(self) -> str:
        # unsigned little-endian numbers; vendors format them differently, this is the common one
        r = self.raw
        parts = (
            int.from_bytes(r[0:2], "little"),
            int.from_bytes(r[2:4], "little"),
            int.from_bytes(r[4:8], "little"),
            int.from_bytes(r[8:12], "little"),
            int.from_bytes(r[12:16], "little"),
        )
        return f"{parts[0]:02d}.{parts[1]:02d}-{parts[2]:08d}-{parts[3]:010d}-{parts[4]:010d}"


def decode_read_response(command: Command, data: bytes) -> IdCard:
    """Split a read answer into text, photo (and fingerprint) by its length fields and decode it."""
    count = 3 if command is Command.READ_WITH_FINGERPRINT else 2
    if len(data) < 2 * count:
        raise CardDecodeError(f"read answer has {len(data)} data bytes, too short for its length fields")
    lengths = [int.from_bytes(data[2 * i : 2 * i + 2], "big") for i in range(count)]
    body = data[2 * count :]
    if sum(lengths) != len(body):
        raise CardDecodeError(f"read answer declares parts of {lengths} bytes but carries {len(body)}")
    text = body[: lengths[0]]
    photo = body[lengths[0] : lengths[0] + lengths[1]]
    fingerprint = body[lengths[0] + lengths[1] :] if count == 3 else b""
    return decode_text(text, photo, fingerprint)


class IdCardReader(SupervisedDevice):
    """A SAM ID card reader on a serial port (or a simulator's pty)."""

    kind = "idcard"
    offline_errors = (DeviceOffline, DeviceTimeout, FrameError)

    def __init__(
        self,
        port: PortName,
        *,
        name: str = "idcard",
        baudrate: int = 115200,
        state_dir: str | None = None,
        poll_interval: float = 0.01,
        removal_poll_interval: float = 0.3,
        response_timeout: float = 1.0,
        with_fingerprint: bool = False,
        removal_probe: str = "select",
        backoff: Backoff | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(name, state_dir=state_dir, backoff=backoff)
        if removal_probe not in ("select", "find"):
            raise ValueError("removal_probe must be 'select' or 'find'")
        for label, value in (("poll_interval", poll_interval), ("removal_poll_interval", removal_poll_interval)):
            if not value > 0:
                raise ValueError(f"{label} must be a positive number of seconds, not {value!r}")
        self.link = SerialLink(port, baudrate=baudrate, device=name, logger=log)
        self.baudrate = baudrate
        self.poll_interval = poll_interval
        self.removal_poll_interval = removal_poll_interval
        self.response_timeout = response_timeout
        self.with_fingerprint = with_fingerprint
        self.removal_probe = removal_probe
        self.today = today
        self._io_lock = threading.Lock()
        self._armed = threading.Event()
        self._card_on_reader = False

    # --- transport -------------------------------------------------------------------------
    def _open(self) -> None:
        self.link.open()
        self._online = True

    def _close(self) -> None:
        self.link.close()

    def _garbage(self, count: int) -> None:
        log.info("%s: skipped %d bytes of line noise before a frame", self.name, count)
        self.statistics.add("resyncs")

    def transact(self, command: Command, timeout: float | None = None) -> Response:
        """Send one command and return the reader's answer (any SW3); raises on transport problems."""
        self._require_open()
        with self._io_lock:
            try:
                stale = self.link.discard_input()
                if stale:
                    log.info("%s: dropped %d stale bytes before %s", self.name, stale, command.name)
                self.link.write(command_frame(command))
                response = read_response(
                    self.link,
                    (timeout or self.response_timeout) + self._wire_allowance(command),
                    on_garbage=self._garbage,
                )
            except (DeviceTimeout, DeviceOffline, FrameError):
                self.statistics.add("communication_failures")
                raise
        if response.sw3 in (Status.BAD_COMMAND_CHECKSUM, Status.BAD_COMMAND_LENGTH):
            # the reader says OUR frame arrived damaged: a line problem, not a card problem
            self.statistics.add("communication_failures")
        return response

    def _wire_allowance(self, command: Command) -> float:
        # the deadline must cover the answer's own time on the line: a fingerprint read is 2.3 kB,
        # 0.2 s at 115200 but 2.4 s at 9600 (short answers fit in the response timeout anyway)
        return _LONG_ANSWER_BYTES.get(command, 0) * 10 / self.baudrate

    def _expect(self, command: Command, *ok: int) -> Response:
        response = self.transact(command)
        if response.sw3 not in ok:
            raise CardReadError(command, response)
        return response

    # --- commands ----------------------------------------------------------------------------
    def find_card(self) -> bool:
        """True when a card that has not been read lies on the reader."""
        return self._expect(Command.FIND, Status.FIND_OK, Status.NO_CARD).sw3 == Status.FIND_OK

    def select_card(self) -> bool:
        return self._expect(Command.SELECT, Status.SUCCESS, Status.SELECT_FAILED).sw3 == Status.SUCCESS

    def read_card(self, with_fingerprint: bool | None = None) -> IdCard:
        """Read the selected card: text and photo (and fingerprint if asked). Needs find + select first."""
        fingerprint = self.with_fingerprint if with_fingerprint is None else with_fingerprint
        command = Command.READ_WITH_FINGERPRINT if fingerprint else Command.READ_TEXT_PHOTO
        response = self._expect(command, Status.SUCCESS)
        card = decode_read_response(command, response.data)
        self.statistics.add("cards_read")
        return card

    def read_appended_address(self) -> str | None:
        """The newest address appended on the card's chip, or None when there is none."""
        response = self._expect(Command.READ_APPENDED_ADDRESS, Status.SUCCESS, Status.NO_CONTENT)
        if response.sw3 == Status.NO_CONTENT:
            return None
        return response.data.decode("utf-16-le", errors="replace").rstrip(" \x00") or None

    def sam_id(self) -> SamId:
        response = self._expect(Command.SAM_ID, Status.SUCCESS)
        if len(response.data) != 16:
            raise DeviceOperationError(
                f"SAM id has {len(response.data)} bytes, expected 16", device=self.name
            )
        return SamId(response.data)

    def sam_status(self) -> str:
        """The SAM's self-test result as its meaning (``success`` when healthy)."""
        return self.transact(Command.SAM_STATUS).meaning

    def reset_sam(self) -> None:
        self._expect(Command.RESET_SAM, Status.SUCCESS)

    def read_once(self, timeout: float = 10.0) -> IdCard:
        """Wait up to ``timeout`` for a card and read it (for the command line; the kiosk uses events)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.find_card() and self.select_card():
                return self.read_card()
            if time.monotonic() + self.poll_interval > deadline:
                raise DeviceTimeout(
                    f"no card within {timeout:g} s",
                    device=self.name,
                    citizen_zh="未检测到身份证，请将身份证放在感应区。",
                    citizen_en="No card found. Please place your ID card on the reader.",
                )
            time.sleep(self.poll_interval)

    # --- waiting for cards ---------------------------------------------------------------------
    def arm(self) -> None:
        """Start reading cards that are placed (the journey is waiting for one); a card already
        lying on the reader is looked for at once, not after the idle tick."""
        self._armed.set()
        self._wake_up()

    def disarm(self) -> None:
        """Stop reading new cards; removal of a card already read is still reported."""
        self._armed.clear()

    @property
    def armed(self) -> bool:
        return self._armed.is_set()

    def _enable(self) -> None:
        self._start_supervision("poll")

    def _disable(self) -> None:
        self._stop_supervision(self.response_timeout * 3 + self.poll_interval + 1)

    def _next_delay(self, started: float) -> float:
        """Seconds until the next poll: attentive while armed with no card on the reader, else slow."""
        if self._armed.is_set() and not self._card_on_reader:
            # measured from the start of the last find, so the exchange's own line time does not
            # stretch the period
            return max(0.0, started + self.poll_interval - time.monotonic())
        return self.removal_poll_interval

    def _round(self) -> float:
        started = time.monotonic()
        if not self.link.is_open:
            self.link.open()
            self._went_online()
        self._poll_once()
        if self._state == DeviceState.ERROR and self._online:
            self._set_state(DeviceState.IDLE)
        return self._next_delay(started)

    def _failure_delay(self) -> float:
        return self.removal_poll_interval  # a failing reader is not hammered every 10 ms

    def _poll_once(self) -> None:
        if self._card_on_reader:
            if self.find_card():
                # lifted and placed again between two polls: that is a removal and a new card
                self._removed()
                self._read_found_card()
            elif not (self.select_card() if self.removal_probe == "select" else False):
                self._removed()
            return
        if self._armed.is_set() and self.find_card():
            self._read_found_card()

    def _read_found_card(self) -> None:
        # from here on the card counts as "on the reader": even a failed read waits for a lift
        self._card_on_reader = True
        self._set_state(DeviceState.BUSY)
        try:
            if not self.select_card():
                raise CardReadError(Command.SELECT, Response(0, 0, Status.SELECT_FAILED, b""))
            card = self.read_card()
        except (DeviceOffline, DeviceTimeout, FrameError):
            raise
        except DeviceError as exc:
            self.statistics.add("read_failures")
            log.warning("%s: card read failed: %s", self.name, exc.technician)
            self._emit(StatusKind.ERROR, exc.technician, exc)
            return
        finally:
            if self._state == DeviceState.BUSY:
                self._set_state(DeviceState.IDLE)
        log.info("%s: %s card read", self.name, card.card_type)
        self._emit(StatusKind.CARD_PRESENT, str(card.card_type), card)

    def _removed(self) -> None:
        self._card_on_reader = False
        log.info("%s: card removed", self.name)
        self._emit(StatusKind.CARD_REMOVED)

    def _drop_connection(self) -> None:
        self.link.close()

    def _lost(self, exc: DeviceError) -> None:
        self._card_on_reader = False

    # --- health ----------------------------------------------------------------------------------
    def _health_external(self) -> tuple[bool, str]:
        sam = self.sam_id()
        status = self.sam_status()
        return status == "success", f"SAM {sam.text} ({sam.raw.hex()}); self-test: {status}"

    def _health_interactive(self) -> tuple[bool, str]:
        return True, "place a test card on the reader and run `kiosk idcard read`"

"""Who may enter technician mode, and the audit log of what technicians did.

The PIN is stored only as a salted scrypt hash (:mod:`contract.scrypt_hash`),
made by ``kiosk config pin-hash`` and kept in ``security.technician_pin_hash``. The parameters
travel with the hash, so they can be raised later without invalidating existing hashes.

Five wrong PINs in a row lock entry for five minutes. The count and the lock live in
``state_dir/technician-lock.json``, so restarting the kiosk (pulling the plug) does not reset them.

Every technician action is appended to ``state_dir/audit.jsonl``: one JSON object per line with
``seq``, ``at``, ``action``, ``detail`` and ``prev``, the SHA-256 of the previous line's exact bytes
(64 zeros for the first). Editing or deleting a line breaks the chain at the next line, which
:func:`verify_audit` reports. Deleting lines at the *end* leaves a shorter valid chain; to catch
that too, report :meth:`AuditLog.head` in the heartbeat so the gateway holds the latest link.
The log never holds personal data: details are technical, and free text passes through
:func:`kiosk.system.privacy.redact`.

Checking a PIN takes about a tenth of a second on purpose; call :meth:`TechnicianGate.try_pin`
off the GUI thread.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from config.errors import ConfigError
from config.local import KioskSettings
from contract.scrypt_hash import ScryptHash, ScryptLimits
from kiosk.system.clock import Clock
from kiosk.system.durable_files import write_atomically
from kiosk.system.privacy import redact

log = logging.getLogger("fleet")

PIN_PATTERN = re.compile(r"^[0-9]{6,12}$")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ~32 MiB and ~0.1 s per check on a kiosk PC
# a hash asking for more would let a bad config stall the kiosk
PIN_HASH_LIMITS = ScryptLimits(max_n=2**20, max_r=32, max_p=16)
PinHash = ScryptHash

MAX_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)

GENESIS = "0" * 64
_ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{0,40}$")


# -- the PIN ------------------------------------------------------------------------------------

def check_pin_choice(pin: str) -> str | None:
    """Why ``pin`` is not acceptable as a technician PIN, or None when it is."""
    if not PIN_PATTERN.match(pin):
        return "a PIN is 6 to 12 digits"
    if len(set(pin)) == 1:
        return "a PIN of one repeated digit is too easy to guess"
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {-1}):
        return "a PIN of consecutive digits is too easy to guess"
    return None


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None) -> str:
    """A new salted scrypt hash of ``pin`` in the form kept in the local configuration."""
    return str(PinHash.make(pin, n=n, r=r, p=p, salt=salt))


def parse_pin_hash(stored: str) -> PinHash:
    """Read ``security.technician_pin_hash``; raises ``ValueError`` saying what form was expected."""
    return PinHash.parse(stored, PIN_HASH_LIMITS, made_by="`kiosk config pin-hash`")


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches the stored hash. A malformed stored hash raises ``ValueError``."""
    return parse_pin_hash(stored).matches(pin)


# -- the audit log ----------------------------------------------------------------------------------

Detail = Mapping[str, str | int | float | bool | list[str] | None] | str  # a list: key ids, never free text


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    action: str
    detail: object
    prev: str


@dataclass(frozen=True)
class AuditCheck:
    """The result of :func:`verify_audit`: ``ok``, how many lines were sound, and the first problem."""

    ok: bool
    lines: int
    problem: str | None = None
    line_number: int | None = None


def _line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _clean(detail: Detail) -> object:
    if isinstance(detail, str):
        return redact(detail)
    return {str(key): redact(value) if isinstance(value, str) else value for key, value in detail.items()}


class AuditLog:
    """Append-only, hash-chained record of technician actions in ``state_dir/audit.jsonl``."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock

    @classmethod
    def in_state_dir(cls, state_dir: Path, clock: Clock) -> AuditLog:
        return cls(Path(state_dir) / "audit.jsonl", clock)

    def record(self, action: str, detail: Detail = "") -> AuditEntry:
        """Append one action (``action`` like ``paper_replaced``; ``detail`` technical, never personal)."""
        if not _ACTION_PATTERN.match(action):
            raise ValueError(f"audit action must be a short lower-case word like 'paper_replaced', got {action!r}")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            # one writer at a time (the kiosk and a command line), so two lines never share a `prev`
            fcntl.flock(fd, fcntl.LOCK_EX)
            last, seq = _last_line(fd)
            prefix = b""
            if last is not None and not last.endswith(b"\n"):
                prefix = b"\n"  # a torn last line (power cut) stays visible as damage, the chain goes on
            prev = _line_hash(last.rstrip(b"\n")) if last is not None else GENESIS
            entry = AuditEntry(seq + 1, self.clock.now().isoformat(timespec="seconds"), action, _clean(detail), prev)
            line = json.dumps(entry.__dict__, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            os.write(fd, prefix + line.encode("utf-8") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        return entry

    def head(self) -> tuple[int, str]:
        """Sequence number and hash of the last line: report it elsewhere to anchor the chain's end."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return 0, GENESIS
        try:
            last, seq = _last_line(fd)
        finally:
            os.close(fd)
        return seq, _line_hash(last.rstrip(b"\n")) if last is not None else GENESIS

    def entries(self) -> list[AuditEntry]:
        """Every readable entry, oldest first (for the diagnostics screen)."""
        result = []
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return []
        for line in lines:
            try:
                result.append(AuditEntry(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return result


def _last_line(fd: int) -> tuple[bytes | None, int]:
    """The file's last line (with its newline if it has one) and that line's ``seq``."""
    size = os.fstat(fd).st_size
    if size == 0:
        return None, 0
    chunk, start = b"", size
    while start > 0:  # read backwards until the start of the last line is in hand
        step = min(4096, start)
        start -= step
        chunk = os.pread(fd, step, start) + chunk
        if b"\n" in chunk.removesuffix(b"\n"):
            break
    last = chunk[chunk.removesuffix(b"\n").rfind(b"\n") + 1:]
    try:
        seq = int(json.loads(last)["seq"])
    except (ValueError, KeyError, TypeError):
        seq = _count_lines(fd)
    return last, seq


def _count_lines(fd: int) -> int:
    return os.pread(fd, os.fstat(fd).st_size, 0).count(b"\n") + 1


def verify_audit(path: Path) -> AuditCheck:
    """Walk the chain of an audit log; report the first line that was edited, removed, inserted or torn."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return AuditCheck(True, 0)
    prev = GENESIS
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
            fields = (entry["seq"], entry["at"], entry["action"], entry["prev"])
        except (ValueError, KeyError, TypeError):
            return AuditCheck(False, number - 1, "not a readable audit entry (torn or edited)", number)
        if fields[3] != prev:
            return AuditCheck(False, number - 1, "chain broken: this line or the one before it was changed, "
                                                 "or lines were removed or inserted", number)
        if fields[0] != number:
            return AuditCheck(False, number - 1, f"sequence number {fields[0]}, expected {number}", number)
        prev = _line_hash(line)
    return AuditCheck(True, len(lines))


# -- entry ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EntryResult:
    """The answer to a PIN: accepted, wrong (with attempts left), locked (until when), or not configured."""

    outcome: Literal["accepted", "wrong_pin", "locked", "not_configured"]
    attempts_left: int = MAX_ATTEMPTS
    locked_until: datetime | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


class TechnicianGate:
    """Checks technician PINs, counts failures, and locks entry after :data:`MAX_ATTEMPTS` wrong ones."""

    def __init__(self, state_dir: Path, pin_hash: str | None, clock: Clock, audit: AuditLog | None = None) -> None:
        try:
            self._hash = parse_pin_hash(pin_hash) if pin_hash else None
        except ValueError as exc:
            raise ConfigError("security.technician_pin_hash", [str(exc)]) from None
        self.clock = clock
        self.audit = audit or AuditLog.in_state_dir(state_dir, clock)
        self.path = Path(state_dir) / "technician-lock.json"
        self.path.parent.mkdir(parents=True, exist_ok=True)

    @classmethod
    def for_settings(cls, settings: KioskSettings, clock: Clock) -> TechnicianGate:
        return cls(settings.state_dir, settings.security.technician_pin_hash, clock)

    def _load(self) -> tuple[int, datetime | None]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            failures = int(data.get("failures", 0))
            until = datetime.fromisoformat(data["locked_until"]) if data.get("locked_until") else None
            if until is not None and until.tzinfo is None:
                raise ValueError("naive time")
            return failures, until
        except FileNotFoundError:
            return 0, None
        except (OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
            # fail closed: a damaged lock file must not become a way round the lockout
            log.warning("technician lock file unreadable (%s); locking entry for %s", exc, LOCKOUT)
            until = self.clock.now() + LOCKOUT
            self._save(0, until)
            return 0, until

    def _save(self, failures: int, until: datetime | None) -> None:
        state = {"failures": failures, "locked_until": until.isoformat() if until else None}
        write_atomically(self.path, json.dumps(state).encode("utf-8"))

    def locked_until(self) -> datetime | None:
        """When entry opens again, or None when it is open now."""
        _, until = self._load()
        now = self.clock.now()
        if until is None or now >= until:
            return None
        # the clock was set back: never lock longer than LOCKOUT from now
        return min(until, now + LOCKOUT)

    def try_pin(self, pin: str) -> EntryResult:
        """Check a PIN typed on the keypad; records the attempt in the audit log (never the PIN)."""
        if self._hash is None:
            self.audit.record("entry_refused", {"why": "no technician PIN configured"})
            return EntryResult("not_configured", 0)
        until = self.locked_until()
        if until is not None:
            self.audit.record("entry_refused", {"why": "locked", "locked_until": until.isoformat(timespec="seconds")})
            return EntryResult("locked", 0, until)
        failures, _ = self._load()
        if self._hash.matches(pin):
            self._save(0, None)
            self.audit.record("entry", {"failed_before": failures})
            log.info("technician mode entered")
            return EntryResult("accepted")
        failures += 1
        if failures >= MAX_ATTEMPTS:
            until = self.clock.now() + LOCKOUT
            self._save(0, until)
            self.audit.record("entry_locked", {"wrong_pins": failures,
                                               "locked_until": until.isoformat(timespec="seconds")})
            log.warning("technician entry locked until %s after %d wrong PINs", until.isoformat(timespec="seconds"),
                        failures)
            return EntryResult("locked", 0, until)
        self._save(failures, None)
        self.audit.record("pin_refused", {"attempts_left": MAX_ATTEMPTS - failures})
        log.warning("wrong technician PIN (%d attempts left)", MAX_ATTEMPTS - failures)
        return EntryResult("wrong_pin", MAX_ATTEMPTS - failures)

    def leave(self) -> None:
        """The technician left technician mode."""
        self.audit.record("exit")

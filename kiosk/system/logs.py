"""Logging: JSON lines, one logger per area, rotation, and redaction of personal data.

Areas: kiosk, session, screens, qt, devices.*, cache, outbox, sync, gateway.client, config, fleet.
Every record passes through :class:`RedactionFilter` before any handler formats it, so an ID,
permit, pass or phone number, an address or the current citizen's name never reaches a file
(the rules: :mod:`kiosk.system.privacy`).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
import threading
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from kiosk.system.privacy import redact

_citizen_names: tuple[str, ...] = ()
_citizen_addresses: tuple[str, ...] = ()
_names_lock = threading.Lock()


def set_citizen_names(*names: str) -> None:
    """The names of the citizen at the kiosk now; redacted from every record until cleared."""
    global _citizen_names
    with _names_lock:
        _citizen_names = tuple(n for n in names if n)


def set_citizen_addresses(*addresses: str) -> None:
    """The addresses of the citizen at the kiosk now (card, mailing); redacted until cleared."""
    global _citizen_addresses
    with _names_lock:
        _citizen_addresses = tuple(a for a in addresses if a)


def clear_citizen_names() -> None:
    """The citizen left: forget their names and addresses."""
    set_citizen_names()
    set_citizen_addresses()


def redact_text(text: str) -> str:
    """``text`` through the redaction rules with the current citizen's names and addresses."""
    with _names_lock:
        names, addresses = _citizen_names, _citizen_addresses
    return redact(text, names, addresses)


class RedactionFilter(logging.Filter):
    """Rewrites the message and arguments of each record with personal data masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            # the machine's time with its offset, so a reader can show it in the hall's zone
            "ts": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "area": record.name,
            "msg": record.getMessage(),
        }
        for key in ("event", "device", "duration_ms", "journey", "state"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class KioskLogFile(logging.handlers.RotatingFileHandler):
    """The kiosk's own log file (``kiosk.jsonl``): a handler :func:`setup_logging` made and may replace."""


class KioskConsole(logging.StreamHandler[TextIO]):
    """The kiosk's own lines on stderr (the journal): a handler :func:`setup_logging` made and may replace."""


def setup_logging(log_dir: Path | None, level: str = "INFO", max_bytes: int = 5_000_000,
                  backups: int = 5, console: bool = True) -> Path | None:
    """Configure the root logger once. Returns the log file path (None when only the console)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, (KioskLogFile, KioskConsole)):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    redaction = RedactionFilter()
    formatter = JsonLineFormatter()
    log_file = None
    handlers: list[logging.Handler] = []
    unwritable = ""
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            handlers.append(KioskLogFile(
                log_dir / "kiosk.jsonl", maxBytes=max_bytes, backupCount=backups, encoding="utf-8"))
            log_file = log_dir / "kiosk.jsonl"
        except OSError as exc:
            # No log file is no reason to stop serving: the journal (stderr) still gets every line.
            unwritable = f"{exc.strerror or exc} ({exc.filename or log_dir})"
            console = True
    if console:
        handlers.append(KioskConsole(sys.stderr))
    for handler in handlers:
        handler.addFilter(redaction)
        handler.setFormatter(formatter)
        root.addHandler(handler)
    if unwritable:
        logging.getLogger("kiosk").warning("cannot write the log file in %s: %s; logging to stderr (the journal) only",
                                           log_dir, unwritable, extra={"event": "log_file_unwritable"})
    return log_file


def install_exception_logging() -> None:
    """Uncaught exceptions (also in Qt slots and worker threads) become one structured error record.

    PySide hands an exception raised in a slot to ``sys.excepthook``, whose default prints a
    traceback to stderr, i.e. many loose lines in the journal. Here it is one JSON line (the
    traceback inside it, redacted) and the kiosk carries on.
    """

    def log_uncaught(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, traceback)
            return
        logging.getLogger("kiosk").error("uncaught %s: %s", kind.__name__, value,
                                         exc_info=(kind, value, traceback), extra={"event": "uncaught_exception"})

    def log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        logging.getLogger("kiosk").error("uncaught %s in thread %s: %s", args.exc_type.__name__, name, args.exc_value,
                                         exc_info=args.exc_value or True,
                                         extra={"event": "uncaught_exception"})

    sys.excepthook = log_uncaught
    threading.excepthook = log_uncaught_in_thread


def recent_lines(log_file: Path, count: int = 50) -> list[str]:
    """The last ``count`` lines of the log (already redacted when written), for technicians."""
    try:
        with log_file.open("rb") as f:
            f.seek(0, 2)
            size = f.tell()
            start = max(0, size - 4096 * count)
            f.seek(start)
            tail = f.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []
    if start > 0:
        tail = tail[1:]  # the first line read is cut at the front
    return tail[-count:]


def current_log_file() -> Path | None:
    """The file the kiosk's own log handler writes, if logging goes to a file."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, KioskLogFile):
            return Path(handler.baseFilename)
    return None

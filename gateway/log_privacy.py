"""Nothing personal leaves the gateway in its logs or its fleet console.

A logging filter on the gateway's loggers rewrites each record (message, arguments, traceback)
with ID numbers and mobile numbers masked; the traceback of an unexpected error can quote the
input that caused it. Text that kiosks send for technicians (heartbeat errors, bundle report
messages) is masked the same way before the gateway keeps it, so the console never shows it whole.
The kiosks redact already; the gateway does not rely on every kiosk version having done so.
"""

from __future__ import annotations

import logging
import re
from typing import Any

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|[A-Z]{3}\d{12})(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
# (uvicorn's access log stays off: its formatter needs the record's arguments as they were)
LOGGERS = ("gateway", "gateway.server", "fleet", "uvicorn", "uvicorn.error")


def redact(text: str) -> str:
    """``text`` with ID numbers (first 4 and last 2 kept) and mobile numbers (first 3, last 4) masked."""
    text = ID_NUMBER.sub(lambda m: m.group(0)[:4] + "*" * (len(m.group(0)) - 6) + m.group(0)[-2:], text)
    return MOBILE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


def redact_all(value: Any) -> Any:
    """Every string inside a JSON value redacted (a heartbeat, a report)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_all(item) for item in value]
    return value


class RedactPersonal(logging.Filter):
    """Rewrites a record in place with its personal numbers masked; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is
            message = str(record.msg)
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactPersonal()


def install() -> None:
    """Put the filter on the gateway's loggers (once, however many apps a process creates)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)

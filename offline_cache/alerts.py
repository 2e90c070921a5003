"""Technician alerts raised by the offline store: something a person must look at, before citizens notice.

The store never shows anything itself; it hands a :class:`TechnicianAlert` to a callback that the
kiosk turns into a health-report line, a fleet heartbeat flag or a technician screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("cache")


@dataclass(frozen=True)
class TechnicianAlert:
    """One alert. ``code`` is stable for machines, ``message`` is for the technician (never personal data)."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


AlertSink = Callable[[TechnicianAlert], None]


def raise_alert(sink: AlertSink | None, alert: TechnicianAlert, logger: logging.Logger = log) -> None:
    """Log the alert and hand it to ``sink``; a failing sink is logged, never allowed to break the store."""
    logger.warning("technician alert %s: %s %s", alert.code, alert.message, alert.details or "")
    if sink is None:
        return
    try:
        sink(alert)
    except Exception:
        logger.exception("technician alert sink failed for %s", alert.code)

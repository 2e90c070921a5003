"""The screens' side of the 24-hour zone out of hours: a sentence naming a counter becomes what works now.

The rule is :mod:`kiosk.hall.closed_counters`; here it is asked for the running kiosk (its calendar,
zone, clock, hotline and online service) and applied to a screen's own sentences, whose message ids
are the Chinese text.
"""

from __future__ import annotations

from typing import Any

from kiosk.hall.closed_counters import ClosedCounters, for_kiosk, names_a_counter
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _, pick


def closed_now(context: KioskContext) -> ClosedCounters | None:
    """The counters this kiosk must not send anyone to now, or None."""
    try:
        return for_kiosk(context.services.availability, context.settings, context.now())
    except Exception:  # a calendar that cannot be read: the sentences as written
        return None


def next_step(context: KioskContext, message: str, **values: Any) -> str:
    """``_(message).format(**values)``, or what works instead when ``message`` names a counter that is closed."""
    closed = closed_now(context)
    if closed is not None and names_a_counter(message):
        return pick(closed.instead().zh, closed.instead().en)
    return _(message).format(**values)


def instead_of(context: KioskContext, zh: str, en: str) -> str:
    """A sentence the kiosk was given in both languages (an offer's alternative), for now."""
    closed = closed_now(context)
    if closed is not None:
        zh, en = closed.instead_of(zh, en)
    return pick(zh, en)


def counters_note(context: KioskContext) -> str:
    """The closed counters and what works instead, or ``""`` (for pages that describe where to go)."""
    closed = closed_now(context)
    return pick(closed.instead().zh, closed.instead().en) if closed is not None else ""

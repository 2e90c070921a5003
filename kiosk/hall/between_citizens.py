"""Between citizens: hand back the memory the last session's screens used.

A kiosk runs for weeks and idles on the home screen between citizens; that quiet moment is when
it gives back what a session left behind, so memory stays flat over thousands of sessions:

- Qt's pixmap cache. The style caches drawn pieces of widgets under keys that include the
  widget's palette, and every widget built for a session (a guide's cards, a ticket's QR) gets a
  new one, so entries are never reused; left alone the cache fills to its limit (10 MB).
- Python's garbage. The cycle collector's full collection walks every object the interpreter
  tracks (about 73,000 in a running kiosk: 22 ms on a kiosk board), and the interpreter starts
  one by itself whenever enough allocations have piled up, touch or no touch. Collected here, with
  what survives frozen (``gc.freeze``), a collection that comes during a touch walks only the
  objects made since (0.3 ms). Frozen objects that become garbage later are still found: each
  tidy-up unfreezes, collects everything, and freezes again.
- glibc's free lists. Memory freed by the session's widgets, HTTP calls and SQLite writes stays
  in the allocator's arenas; ``malloc_trim(0)`` returns the free pages to the system.

Together they take a few tens of milliseconds and run only after the home screen has been
painted. The same tidy-up runs once when start-up has settled (devices open, gateway attached,
first refreshes done): start-up frees much of what it parsed and built, and nothing else would
give it back.
"""

from __future__ import annotations

import functools
import gc
import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPixmapCache

from kiosk.shell.session import SessionKeeper

log = logging.getLogger("kiosk")

# Long enough for the home screen to be painted first; short enough to be done before a new
# citizen's first tap is likely.
TIDY_DELAY_MS = 500
# From the start hooks to "settled": devices opened (simulators or real ports), client attached.
SETTLED_AFTER_START_MS = 5000

tidies_done = 0
"""How many tidy-ups have run in this process (the endurance benchmark waits for each)."""


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    import ctypes  # here, not at the top: off the path to the first frame

    try:
        trim = ctypes.CDLL(None).malloc_trim  # the process's own symbols: libc is among them
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def collect_garbage() -> None:
    """One full collection of Python's garbage, then what survived frozen until the next one."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def tidy_up() -> None:
    """Drop Qt's pixmap cache, collect Python's garbage and give free heap pages back to the system (GUI thread)."""
    QPixmapCache.clear()
    collect_garbage()  # before the trim: what it frees goes back too
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def tidy_after_each_session(sessions: SessionKeeper, tidy: Callable[[], None] | None = None,
                            delay_ms: int | None = None) -> None:
    """Run ``tidy`` (default :func:`tidy_up`) ``delay_ms`` (default ``TIDY_DELAY_MS``) after every
    session ends, unless the next session has already begun by then."""

    def tidy_logged() -> None:
        global tidies_done
        if sessions.active:  # the next citizen is already here: wait for their session to end
            return
        try:
            (tidy or tidy_up)()
        except Exception:
            log.exception("tidying up after a session failed")
        tidies_done += 1

    def ended(_reason: str) -> None:
        QTimer.singleShot(TIDY_DELAY_MS if delay_ms is None else delay_ms, tidy_logged)

    sessions.on_ended(ended)


def tidy_once_settled(sessions: SessionKeeper, tidy: Callable[[], None] | None = None,
                      delay_ms: int | None = None) -> None:
    """Run ``tidy`` once, ``delay_ms`` (default ``SETTLED_AFTER_START_MS``) from now, unless a
    citizen is using the kiosk by then (their session's end tidies up instead)."""

    def settled() -> None:
        if not sessions.active:
            try:
                (tidy or tidy_up)()
            except Exception:
                log.exception("tidying up after start-up failed")
        log.info("start-up settled", extra={"event": "startup_settled"})

    QTimer.singleShot(SETTLED_AFTER_START_MS if delay_ms is None else delay_ms, settled)

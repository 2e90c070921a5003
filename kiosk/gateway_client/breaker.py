"""The circuit breaker that decides whether the kiosk is online.

Closed: calls go through. After ``failure_threshold`` consecutive transport failures it opens:
calls fail at once (the kiosk shows its offline state) until ``reset_after_s`` has passed, then
one trial call is let through (half-open). A success closes it again. ``on_change(online)`` is
called, outside the lock, whenever online flips.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Literal

log = logging.getLogger("gateway.client")

BreakerState = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = 3,
        reset_after_s: float = 10.0,
        on_change: Callable[[bool], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.reset_after_s = reset_after_s
        self._on_change = on_change
        self._clock = clock
        self._lock = threading.Lock()
        self._state: BreakerState = "closed"
        self._failures = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        return self._state

    @property
    def online(self) -> bool:
        return self._state == "closed"

    def allow(self) -> bool:
        """May a call go out now? In the open state only one trial call after the reset time."""
        with self._lock:
            if self._state == "closed":
                return True
            if self._state == "open" and self._clock() - self._opened_at >= self.reset_after_s:
                self._state = "half_open"
            if self._state == "half_open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            was_online = self._state == "closed"
            self._state = "closed"
            self._failures = 0
            self._trial_running = False
        if not was_online:
            log.info("gateway reachable again: online")
            self._notify(True)

    def record_failure(self) -> None:
        with self._lock:
            was_online = self._state == "closed"
            self._failures += 1
            self._trial_running = False
            if self._state == "half_open" or self._failures >= self.failure_threshold:
                self._state = "open"
                self._opened_at = self._clock()
            now_online = self._state == "closed"
        if was_online and not now_online:
            log.warning("gateway unreachable after %d failures: offline", self._failures)
            self._notify(False)

    def trip(self) -> None:
        """Open now, whatever the count (the kiosk has no credentials to call with)."""
        with self._lock:
            was_online = self._state == "closed"
            self._state = "open"
            self._opened_at = self._clock()
            self._trial_running = False
        if was_online:
            self._notify(False)

    def _notify(self, online: bool) -> None:
        if self._on_change is None:
            return
        try:
            self._on_change(online)
        except Exception:  # a broken listener must not break the network layer
            log.exception("online-state listener failed")

"""Per-key rate limits: a token bucket per key (kiosk id, or a claimed kiosk id for failed logins).

Keys can come from unauthenticated headers, so the buckets are bounded: a bucket that has filled
up again is the same as no bucket and is dropped (swept every ``sweep_every`` takes), and beyond
``max_keys`` the least recently used buckets go first. A key in active use is touched on every
take, so flooding with other keys evicts idle strangers long before it reaches a limited key.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    """``take(key)`` returns 0 when a request may go ahead, else the seconds to wait (for Retry-After)."""

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000, sweep_every: int = 1_000) -> None:
        self.per_second = per_second
        self.burst = burst
        self.max_keys = max(1, max_keys)
        self.sweep_every = max(1, sweep_every)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # oldest use first
        self._takes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> int:
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.per_second)
            wait = 0 if tokens >= 1.0 else max(1, math.ceil((1.0 - tokens) / self.per_second))
            self._buckets[key] = (tokens - 1.0 if wait == 0 else tokens, now)
            self._takes += 1
            if self._takes % self.sweep_every == 0:
                self._drop_refilled(now)
            while len(self._buckets) > self.max_keys:  # the least recently used first
                del self._buckets[next(iter(self._buckets))]
            return wait

    def _drop_refilled(self, now: float) -> None:
        """Forget buckets that have filled up again: the same as having none."""
        full_after = self.burst / self.per_second if self.per_second > 0 else math.inf
        for key in [k for k, (_, last) in self._buckets.items() if now - last >= full_after]:
            del self._buckets[key]

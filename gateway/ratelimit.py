"""Per-key rate limits: a token bucket per key (kiosk id, or a claimed kiosk id for failed logins).

Keys can come from unauthenticated headers, so the buckets are bounded: a bucket that has filled
up again is the same as no bucket and is dropped (swept every ``sweep_every`` takes), and beyond
``max_keys`` the least recently used buckets go first. A key in active use is touched on every
take, so flooding with other keys evicts idle strangers long before it reaches a limited key.

With several worker processes (PostgreSQL) the buckets live in the database instead
(:class:`SharedRateLimiter`), so a kiosk's limit is the same whichever worker answers it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from gateway.storage import Database, Transaction

BUCKETS_KEPT_S = 3600.0


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


class SharedRateLimiter:
    """The same token buckets kept in the database (``rate_buckets``), so every worker counts against one limit.

    One statement per take: an upsert that refills the bucket by the time since its last use and
    takes a token if there is one (the row's lock orders takes from several workers). A refused
    take changes nothing and reads the bucket once more for Retry-After. Buckets untouched for an
    hour are full again and are pruned with the rest (:mod:`gateway.retention`).
    """

    _REFILLED = "rate_buckets.tokens + (:now - rate_buckets.last_ts) * :rate"
    _TAKE = (
        "INSERT INTO rate_buckets (name, tokens, last_ts) VALUES (:name, :burst - 1.0, :now) "
        f"ON CONFLICT (name) DO UPDATE SET tokens = CASE WHEN {_REFILLED} >= :burst THEN :burst - 1.0 "
        f"ELSE {_REFILLED} - 1.0 END, last_ts = :now WHERE {_REFILLED} >= 1.0 RETURNING tokens"
    )

    def __init__(self, db: Database, prefix: str, per_second: float, burst: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.prefix = prefix
        self.per_second = per_second
        self.burst = burst
        self._clock = clock

    def take(self, key: str) -> int:
        params = {"name": f"{self.prefix}:{key}", "burst": float(self.burst), "now": self._clock(),
                  "rate": float(self.per_second)}
        with self.db.transaction(lock=None) as conn:  # the row's own lock, no other
            if conn.execute(self._TAKE, params).first() is not None:
                return 0
            # refused: the bucket is left as it was (refilling it later comes to the same)
            row = conn.one("SELECT tokens, last_ts FROM rate_buckets WHERE name = ?", (params["name"],))
        if self.per_second <= 0 or row is None:
            return 3600
        tokens = row["tokens"] + (params["now"] - row["last_ts"]) * self.per_second
        return max(1, math.ceil((1.0 - tokens) / self.per_second))


def prune(conn: Transaction, now_ts: float) -> int:
    """Forget buckets unused for an hour: full again, the same as having none."""
    return int(conn.execute("DELETE FROM rate_buckets WHERE last_ts < ?", (now_ts - BUCKETS_KEPT_S,)).rowcount)


def limiters(db: Database, per_second: float, burst: int, failures_per_min: float
             ) -> tuple[RateLimiter | SharedRateLimiter, RateLimiter | SharedRateLimiter]:
    """(requests per kiosk, failed logins per claimed kiosk id): shared through the database on PostgreSQL,
    where several workers answer; in the process on SQLite, which has one worker (the same limits, no write)."""
    if db.postgres:
        return (SharedRateLimiter(db, "kiosk", per_second, burst),
                SharedRateLimiter(db, "login", failures_per_min / 60, max(1, round(failures_per_min))))
    return (RateLimiter(per_second, burst),
            RateLimiter(failures_per_min / 60, max(1, round(failures_per_min))))

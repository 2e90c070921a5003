"""The one back-off formula: how long to wait after the n-th failure in a row.

``first · factor^(n−1)``, capped at ``limit``. With ``jitter`` *j* (0 to 1) the last *j* of that
delay is drawn at random, so kiosks that lost the network together do not all come back in the
same second, yet none retries at once (the outbox uses *j* = ½, "equal jitter"; a device
reopening its port uses none). Devices, the outbox and its sync worker, and the kiosk's gateway
client all wait by this formula; :class:`Backoff` carries one setting of it and, for a loop that
keeps trying, the count of failures so far.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field


def backoff_delay(failures: int, *, first: float, limit: float = math.inf, factor: float = 2.0,
                  jitter: float = 0.0, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait after the ``failures``-th failure in a row (1 or more; 0 counts as 1)."""
    if not (first >= 0 and limit >= 0 and factor >= 1 and 0 <= jitter <= 1):
        raise ValueError(
            f"expected first >= 0, limit >= 0, factor >= 1 and 0 <= jitter <= 1, got {first}, {limit}, {factor}, {jitter}"
        )
    try:
        raw = min(limit, first * factor ** max(0, failures - 1))
    except OverflowError:  # thousands of failures in a row: long since at the limit
        raw = limit
    if not jitter:
        return raw
    return raw * (1 - jitter) + rng() * raw * jitter


@dataclass
class Backoff:
    """One setting of :func:`backoff_delay`; ``next_delay()`` counts failures until ``reset()``."""

    first: float = 0.5
    limit: float = 30.0
    factor: float = 2.0
    jitter: float = 0.0
    _failures: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        backoff_delay(1, first=self.first, limit=self.limit, factor=self.factor, jitter=self.jitter)

    def delay(self, failures: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait after the ``failures``-th failure in a row; counts nothing."""
        return backoff_delay(failures, first=self.first, limit=self.limit, factor=self.factor,
                             jitter=self.jitter, rng=rng)

    def next_delay(self) -> float:
        """One more failure: the delay before the next try (``first``, then growing to ``limit``)."""
        self._failures += 1
        return self.delay(self._failures)

    def reset(self) -> None:
        """It worked: the next failure waits ``first`` again."""
        self._failures = 0

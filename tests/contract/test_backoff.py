"""The one back-off formula, as devices, the outbox and the gateway client use it."""

from __future__ import annotations

import math

import pytest

from contract.backoff import Backoff, backoff_delay


def test_doubles_from_first_up_to_the_limit() -> None:
    backoff = Backoff(0.5, 3.0)
    assert [backoff.next_delay() for _ in range(6)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_equal_jitter_keeps_half_and_draws_half() -> None:
    backoff = Backoff(first=8, limit=1000, jitter=0.5)
    assert backoff.delay(1, lambda: 0.0) == 4 and backoff.delay(1, lambda: 1.0) == 8
    assert backoff.delay(3, lambda: 0.5) == 24
    assert backoff.delay(50, lambda: 1.0) == 1000


def test_the_gateway_clients_retry_spread() -> None:
    # the client waits backoff_s · 2^attempt and up to half again at random
    for attempt, draw in ((0, 0.0), (0, 1.0), (2, 0.5)):
        expected = 0.25 * 2 ** attempt * (1 + draw / 2)
        assert backoff_delay(attempt + 1, first=1.5 * 0.25, jitter=1 / 3, rng=lambda d=draw: d) == pytest.approx(expected)


def test_thousands_of_failures_stay_at_the_limit() -> None:
    assert backoff_delay(10**6, first=1.0, limit=60.0) == 60.0
    assert backoff_delay(10**6, first=1.0) == math.inf
    assert backoff_delay(0, first=2.0) == backoff_delay(-5, first=2.0) == 2.0


@pytest.mark.parametrize("settings", [
    {"first": -1.0}, {"first": 1.0, "limit": -1.0}, {"first": 1.0, "factor": 0.5},
    {"first": 1.0, "jitter": 1.5}, {"first": math.nan},
])
def test_nonsense_settings_are_refused_clearly(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="expected first >= 0"):
        backoff_delay(1, **settings)
    with pytest.raises(ValueError, match="expected first >= 0"):
        Backoff(**settings)

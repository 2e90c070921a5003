"""The circuit breaker alone, on a clock the test moves."""

from __future__ import annotations

from kiosk.gateway_client.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_opens_after_consecutive_failures_and_reports_once():
    seen: list[bool] = []
    breaker = CircuitBreaker(3, reset_after_s=10, on_change=seen.append, clock=Clock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()  # a success in between resets the count
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.online and seen == []
    breaker.record_failure()
    assert not breaker.online and breaker.state == "open" and seen == [False]
    breaker.record_failure()
    assert seen == [False]


def test_half_open_allows_one_trial_after_the_reset_time():
    clock = Clock()
    seen: list[bool] = []
    breaker = CircuitBreaker(1, reset_after_s=10, on_change=seen.append, clock=clock)
    breaker.record_failure()
    assert not breaker.allow()
    clock.t = 10
    assert breaker.allow() and breaker.state == "half_open"
    assert not breaker.allow()  # only one trial at a time
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()
    clock.t = 20
    assert breaker.allow()
    breaker.record_success()
    assert breaker.online and seen == [False, True]


def test_a_failing_listener_does_not_break_the_breaker():
    def listener(online: bool) -> None:
        raise RuntimeError("screen gone")

    breaker = CircuitBreaker(1, on_change=listener, clock=Clock())
    breaker.record_failure()
    assert breaker.state == "open"

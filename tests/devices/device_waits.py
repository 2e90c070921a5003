"""Waiting and event recording for device tests (imported by test modules next to it)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from devices.model import StatusEvent


def wait_for(condition: Callable[[], object], timeout: float = 3.0, interval: float = 0.005) -> None:
    """Wait until ``condition()`` is true; fail the test at the timeout."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(interval)


class Recorder:
    """Collects status events from a device's listener thread."""

    def __init__(self) -> None:
        self.events: list[StatusEvent] = []

    def __call__(self, event: StatusEvent) -> None:
        self.events.append(event)

    def kinds(self) -> list[str]:
        return [str(e.kind) for e in self.events if str(e.kind) != "state"]

    def of(self, kind: str) -> list[StatusEvent]:
        return [e for e in self.events if str(e.kind) == kind]

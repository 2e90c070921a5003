"""Keyboard-wedge scanners: telling a scan from a person typing by the time between key presses.

A scanner types a whole code with 7–16 ms between keys and ends it with the terminator; people
leave more than 100 ms between keys. ``WedgeClassifier`` holds key presses while they come fast:
a fast run of at least ``min_length`` characters ended by the terminator is a scan; anything else
is released as typing — when a slow gap shows up (``flush``, called from a timer) or the run ends
without the terminator. So a scan never lands in a text field and typing is never taken for a scan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from devices.model import Device, StatusKind
from devices.scanner.codes import DEFAULT_DOMAIN, MAX_LENGTH, ScanRejected, check_text, parse_code

log = logging.getLogger("devices.scanner")


@dataclass(frozen=True)
class Scan:
    text: str


@dataclass(frozen=True)
class Typed:
    text: str


class WedgeClassifier:
    """Feed ``key(char, at)`` with monotonic timestamps in seconds; call ``flush(now)`` from a timer."""

    def __init__(
        self,
        terminator: str = "\r",
        max_gap: float = 0.035,
        min_length: int = 4,
        max_length: int = MAX_LENGTH,
    ) -> None:
        self.terminator = terminator
        self.max_gap = max_gap
        self.min_length = min_length
        self.max_length = max_length
        self._held = ""
        self._last = 0.0

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def key(self, char: str, at: float) -> list[Scan | Typed]:
        out: list[Scan | Typed] = []
        if self._held and at - self._last > self.max_gap:
            out.append(Typed(self._held))
            self._held = ""
        self._last = at
        if char == self.terminator:
            if len(self._held) >= self.min_length:
                out.append(Scan(self._held))
            else:
                out.append(Typed(self._held + char))
            self._held = ""
            return out
        self._held += char
        if len(self._held) > self.max_length:
            # nothing legitimate is this long: give it back as typing rather than hold it forever
            out.append(Typed(self._held))
            self._held = ""
        return out

    def flush(self, now: float) -> list[Scan | Typed]:
        """Release held keys as typing once the gap since the last key is too long for a scanner."""
        if self._held and now - self._last > self.max_gap:
            held, self._held = self._held, ""
            return [Typed(held)]
        return []


class KeyboardWedgeScanner(Device):
    """A HID scanner: the kiosk feeds key presses in; scans become ``DATA``/``ERROR`` events, typing is returned."""

    kind = "scanner"

    def __init__(
        self,
        *,
        name: str = "scanner",
        terminator: str = "\r",
        max_gap: float = 0.035,
        min_length: int = 4,
        domain: str = DEFAULT_DOMAIN,
        state_dir: str | None = None,
    ) -> None:
        super().__init__(name, state_dir=state_dir)
        self.classifier = WedgeClassifier(terminator, max_gap, min_length)
        self.domain = domain

    def _open(self) -> None:
        pass  # the keyboard is the Qt window's; nothing to open

    def _close(self) -> None:
        pass

    def feed_key(self, char: str, at: float) -> str:
        """One key press; returns the text that is typing (to pass on to the focused field), maybe ''."""
        return self._handle(self.classifier.key(char, at))

    def flush(self, now: float) -> str:
        return self._handle(self.classifier.flush(now))

    def _handle(self, results: list[Scan | Typed]) -> str:
        typed = ""
        for result in results:
            if isinstance(result, Typed):
                typed += result.text
                continue
            try:
                code = parse_code(check_text(result.text), self.domain)
            except ScanRejected as exc:
                self.statistics.add("rejected_scans")
                self._emit(StatusKind.ERROR, exc.reason, exc)
                continue
            self.statistics.add("scans")
            log.info("%s: %s scanned (keyboard wedge)", self.name, code.kind)
            self._emit(StatusKind.DATA, code.kind, code)
        return typed

    def _health_external(self) -> tuple[bool, str]:
        return True, "keyboard wedge: no port to check; scan a test code"

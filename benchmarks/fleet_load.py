"""Open-loop simulated kiosks for ``bench_fleet.py``: heartbeats and bundle polls sent on a schedule.

Open loop: each request is sent at its scheduled time whether or not earlier ones were answered
(kiosks do not wait for each other), and its latency is measured from that scheduled time, so a
gateway that falls behind shows it in full instead of slowing the load down. Every request opens
a new connection and closes it, as kiosks polling every minute do. HTTP/1.1 is spoken by hand on
asyncio streams, which keeps the generator light enough to share this machine with the gateway.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Sample:
    kind: str  # heartbeat | poll | console
    latency_ms: float
    status: int  # 0: no answer (connection refused, reset, timeout)
    retry_after: str | None = None


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)

    def of(self, *kinds: str) -> list[Sample]:
        return [s for s in self.samples if s.kind in kinds]


async def request(host: str, port: int, method: str, path: str, headers: dict[str, str], body: bytes = b"",
                  timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection (``Connection: close``): status, headers (lower-case), body."""
    async def exchange() -> tuple[int, dict[str, str], bytes]:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
                    f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
        header_block, _, content = data.partition(b"\r\n\r\n")
        lines = header_block.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        return status, fields, content

    return await asyncio.wait_for(exchange(), timeout)


def heartbeat(kiosk_id: str, sent_at: datetime) -> bytes:
    payload = {"kind": "heartbeat", "kiosk_id": kiosk_id, "group": "stable",
               "sent_at": sent_at.isoformat(timespec="seconds"), "app_version": "0.1.0",
               "config": {"installed_version": 0},
               "devices": {"idcard": {"state": "idle"}, "printer": {"state": "idle"}, "scanner": {"state": "idle"}},
               "paper": {"state": "ok", "left_percent": 63.0}, "outbox": {"pending": 0, "parked": 0, "unfinished": 0},
               "last_errors": [], "uptime_s": 3600}
    return json.dumps({"payload": payload, "created_at": sent_at.isoformat(timespec="seconds")}).encode()


class Fleet:
    """Kiosks with their tokens, sending at ``heartbeats_per_s`` and ``polls_per_s`` (spread round the fleet)."""

    def __init__(self, host: str, port: int, kiosks: list[tuple[str, str]]) -> None:
        self.host, self.port, self.kiosks = host, port, kiosks
        self._beats = 0
        self._polls = 0

    async def _one(self, kind: str, scheduled: float, run: Run) -> None:
        if kind == "heartbeat":
            kiosk_id, token = self.kiosks[self._beats % len(self.kiosks)]
            self._beats += 1
            method, path = "POST", "/api/v1/outbox/telemetry"
            body = heartbeat(kiosk_id, datetime.now(UTC))
            extra = {"Content-Type": "application/json", "Idempotency-Key": f"hb-{kiosk_id}-{self._beats:09d}"}
        else:
            kiosk_id, token = self.kiosks[self._polls % len(self.kiosks)]
            self._polls += 1
            method, path, body, extra = "GET", "/api/v1/fleet/bundle?group=stable&installed=0", b"", {}
        headers = {"X-Kiosk-Id": kiosk_id, "Authorization": f"Bearer {token}", **extra}
        try:
            status, fields, _ = await request(self.host, self.port, method, path, headers, body)
        except (TimeoutError, OSError, ValueError, IndexError):
            status, fields = 0, {}
        run.samples.append(Sample(kind, (time.perf_counter() - scheduled) * 1000, status, fields.get("retry-after")))

    async def open_loop(self, heartbeats_per_s: float, polls_per_s: float, duration_s: float,
                        console_cookie: str | None = None, console_every_s: float = 3.0) -> Run:
        """Send for ``duration_s`` on schedule; then wait (at most 15 s) for the answers still due."""
        run, tasks = Run(), set()
        schedule = _merged(heartbeats_per_s, polls_per_s, duration_s)
        console = asyncio.create_task(self._console(console_cookie, console_every_s, duration_s, run)) \
            if console_cookie else None
        start = time.perf_counter()
        for offset, kind in schedule:
            due = start + offset
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            task = asyncio.create_task(self._one(kind, due, run))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(set(tasks), timeout=15)
        if console is not None:
            await console
        return run

    async def _console(self, cookie: str, every_s: float, duration_s: float, run: Run) -> None:
        """An open fleet console tab: the kiosk list fetched again every ``every_s`` seconds."""
        start = time.perf_counter()
        while time.perf_counter() - start < duration_s:
            sent = time.perf_counter()
            try:
                status, _, _ = await request(self.host, self.port, "GET", "/api/v1/fleet/kiosks", {"Cookie": cookie},
                                             timeout=30)
            except (TimeoutError, OSError, ValueError, IndexError):
                status = 0
            run.samples.append(Sample("console", (time.perf_counter() - sent) * 1000, status))
            await asyncio.sleep(max(0.0, every_s - (time.perf_counter() - sent)))


def _merged(heartbeats_per_s: float, polls_per_s: float, duration_s: float) -> list[tuple[float, str]]:
    """Evenly spaced send times of both kinds over ``duration_s``, in order."""
    times: list[tuple[float, str]] = []
    for rate, kind in ((heartbeats_per_s, "heartbeat"), (polls_per_s, "poll")):
        if rate > 0:
            count = int(rate * duration_s)
            times.extend((n / rate, kind) for n in range(count))
    return sorted(times)

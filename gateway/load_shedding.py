"""Bounded concurrency: beyond ``max_in_flight`` requests at once, answer 503 with Retry-After at once.

Under overload a gateway that queues everything answers nobody in time: every request waits behind
the ones before it until the kiosks' timeouts fire, they retry, and throughput collapses while
memory grows with the queue. Refusing the surplus straight away costs microseconds, keeps the
requests taken fast, and tells the kiosks when to come back (their outbox waits for Retry-After).
The health check is never refused, so supervisors do not mistake a busy gateway for a dead one.
"""

from __future__ import annotations

import json
import logging
import time

from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("gateway.server")

_BODY = json.dumps({"code": "overloaded", "message": "the gateway is busy; retry after the Retry-After seconds",
                    "detail": None}).encode()


class LoadShedding:
    def __init__(self, app: ASGIApp, max_in_flight: int, retry_after_s: int = 2,
                 exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_in_flight = max(1, max_in_flight)
        self.retry_after_s = max(1, retry_after_s)
        self.exempt = exempt
        self.in_flight = 0
        self.shed = 0
        self._logged_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "") in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            self.shed += 1
            self._note()
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(_BODY)).encode()),
                (b"retry-after", str(self.retry_after_s).encode()), (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body", "body": _BODY})
            return
        self.in_flight += 1  # one event loop: no lock needed
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    def _note(self) -> None:
        now = time.monotonic()
        if now - self._logged_at >= 10:  # once in a while, not once per refusal
            self._logged_at = now
            log.warning("overloaded: %d requests in flight, %d refused with 503 so far", self.in_flight, self.shed,
                        extra={"event": "load_shed"})

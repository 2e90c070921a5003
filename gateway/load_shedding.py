"""Bounded concurrency: beyond ``max_in_flight`` requests at once, answer 503 with Retry-After at once.

Under overload a gateway that queues everything answers nobody in time: every request waits behind
the ones before it until the kiosks' timeouts fire, they retry, and throughput collapses while
memory grows with the queue. Refusing the surplus straight away costs microseconds, keeps the
requests taken fast, and tells the kiosks when to come back (their outbox waits for Retry-After).
The health check is never refused, so supervisors do not mistake a busy gateway for a dead one.

Two signs of overload, either enough: more than ``max_in_flight`` requests inside the app at once
(slow answers waiting on the database), or an event loop running late by more than
``max_lag_s`` with more than ``lag_burst`` requests queueing behind it (requests answered on the
loop keep it busy, and the rest queue in the socket's backlog where no in-flight count sees them,
then come in together). Queueing is: that many taken up while the sampler below is kept from its
turn right now, or, while the last samples were late, that many taken up in one turn of the loop.
One client asking again and again, however quickly and however slow the loop was a moment ago,
brings one request per turn: no queue, nothing refused. The lag is sampled every 50 ms by a task
on the loop itself;
while it is high, arriving requests are refused at the cost of parsing their head, which drains
the backlog quickly and brings the lag back down.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time

from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("gateway.server")

_BODY = json.dumps({"code": "overloaded", "message": "the gateway is busy; retry after the Retry-After seconds",
                    "detail": None}).encode()


class LoadShedding:
    SAMPLE_S = 0.05

    def __init__(self, app: ASGIApp, max_in_flight: int, retry_after_s: int = 2,
                 exempt: tuple[str, ...] = (), max_lag_s: float = 0.2, lag_burst: int = 4) -> None:
        self.app = app
        self.max_in_flight = max(1, max_in_flight)
        self.max_lag_s = max_lag_s
        self.lag_s = 0.0
        self._tick = time.perf_counter()  # when the sampler last woke up
        self.lag_burst = lag_burst
        self._arrivals = 0  # requests since the sampler last woke up
        self._in_turn = 0  # requests taken up in this turn of the loop
        self._counting = False  # a call to end this turn's count is waiting for the next turn
        self._sampler: asyncio.Task[None] | None = None
        self.retry_after_s = max(1, retry_after_s)
        self.exempt = exempt
        self.in_flight = 0
        self.shed = 0
        self._logged_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "") in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.max_lag_s > 0 and (self._sampler is None or self._sampler.done()):
            self._tick = time.perf_counter()
            self._sampler = asyncio.get_running_loop().create_task(self._sample_lag())
        self._count_arrival()
        if self.in_flight >= self.max_in_flight or self._late():
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

    def _count_arrival(self) -> None:
        """Requests started in one turn of the loop came in together: a queue, when there are many."""
        self._arrivals += 1
        self._in_turn += 1
        if not self._counting:
            self._counting = True
            asyncio.get_running_loop().call_soon(self._new_turn)

    def _new_turn(self) -> None:
        self._in_turn, self._counting = 0, False

    def _late(self) -> bool:
        """The loop runs late: by the last samples, or because the sampler itself has not had its turn."""
        if self.max_lag_s <= 0 or self._sampler is None or self._sampler.done():
            return False
        if self._arrivals > self.lag_burst and time.perf_counter() - self._tick - self.SAMPLE_S > self.max_lag_s:
            return True  # the loop is held now, and requests came in meanwhile
        # a loop that was late a moment ago, with requests now coming in together; a late loop with
        # no queue behind it (one slow request, then one client asking again) has nothing to shed
        return self.lag_s > self.max_lag_s and self._in_turn > self.lag_burst

    async def _sample_lag(self) -> None:
        """How late the loop wakes this task up: the time a request now waits before it is looked at."""
        with contextlib.suppress(asyncio.CancelledError):
            self._tick = time.perf_counter()
            while True:
                before = time.perf_counter()
                await asyncio.sleep(self.SAMPLE_S)
                self._tick = time.perf_counter()
                self._arrivals = 0
                late = self._tick - before - self.SAMPLE_S
                # rises at once, falls back over a few samples (one quick turn of the loop is no all-clear)
                self.lag_s = late if late > self.lag_s else (self.lag_s + late) / 2

    def _note(self) -> None:
        now = time.monotonic()
        if now - self._logged_at >= 10:  # once in a while, not once per refusal
            self._logged_at = now
            log.warning("overloaded: %d requests in flight, loop %.0f ms late, %d refused with 503 so far",
                        self.in_flight, self.lag_s * 1000, self.shed,
                        extra={"event": "load_shed"})

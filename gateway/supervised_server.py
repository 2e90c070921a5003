"""The gateway's uvicorn server, reporting to systemd: ready once listening, alive while its loop turns.

``kiosk-gateway.service`` is ``Type=notify`` with ``WatchdogSec=``. READY=1 goes out after
uvicorn has bound its sockets and the application's start-up has run, so units ordered after
the gateway (a reverse proxy, a health check) find it answering. WATCHDOG=1 is sent from
uvicorn's own main loop (``on_tick``, every 0.1 s) at half the watchdog interval: the same
asyncio loop that serves the requests, so a loop blocked by a stuck handler sends nothing and
systemd restarts the gateway. STOPPING=1 marks a shutdown on purpose. Outside systemd (no
``$NOTIFY_SOCKET``) nothing is sent.
"""

from __future__ import annotations

import logging
import socket
import time

import uvicorn

from lifecycle import systemd_notify

log = logging.getLogger("gateway.server")


class SupervisedServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        interval = systemd_notify.watchdog_interval()
        self.keepalive_every_s = interval / 2 if interval else None
        self._last_keepalive = 0.0

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            systemd_notify.notify("READY=1", "STATUS=serving")
            self._last_keepalive = time.monotonic()
            log.debug("told systemd the gateway is ready (keep-alive every %s s)", self.keepalive_every_s)

    async def on_tick(self, counter: int) -> bool:
        should_exit = await super().on_tick(counter)
        if self.keepalive_every_s and not should_exit:
            now = time.monotonic()
            if now - self._last_keepalive >= self.keepalive_every_s:
                self._last_keepalive = now
                systemd_notify.watchdog()
        return should_exit

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        systemd_notify.stopping()
        await super().shutdown(sockets=sockets)

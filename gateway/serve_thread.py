"""Run a gateway app with uvicorn in a background thread of this process (tests, benchmarks).

The socket is bound before the thread starts, so ``url`` is known at once and a port of 0 gets
a free port with no race. The kiosk itself never uses this: it runs ``gateway.embedded``.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


class GatewayThread:
    """``start()`` returns once uvicorn serves; ``stop()`` shuts it down (idempotent)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, **uvicorn_options: Any) -> None:
        import uvicorn

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        scheme = "https" if uvicorn_options.get("ssl_certfile") else "http"
        self.url = f"{scheme}://{host}:{self.port}"
        # proxy_headers off: only GatewaySettings.trusted_proxies decides whom X-Forwarded-* is believed from
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", proxy_headers=False,
                                timeout_graceful_shutdown=1, **uvicorn_options)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name=f"gateway-{self.port}", daemon=True)

    def start(self, timeout: float = 10.0) -> GatewayThread:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"gateway thread did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> GatewayThread:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

"""``kiosk-gateway --workers N``: several worker processes on one listening socket (PostgreSQL only).

The parent binds the socket, upgrades the database once, then starts N workers (uvicorn's
multiprocess supervisor: each worker is pinged and replaced when it stops answering or dies). The
parent alone talks to systemd: READY=1 once every worker serves, WATCHDOG=1 while it supervises.
Each worker builds its own app from the same command line (passed in the environment).

The supervisor takes its workers with it: SIGTERM or SIGINT stops it at any moment, start-up
included (uvicorn's own supervisor only looks at signals once every worker is up); workers that
have not stopped :data:`STOP_TIMEOUT_S` after being told are killed; and each worker watches its
supervisor (:mod:`gateway.parent_watch`) and stops when it is gone, killed or crashed, so no
orphan keeps serving the port.

What must be the same for every worker lives in the database: console sessions, login throttles,
admin tokens, trusted keys, roll-out state, kiosks and their tokens (a token change reaches every
worker within the token cache's seconds), per-kiosk request rates and failed kiosk logins (one
token bucket per kiosk in ``rate_buckets``, whichever worker answers).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import time
from typing import TypedDict

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors.multiprocess import Multiprocess

from lifecycle import systemd_notify

log = logging.getLogger("gateway.server")

ARGV_ENV = "KIOSK_GATEWAY_WORKER_ARGV"
PUBLIC_URL_ENV = "KIOSK_GATEWAY_WORKER_PUBLIC_URL"
SUPERVISOR_ENV = "KIOSK_GATEWAY_SUPERVISOR_PID"
STOP_TIMEOUT_S = 10.0
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn calls this factory in each)."""
    from gateway import parent_watch
    from gateway.app import create_app
    from gateway.cli import build_parser, settings_from_args

    args = build_parser().parse_args(json.loads(os.environ[ARGV_ENV]))
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    supervisor = int(os.environ.get(SUPERVISOR_ENV, "0"))
    if supervisor:  # a supervisor killed or crashed takes this worker with it (SIGTERM to itself)
        if parent_watch.parent_gone(supervisor):
            raise SystemExit(f"kiosk-gateway worker: its supervisor (pid {supervisor}) has already ended")
        parent_watch.watch(supervisor, parent="the supervisor of this gateway worker")
    return create_app(settings_from_args(args, os.environ[PUBLIC_URL_ENV]))


class SupervisedWorkers(Multiprocess):
    """uvicorn's worker supervisor, reporting to systemd from the parent."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets)
        interval = systemd_notify.watchdog_interval()
        self.keepalive_every_s = interval / 2 if interval else None
        self._last_keepalive = 0.0
        for sig in _STOP_SIGNALS:  # heard at once, even while the workers are still starting
            signal.signal(sig, self._stop_signal)

    def _stop_signal(self, sig: int, _frame: object) -> None:
        self.signal_queue.append(sig)
        self.should_exit.set()

    def init_processes(self) -> None:
        super().init_processes()
        ready = all(p.wait_until_ready(60, self.should_exit) for p in self.processes
                    if hasattr(p, "wait_until_ready"))
        if ready and not self.should_exit.is_set():
            systemd_notify.notify("READY=1", f"STATUS=serving with {len(self.processes)} workers")
            self._last_keepalive = time.monotonic()

    def keep_subprocess_alive(self) -> None:
        super().keep_subprocess_alive()
        now = time.monotonic()
        if self.keepalive_every_s and now - self._last_keepalive >= self.keepalive_every_s:
            self._last_keepalive = now
            systemd_notify.watchdog()

    def terminate_all(self) -> None:
        systemd_notify.stopping()
        super().terminate_all()

    def join_all(self) -> None:
        """Wait for the workers to stop, and kill those still running :data:`STOP_TIMEOUT_S` after being told."""
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in self.processes:
            process.process.join(max(0.0, deadline - time.monotonic()))
            if process.process.is_alive():
                log.warning("worker %s did not stop within %g s: killed", process.process.pid, STOP_TIMEOUT_S)
                process.kill()
                process.process.join()


class ServerOptions(TypedDict):
    """How uvicorn serves the gateway, in one process or several (``kiosk-gateway serve``'s options)."""

    host: str
    port: int
    log_level: str
    ssl_certfile: str | None
    ssl_keyfile: str | None
    access_log: bool
    server_header: bool
    loop: str
    proxy_headers: bool
    timeout_graceful_shutdown: int


def serve(argv: list[str], public_url: str, workers: int, sock: socket.socket | None,
          options: ServerOptions) -> None:
    """Run ``workers`` worker processes until stopped (SIGTERM/SIGINT)."""
    os.environ[ARGV_ENV] = json.dumps(argv)
    os.environ[PUBLIC_URL_ENV] = public_url
    os.environ[SUPERVISOR_ENV] = str(os.getpid())
    uv_config = uvicorn.Config("gateway.workers:worker_app", factory=True, workers=workers, **options)
    sockets = [sock] if sock is not None else [uv_config.bind_socket()]
    log.info("%d gateway workers on %s (parent pid %d)", workers, public_url, os.getpid())
    SupervisedWorkers(uv_config, sockets).run()

"""A gateway started beside a kiosk (the demo's reference gateway) ends when that kiosk ends.

The kiosk stops its gateway when it stops cleanly, but a kiosk killed by the watchdog, or stopped
while its gateway is still starting, cannot: the gateway would stay on, holding the hall's port and
database. With ``--parent-pid`` the gateway watches its parent and, once that process is gone (the
gateway is handed to another parent), stops itself the way systemd would, with SIGTERM.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

log = logging.getLogger("gateway.server")

POLL_S = 0.5


def parent_gone(parent_pid: int) -> bool:
    """True once ``parent_pid`` is no longer this process's parent."""
    return os.getppid() != parent_pid


def watch(parent_pid: int, poll_s: float = POLL_S,
          parent: str = "the kiosk that started this gateway") -> threading.Thread:
    """Stop this process with SIGTERM when ``parent_pid`` ends (checked every ``poll_s`` seconds)."""

    def run() -> None:
        stop = threading.Event()
        while not stop.wait(poll_s):
            if parent_gone(parent_pid):
                log.warning("%s (pid %d) has ended: stopping", parent, parent_pid)
                os.kill(os.getpid(), signal.SIGTERM)
                return

    thread = threading.Thread(target=run, name="parent-watch", daemon=True)
    thread.start()
    return thread

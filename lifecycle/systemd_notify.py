"""Telling systemd how a kiosk process is doing (the sd_notify protocol), without libsystemd.

systemd hands a service the address of a datagram socket in ``$NOTIFY_SOCKET``; each message
is newline-separated ``KEY=value`` fields (``READY=1``, ``WATCHDOG=1``, ``STATUS=…``). A path
starting with ``@`` is a Linux abstract-namespace socket. Outside systemd the variable is unset
and every function here does nothing, so the same code runs on a developer's desk.

Used by the kiosk application (kiosk/system/watchdog.py) and the hall gateway (gateway/supervised_server.py).
Under ``kiosk.service`` the main process is the compositor (cage) and the application is its
child, so systemd's ``WATCHDOG_PID`` names our parent: :func:`watchdog_interval` accepts that
(the unit sets ``NotifyAccess=all`` for the same reason).
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger("lifecycle")

__all__ = ["notify", "ready", "watchdog", "stopping", "status", "watchdog_interval"]


def _socket_address(raw: str) -> str | bytes:
    # Abstract-namespace sockets are spelled with a leading '@' and addressed with a NUL byte.
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    return raw


def notify(*fields: str) -> bool:
    """Send ``KEY=value`` fields to systemd as one datagram.

    Returns True when the message was handed to the socket, False when the kiosk does not run
    under systemd (no ``$NOTIFY_SOCKET``) or the socket could not be reached. Never raises for
    a missing or broken socket: a failed notification must not take the kiosk down (systemd
    will restart it through the watchdog if it matters).
    """
    for field in fields:
        if "=" not in field or "\n" in field:
            raise ValueError(f"a notification field is KEY=value on one line, got {field!r}")
    raw = os.environ.get("NOTIFY_SOCKET", "")
    if not raw:
        return False
    if not (raw.startswith("/") or raw.startswith("@")):
        log.warning("NOTIFY_SOCKET is neither a path nor an abstract socket: %r", raw)
        return False
    message = "\n".join(fields).encode()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message, _socket_address(raw))
    except OSError as exc:
        log.warning("cannot notify systemd at %s: %s", raw, exc)
        return False
    return True


def ready() -> bool:
    """Tell systemd the kiosk is up (``Type=notify`` start-up is complete)."""
    return notify("READY=1")


def watchdog() -> bool:
    """Keep-alive for ``WatchdogSec=``: send at least once per watchdog interval."""
    return notify("WATCHDOG=1")


def stopping() -> bool:
    """Tell systemd the kiosk is shutting down on purpose."""
    return notify("STOPPING=1")


def status(text: str) -> bool:
    """A one-line status shown by ``systemctl status kiosk`` (never put personal data here)."""
    return notify("STATUS=" + " ".join(text.split()))


def watchdog_interval() -> float | None:
    """Seconds systemd waits between keep-alives before it kills the service, or None.

    None when no watchdog is configured (``$WATCHDOG_USEC`` unset, zero or malformed) or when
    ``$WATCHDOG_PID`` names a process that is neither us nor our parent (the variable leaked
    into some unrelated descendant). Our parent is accepted because under cage the compositor
    is the service's main process and we are its child.
    """
    usec = os.environ.get("WATCHDOG_USEC", "")
    try:
        micros = int(usec)
    except ValueError:
        return None
    if micros <= 0:
        return None
    pid = os.environ.get("WATCHDOG_PID", "")
    if pid:
        try:
            owner = int(pid)
        except ValueError:
            return None
        if owner not in (os.getpid(), os.getppid()):
            return None
    return micros / 1_000_000

"""The hall gateway under systemd: READY=1 once it answers, WATCHDOG=1 from its event loop, loopback
by default; the shipped unit, the kiosks' shipped configuration and the nginx example agree."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gateway(notify_listener, tmp_path: Path):
    """``kiosk-gateway`` as systemd starts it: $NOTIFY_SOCKET set, a 0.6 s watchdog."""
    port = free_port()
    env = {**os.environ, "NOTIFY_SOCKET": notify_listener.address, "WATCHDOG_USEC": "600000"}
    env.pop("WATCHDOG_PID", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "--port", str(port), "--db", str(tmp_path / "gw.sqlite3"),
         "--log-level", "warning"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    yield process, port, notify_listener
    process.terminate()
    process.wait(timeout=15)
    process.stdout.close()


def test_gateway_is_ready_only_once_it_answers_and_keeps_sending_keepalives(gateway) -> None:
    process, port, listener = gateway
    ready = listener.wait_for("READY=1", timeout=30)
    assert ready, f"no READY=1; gateway said: {process.stdout.read() if process.poll() is not None else ''}"
    # READY=1 means listening: the first request right after it gets an HTTP answer.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        assert 200 <= connection.getresponse().status < 500
    finally:
        connection.close()
    beats = listener.wait_for("WATCHDOG=1", count=3, timeout=5)
    assert len(beats) >= 3
    assert all(b.at > ready[0].at for b in beats)
    gaps = [later.at - earlier.at for earlier, later in zip(beats, beats[1:], strict=False)]
    assert all(0.2 <= gap <= 0.6 for gap in gaps), gaps  # half the 0.6 s interval, never the whole
    process.terminate()
    # uvicorn shuts down gracefully and re-raises SIGTERM, which systemd counts as a clean stop.
    assert process.wait(timeout=15) in (0, -signal.SIGTERM)
    assert listener.wait_for("STOPPING=1")


def test_gateway_listens_on_loopback_by_default(gateway) -> None:
    process, port, listener = gateway
    assert listener.wait_for("READY=1", timeout=30)
    addresses = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    addresses |= {a for a in _non_loopback_ipv4() if a}
    for address in addresses:
        with socket.socket() as sock, pytest.raises(OSError):
            sock.settimeout(1)
            sock.connect((address, port))


def _non_loopback_ipv4() -> set[str]:
    result = subprocess.run(["hostname", "-I"], capture_output=True, text=True)
    return {a for a in result.stdout.split() if "." in a and not a.startswith("127.")}


def unit_service(name: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    section = ""
    for line in (REPO / "packaging/systemd" / name).read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def test_gateway_unit_is_a_watched_loopback_service() -> None:
    service = unit_service("kiosk-gateway.service")
    assert service["Type"] == ["notify"]
    assert service["NotifyAccess"] == ["main"]
    assert 10 <= int(service["WatchdogSec"][0]) <= 120
    words = service["ExecStart"][0].split()
    assert words[words.index("--host") + 1] == "127.0.0.1"
    assert words[-1] == "$KIOSK_GATEWAY_OPTIONS"  # local options come last and win
    assert words[words.index("--workers") + 1] == "${KIOSK_GATEWAY_WORKERS}"  # /etc/default/kiosk-gateway sets it
    assert "KIOSK_GATEWAY_WORKERS=1" in service["Environment"]  # one worker (SQLite) unless told otherwise


def test_kiosk_unit_filters_system_calls() -> None:
    service = unit_service("kiosk.service")
    assert service["SystemCallFilter"] == ["@system-service"]
    assert service["SystemCallErrorNumber"] == ["EPERM"]


def test_shipped_kiosk_config_reaches_the_gateway_over_https_through_the_shipped_proxy() -> None:
    config = tomllib.loads((REPO / "packaging/config/kiosk.toml").read_text(encoding="utf-8"))
    url = config["gateway"]["url"]
    match = re.fullmatch(r"https://([a-z0-9.-]+)(?::(\d+))?/?", url)
    assert match, url
    host, port = match[1], int(match[2] or 443)
    nginx = (REPO / "packaging/nginx/kiosk-gateway.conf").read_text()
    assert re.search(rf"^\s*listen {port} ssl;", nginx, re.M)
    assert re.search(rf"^\s*server_name {re.escape(host)};", nginx, re.M)
    words = unit_service("kiosk-gateway.service")["ExecStart"][0].split()
    upstream = f"http://{words[words.index('--host') + 1]}:{words[words.index('--port') + 1]}"
    assert re.search(rf"^\s*proxy_pass {re.escape(upstream)};", nginx, re.M)

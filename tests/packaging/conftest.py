"""Fixtures for the packaging tests: the Debian package (built once per session, --fast), and a
stand-in for systemd's notification socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "packaging" / "build-deb.sh"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=170)


@pytest.fixture(scope="session")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package as CI builds it: --fast (the project's wheel, no dependency wheels)."""
    out = tmp_path_factory.mktemp("deb")
    result = _run("bash", BUILD, "--fast", "--out", out, "--python", sys.executable)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == out and path.is_file()
    return path


@pytest.fixture(scope="session")
def listing(deb: Path) -> list[tuple[str, str, str, str]]:
    """(mode, owner, path, link target) for every entry of the data archive."""
    result = _run("dpkg-deb", "--contents", deb)
    assert result.returncode == 0, result.stderr
    entries = []
    for line in result.stdout.splitlines():
        mode, owner, _size, _date, _time, rest = line.split(maxsplit=5)
        path, _, target = rest.partition(" -> ")
        entries.append((mode, owner, path.removeprefix("./").rstrip("/"), target))
    return entries


@pytest.fixture(scope="session")
def control_dir(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("control") / "DEBIAN"
    assert _run("dpkg-deb", "--control", deb, where).returncode == 0
    return where


@pytest.fixture(scope="session")
def root(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files unpacked (tests may add stand-ins next to them, never change them)."""
    where = tmp_path_factory.mktemp("root")
    assert _run("dpkg-deb", "--extract", deb, where).returncode == 0
    return where


@dataclass(frozen=True)
class Datagram:
    at: float  # time.monotonic() on arrival
    fields: tuple[str, ...]


class NotifyListener:
    """Binds an AF_UNIX datagram socket (a path, or an abstract name) and collects messages."""

    def __init__(self, abstract: bool = False) -> None:
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._dir: str | None = None
        if abstract:
            name = f"kiosk-notify-test-{os.getpid()}-{id(self)}"
            self._sock.bind(b"\0" + name.encode())
            self.address = "@" + name
        else:
            # Short directory: AF_UNIX paths are limited to 108 bytes.
            self._dir = tempfile.mkdtemp(prefix="kn-", dir="/tmp")
            self.address = str(Path(self._dir) / "notify")
            self._sock.bind(self.address)
        self._sock.settimeout(0.05)
        self._lock = threading.Condition()
        self._received: list[Datagram] = []
        self._running = True
        self._thread = threading.Thread(target=self._receive, name="notify-listener", daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while self._running:
            try:
                data = self._sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            arrived = time.monotonic()
            with self._lock:
                self._received.append(Datagram(arrived, tuple(data.decode().split("\n"))))
                self._lock.notify_all()

    @property
    def received(self) -> list[Datagram]:
        with self._lock:
            return list(self._received)

    def with_field(self, field: str) -> list[Datagram]:
        return [d for d in self.received if field in d.fields]

    def wait_for(self, field: str, count: int = 1, timeout: float = 3.0) -> list[Datagram]:
        """Block until ``count`` datagrams carrying ``field`` arrived (or the timeout passed)."""
        with self._lock:
            self._lock.wait_for(lambda: sum(field in d.fields for d in self._received) >= count, timeout)
        return self.with_field(field)

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=2)
        self._sock.close()
        if self._dir is not None:
            Path(self.address).unlink(missing_ok=True)
            os.rmdir(self._dir)


@pytest.fixture
def notify_listener(monkeypatch: pytest.MonkeyPatch):
    """A listening socket installed as $NOTIFY_SOCKET, with no watchdog configured."""
    listener = NotifyListener()
    monkeypatch.setenv("NOTIFY_SOCKET", listener.address)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    yield listener
    listener.close()


@pytest.fixture
def abstract_notify_listener(monkeypatch: pytest.MonkeyPatch):
    """Like ``notify_listener`` but bound in the abstract namespace ($NOTIFY_SOCKET=@name)."""
    listener = NotifyListener(abstract=True)
    monkeypatch.setenv("NOTIFY_SOCKET", listener.address)
    yield listener
    listener.close()


@pytest.fixture
def notify_listener_class():
    """The listener class itself, for tests that give each child process a socket of its own."""
    return NotifyListener

"""A TCP port a simulator serves, as a network receipt printer does on port 9100.

Network ESC/POS printers take one connection at a time: the job's bytes go in, real-time status
answers (``DLE EOT n``) come back on the same connection. A new connection replaces the one
before (a driver that reconnects after a network blip must not find the printer busy). The
link has the same face as :class:`~devices.simulators.pty_link.PtyLink`, so a simulator takes
either; ``url`` is what a kiosk's configuration names (``tcp://HOST:PORT``).
"""

from __future__ import annotations

import selectors
import socket
from collections.abc import Callable

from devices.simulators.link import SimulatorLink


class TcpLink(SimulatorLink):
    """Listens on ``host:port`` (port 0: a free one) and serves one connection at a time."""

    def __init__(self, name: str, on_bytes: Callable[[bytes], None], host: str = "127.0.0.1",
                 port: int = 0) -> None:
        super().__init__(name, on_bytes)
        self._wanted = (host, port)
        self._listener: socket.socket | None = None
        self._client: socket.socket | None = None
        self.address: tuple[str, int] = (host, port)
        self.connections = 0  # how many connections the driver has made (tests, diagnostics)

    @property
    def plugged(self) -> bool:
        return self._listener is not None

    @property
    def url(self) -> str:
        return f"tcp://{self.address[0]}:{self.address[1]}"

    slave_path = url  # what a driver is told to open, as for a pty

    thread_role = "tcp"

    def _plug(self) -> None:
        listener = socket.create_server(self._wanted, reuse_port=False)
        listener.setblocking(False)
        self._listener = listener
        self.address = listener.getsockname()[:2]
        self._wanted = self.address  # a replug comes back on the same port

    def _serve(self) -> None:
        stop, listener = self._stop, self._listener
        if listener is None:
            return
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ, "accept")
            while not stop.is_set():
                for key, _ in selector.select(0.05):
                    if key.data == "accept":
                        self._accept(listener, selector)
                    elif isinstance(key.fileobj, socket.socket):  # a client, registered by _accept
                        self._read(key.fileobj, selector)

    def _accept(self, listener: socket.socket, selector: selectors.BaseSelector) -> None:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        client.setblocking(True)
        with self._write_lock:
            old, self._client = self._client, client
            self.connections += 1
        if old is not None:
            self._drop(old, selector)
        selector.register(client, selectors.EVENT_READ, "client")

    def _read(self, client: socket.socket, selector: selectors.BaseSelector) -> None:
        try:
            data = client.recv(4096)
        except OSError:
            data = b""
        if not data:
            self._drop(client, selector)
            with self._write_lock:
                if self._client is client:
                    self._client = None
            return
        self._deliver(data)

    @staticmethod
    def _drop(client: socket.socket, selector: selectors.BaseSelector) -> None:
        try:
            selector.unregister(client)
        except (KeyError, ValueError):
            pass
        client.close()

    def _send(self, data: bytes) -> bool:
        if self._client is None:
            return False
        self._client.sendall(data)
        return True

    def _unplug(self) -> None:
        """Stop listening and drop the connection: the driver meets a printer gone off the network."""
        for sock in (self._client, self._listener):
            if sock is not None:
                sock.close()
        self._client = self._listener = None

"""The gateway transport on the standard library: keep-alive, timeouts, failures as TransportError."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.gateway_client import transport
from kiosk.gateway_client.transport import (
    ConnectTimeout,
    HttpSession,
    ReadTimeout,
    TLSFailure,
    TransportError,
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[dict] = []

    def log_message(self, *_args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        if self.path.startswith("/slow"):
            threading.Event().wait(1.0)
        Handler.seen.append({"path": self.path, "headers": dict(self.headers), "port": self.client_address[1]})
        if self.path.startswith("/busy"):
            self._answer(429, b"{}", {"Retry-After": "3"})
            return
        self._answer(200, json.dumps({"path": self.path}).encode(), {"ETag": '"v1"'})

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Handler.seen.append({"path": self.path, "headers": dict(self.headers), "body": body,
                             "port": self.client_address[1]})
        self._answer(201, b"not json")


@pytest.fixture
def server() -> Iterator[str]:
    Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_json_in_and_out_with_headers_params_and_one_kept_alive_connection(server: str) -> None:
    session = HttpSession()
    session.headers["Authorization"] = "Bearer secret"
    try:
        first = session.get(f"{server}/api/v1/guides", params={"group": "hall a", "installed": 3})
        posted = session.post(f"{server}/api/v1/outbox", json={"n": 1, "name": "林"},
                              headers={"Idempotency-Key": "k1"})
    finally:
        session.close()
    assert first.status_code == 200 and first.json() == {"path": "/api/v1/guides?group=hall+a&installed=3"}
    assert first.headers.get("etag") == '"v1"'  # any spelling of the name
    assert posted.status_code == 201 and posted.content == b"not json"
    with pytest.raises(ValueError):
        posted.json()
    get, post = Handler.seen
    assert get["headers"]["Authorization"] == "Bearer secret"
    assert post["headers"]["Idempotency-Key"] == "k1" and post["headers"]["Content-Type"] == "application/json"
    assert json.loads(post["body"]) == {"n": 1, "name": "林"}
    assert get["port"] == post["port"]  # the same keep-alive connection


def test_answers_with_a_status_are_answers_not_errors(server: str) -> None:
    session = HttpSession()
    answer = session.get(f"{server}/busy")
    session.close()
    assert answer.status_code == 429 and answer.headers.get("Retry-After") == "3"


def test_a_connection_the_gateway_closed_is_replaced(server: str) -> None:
    session = HttpSession()
    session.get(f"{server}/one")
    for connections in session._idle.values():
        for conn in connections:
            conn.sock.shutdown(socket.SHUT_RDWR)  # as if the gateway had dropped the idle connection
    assert session.get(f"{server}/two").status_code == 200
    session.close()
    assert Handler.seen[0]["port"] != Handler.seen[1]["port"]


def test_threads_share_a_bounded_pool(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "POOL_SIZE", 2)
    session = HttpSession()
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(session.get(f"{server}/slow").status_code))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == [200] * 4
    assert sum(len(c) for c in session._idle.values()) == 2
    session.close()
    assert session._idle == {}


def test_refused_read_timeout_connect_timeout_and_tls_failures(server: str) -> None:
    session = HttpSession()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    with pytest.raises(TransportError, match="Refused"):
        session.get(f"http://127.0.0.1:{closed_port}/health", timeout=(1, 1))
    with pytest.raises(ReadTimeout):
        session.get(f"{server}/slow", timeout=(1, 0.2))
    with pytest.raises(TLSFailure):  # a plain-HTTP server where TLS was expected
        session.get(server.replace("http://", "https://") + "/health", timeout=(2, 2))
    with pytest.raises(TransportError, match="not an http"):
        session.get("ftp://127.0.0.1/x")
    # A listening socket whose backlog is full never completes a connection: a connect timeout.
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        port = full.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
                fillers.append(filler)
            try:
                session.get(f"http://127.0.0.1:{port}/health", timeout=(0.3, 1))
            except ConnectTimeout:
                pass
            except TransportError as exc:  # some kernels refuse instead of dropping: still "no answer"
                assert "Timeout" not in type(exc).__name__
        finally:
            for filler in fillers:
                filler.close()
    session.close()
    assert issubclass(ConnectTimeout, TransportError) and issubclass(TransportError, OSError)


def test_the_gateway_client_no_longer_loads_requests() -> None:
    code = "import sys, kiosk.gateway_client.client; print('requests' in sys.modules, 'urllib3' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]

"""Fixtures for the offline store: a fresh database, alerts collected, a recording gateway on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from offline_cache.alerts import TechnicianAlert
from offline_cache.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "state")
    yield opened
    opened.close()


@pytest.fixture
def alerts() -> list[TechnicianAlert]:
    return []


class RecordingGateway:
    """A fake hall gateway: accepts POST /api/v1/outbox/{kind}, records keys, notices any duplicate."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, dict]] = []
        self.duplicates: list[str] = []
        self.failing = False
        self.stop_after: int | None = None
        self.stopped = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def keys(self) -> list[str]:
        with self.lock:
            return [key for _, key, _ in self.received]

    def start(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                key = self.headers.get("Idempotency-Key", "")
                kind = self.path.rsplit("/", 1)[-1]
                with gateway.lock:
                    if gateway.failing:
                        self.send_response(503)
                        self.end_headers()
                        return
                    if key in {k for _, k, _ in gateway.received}:
                        gateway.duplicates.append(key)
                    gateway.received.append((kind, key, body))
                    count = len(gateway.received)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status":"accepted"}')
                if gateway.stop_after is not None and count >= gateway.stop_after:
                    gateway.stop_after = None
                    threading.Thread(target=gateway.stop).start()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self.stopped.clear()
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.stopped.set()

    def send(self, kind: str, idempotency_key: str, payload: dict) -> dict:
        """What the gateway client's post_outbox_entry does: POST, raise on failure."""
        import requests

        response = requests.post(
            f"http://127.0.0.1:{self.port}/api/v1/outbox/{kind}",
            json=payload,
            headers={"Idempotency-Key": idempotency_key},
            timeout=2,
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture
def gateway() -> Iterator[RecordingGateway]:
    fake = RecordingGateway()
    fake.start()
    yield fake
    fake.stop()

"""Start the reference gateway beside the kiosk as a child process (the demo, and tests).

Only the standard library is imported here: the kiosk process must never load FastAPI. Its health
check uses http.client, which the kiosk's gateway client loads anyway (urllib.request would add
~1.7 MB to the kiosk process for one GET). The listening socket is bound by the parent and handed
to the child, so the URL is known before the child starts and a port of 0 can never race with
another program.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger("gateway.server")


class GatewayStartError(RuntimeError):
    """The child gateway exited or did not answer /api/v1/health in time; the message has its stderr."""


class EmbeddedGateway:
    """A reference gateway in a child process: ``start()``, ``url``, ``stop()`` (idempotent)."""

    def __init__(
        self,
        db_path: str | Path,
        port: int = 0,
        host: str = "127.0.0.1",
        demo: bool = True,
        public_url: str | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.db_path = Path(db_path)
        self.host = host
        self._port = port
        self.demo = demo
        self.public_url = public_url
        self.extra_args = extra_args
        self._process: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._stderr_path = self.db_path.with_name(self.db_path.name + ".gateway.log")

    @property
    def url(self) -> str:
        if self._sock is None:
            raise RuntimeError("the gateway is not started")
        return f"http://{self.host}:{self._port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = 20.0) -> EmbeddedGateway:
        if self._process is not None:
            return self
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port))
        sock.listen(128)
        sock.set_inheritable(True)
        self._sock = sock
        self._port = sock.getsockname()[1]
        args = [sys.executable, "-m", "gateway", "--host", self.host, "--port", str(self._port),
                "--fd", str(sock.fileno()), "--db", str(self.db_path), "--log-level", "warning",
                "--parent-pid", str(os.getpid())]  # ends with this process, however it ends
        if self.public_url:
            args += ["--public-url", self.public_url]
        if self.demo:
            args.append("--demo")
        args += list(self.extra_args)
        stderr = self._stderr_path.open("wb")
        try:
            self._process = subprocess.Popen(args, pass_fds=(sock.fileno(),), stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=stderr, env=os.environ.copy())
        finally:
            stderr.close()
        log.info("embedded gateway starting on %s (pid %d)", self.url, self._process.pid)
        try:
            self._wait_healthy(timeout)
        except GatewayStartError:
            self.stop()
            raise
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise GatewayStartError(f"gateway exited with {self._process.returncode}: {self._stderr_tail()}")
            connection = http.client.HTTPConnection(self.host, self._port, timeout=1.0)
            try:
                connection.request("GET", "/api/v1/health")
                answer = connection.getresponse()
                if answer.status == 200 and json.loads(answer.read()).get("status") == "ok":
                    return
            except (OSError, ValueError, http.client.HTTPException):
                pass  # not listening yet (the socket accepts, but uvicorn has not started serving)
            finally:
                connection.close()
            if time.monotonic() > deadline:
                raise GatewayStartError(f"gateway did not answer within {timeout:.0f} s: {self._stderr_tail()}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)

    def _stderr_tail(self) -> str:
        try:
            return self._stderr_path.read_text(encoding="utf-8", errors="replace")[-2000:].strip()
        except OSError:
            return ""

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the child (then kill it if it lingers); safe to call more than once."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> EmbeddedGateway:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

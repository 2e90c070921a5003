"""HTTP to the gateway on the standard library: JSON over keep-alive connections, connect and read timeouts.

The gateway client needs little of HTTP: one host, JSON bodies, a few headers, separate connect and
read timeouts, TLS checked against the system's or a given CA file. ``requests`` did that, but
loading it (with urllib3, charset_normalizer, idna, certifi) cost ~9 MB of every kiosk's memory;
``http.client`` and ``ssl`` cost ~1.6 MB. :class:`HttpSession` offers the part of the
``requests.Session`` interface the kiosk used (``request``, ``get``, ``post``, ``headers``,
``verify``, ``close``), and answers carry ``status_code``, ``headers``, ``content`` and ``json()``.

Connections are kept in a small pool shared by all threads (a thread takes one, uses it for one
exchange, puts it back); one the gateway has closed meanwhile is noticed and replaced before use.
"""

from __future__ import annotations

import http.client
import json as jsonlib
import select
import socket
import ssl
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

POOL_SIZE = 10  # idle connections kept per host; more threads than that just open and close their own
MAX_ANSWER_BYTES = 16 * 1024 * 1024  # no answer the kiosk expects comes near this; a larger one is refused
_CHUNK = 64 * 1024


class TransportError(OSError):
    """No answer from the gateway: refused, reset, unreachable, or a broken HTTP exchange."""


class ConnectTimeout(TransportError):
    """No connection within the connect timeout (nothing was sent)."""


class ReadTimeout(TransportError):
    """Connected and sent, but no (complete) answer within the read timeout."""


class TLSFailure(TransportError):
    """The TLS handshake failed (certificate not trusted, wrong host, not TLS at all)."""


class AnswerTooLarge(TransportError):
    """The answer's body is larger than the caller allows; it was not read whole (``limit`` in bytes)."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.headers: Message = Message()  # the answer's headers, which did arrive


@dataclass
class Answer:
    """One HTTP answer, read in full."""

    status_code: int
    headers: Message = field(default_factory=Message)  # case-insensitive ``get``
    content: bytes = b""

    def json(self) -> Any:
        """The body as JSON; ValueError if it is not."""
        return jsonlib.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


Timeout = float | tuple[float, float]


class HttpSession:
    """Keep-alive HTTP(S) to the gateway, safe to share between threads. ``close()`` when done."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.verify: bool | str = True  # True: system CAs; a path: that CA file; False: no check
        self._idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None
        self._tls_for: bool | str | None = None

    def get(self, url: str, **options: Any) -> Answer:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> Answer:
        return self.request("POST", url, **options)

    def request(self, method: str, url: str, *, json: Any = None, params: Mapping[str, Any] | None = None,
                headers: Mapping[str, str] | None = None, timeout: Timeout = (2.0, 8.0),
                max_bytes: int = MAX_ANSWER_BYTES) -> Answer:
        """Send one request and read its whole answer; a :class:`TransportError` if none came.

        A body larger than ``max_bytes`` raises :class:`AnswerTooLarge`: refused at once when the
        Content-Length says so, else as soon as the bytes read pass the limit (never held whole).
        """
        connect_s, read_s = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TransportError(f"not an http(s) URL: {url!r}")
        target = parts.path or "/"
        if parts.query or params:
            query = "&".join(q for q in (parts.query, urllib.parse.urlencode(params or {})) if q)
            target = f"{target}?{query}"
        all_headers = {**self.headers, **(headers or {})}
        body = None
        if json is not None:
            body = jsonlib.dumps(json, allow_nan=False, separators=(",", ":")).encode()
            all_headers.setdefault("Content-Type", "application/json")
        key = (parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        conn = self._take(key, connect_s)
        try:
            conn.sock.settimeout(read_s)
            conn.request(method, target, body=body, headers=all_headers)
            response = conn.getresponse()
            answer = Answer(response.status, response.msg, _read_body(response, max_bytes))
        except AnswerTooLarge as exc:
            response.close()
            conn.close()  # the rest of the body is still on the wire: this connection cannot be reused
            exc.headers = response.msg
            raise
        except TimeoutError:
            conn.close()
            raise ReadTimeout(f"no answer within {read_s} s") from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise TransportError(f"{type(exc).__name__}: {exc}") from None
        if response.will_close:
            conn.close()
        else:
            self._give_back(key, conn)
        return answer

    def close(self) -> None:
        """Close every idle connection (connections in use close when their exchange ends)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for conn in connections:
                conn.close()

    # -- the pool ---------------------------------------------------------------------------
    def _take(self, key: tuple[str, str, int], connect_s: float) -> http.client.HTTPConnection:
        while True:
            with self._lock:
                connections = self._idle.get(key)
                conn = connections.pop() if connections else None
            if conn is None:
                return self._connect(key, connect_s)
            if not _dropped(conn):
                return conn
            conn.close()

    def _give_back(self, key: tuple[str, str, int], conn: http.client.HTTPConnection) -> None:
        with self._lock:
            connections = self._idle.setdefault(key, [])
            if len(connections) < POOL_SIZE:
                connections.append(conn)
                return
        conn.close()

    def _connect(self, key: tuple[str, str, int], connect_s: float) -> http.client.HTTPConnection:
        scheme, host, port = key
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=connect_s, context=self._tls_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=connect_s)
        try:
            conn.connect()
        except TimeoutError:
            conn.close()
            raise ConnectTimeout(f"no connection to {host}:{port} within {connect_s} s") from None
        except (ssl.SSLError, ssl.CertificateError) as exc:
            conn.close()
            raise TLSFailure(f"TLS with {host}:{port} failed: {exc}") from None
        except OSError as exc:
            conn.close()
            raise TransportError(f"{type(exc).__name__}: {exc}") from None
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def _tls_context(self) -> ssl.SSLContext:
        with self._lock:
            if self._tls is None or self._tls_for != self.verify:
                if self.verify is False:
                    context = ssl.create_default_context()
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                else:
                    context = ssl.create_default_context(
                        cafile=self.verify if isinstance(self.verify, str) else None)
                self._tls, self._tls_for = context, self.verify
            return self._tls


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """The body, in chunks, refusing one over ``max_bytes`` early (Content-Length) or while reading."""
    declared = response.length  # None when chunked or unknown
    if declared is not None and declared > max_bytes:
        raise AnswerTooLarge(f"the answer announces {declared} bytes, more than the {max_bytes} allowed", max_bytes)
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise AnswerTooLarge(f"the answer is larger than the {max_bytes} bytes allowed", max_bytes)


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """True if the idle connection was closed by the other end (readable with nothing to read)."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)

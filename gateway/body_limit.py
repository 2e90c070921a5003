"""Refuse request bodies over a size limit with 413 before any handler reads them.

Checked twice: the declared Content-Length up front, and the bytes actually received (a chunked
body has no length to trust). A few paths may take more (``larger``: publishing a configuration
bundle carries a bundle as large as the kiosks accept); every other path has ``max_bytes``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope.get("path", ""), self.max_bytes)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _refuse(send, 400, "bad_request", "Content-Length is not a number")
                    return
                if declared > limit:
                    await _refuse(send, 413, "body_too_large", f"request body over {limit} bytes")
                    return
        received = 0
        too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # End the body here; whatever the app answers to the truncated body is replaced below.
                    too_large = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def guarded_send(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await _refuse(send, 413, "body_too_large", f"request body over {limit} bytes")

        await self.app(scope, counting_receive, guarded_send)


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body: dict[str, Any] = {"code": code, "message": message, "detail": None}
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": data})

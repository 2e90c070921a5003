"""Refusals the gateway gives on purpose: one exception type carrying status, code and message."""

from __future__ import annotations

from typing import Any


class Problem(Exception):
    """Raised by a handler to answer ``status`` with an :class:`contract.base.ErrorBody`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers or {}

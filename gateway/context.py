"""Everything a request handler needs, built once per gateway process and kept on ``app.state``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from gateway import retention
from gateway.catalogue_source import departments_by_id, load_catalogue_document, services_by_id
from gateway.idempotency import run_once
from gateway.ratelimit import RateLimiter, SharedRateLimiter
from gateway.settings import GatewaySettings
from gateway.storage import Database, Transaction
from gateway.token_cache import TokenCache

PRUNE_EVERY_S = 60.0


@dataclass
class GatewayContext:
    settings: GatewaySettings
    db: Database
    limiter: RateLimiter | SharedRateLimiter
    failed_logins: RateLimiter | SharedRateLimiter = field(default_factory=lambda: RateLimiter(10 / 60, 10))
    tokens: TokenCache = field(default_factory=TokenCache)
    # receipt copies (补打) asked for, per kiosk and per notice: a few a minute at most
    reprints: RateLimiter | SharedRateLimiter = field(default_factory=lambda: RateLimiter(1 / 60, 5))
    pruned_ts: float = 0.0  # when this process last pruned what outlived its window (gateway clock)
    catalogue: dict[str, Any] = field(default_factory=load_catalogue_document)

    @property
    def services(self) -> dict[str, dict[str, Any]]:
        return services_by_id(self.catalogue)

    @property
    def departments(self) -> dict[str, dict[str, Any]]:
        return departments_by_id(self.catalogue)

    def now_iso(self) -> str:
        return self.settings.now().isoformat(timespec="seconds")

    def today(self) -> str:
        return self.settings.now().date().isoformat()

    def once(self, conn: Transaction, kiosk_id: str, key: str | None, scope: str, body: Any,
             work: Callable[[], tuple[int, dict[str, Any]]],
             replay: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> tuple[int, dict[str, Any], bool]:
        """:func:`gateway.idempotency.run_once` with this gateway's clock and replay window.

        What outlived the window is pruned here too, at most once a minute per process (not on every write).
        """
        now_ts = self.settings.now().timestamp()
        if key is not None and not self.pruned_ts <= now_ts < self.pruned_ts + PRUNE_EVERY_S:
            self.pruned_ts = now_ts
            conn.lock("kiosk:" + kiosk_id)  # the same order of locks as run_once's, then retention's
            retention.prune(conn, now_ts, self.settings.replay_window_s)
        return run_once(conn, kiosk_id, key, scope, body, work, now_ts, self.settings.replay_window_s, replay)


async def get_context(request: Request) -> GatewayContext:
    """(A coroutine, so FastAPI calls it on the event loop instead of handing it to a worker thread.)"""
    return request.app.state.gateway

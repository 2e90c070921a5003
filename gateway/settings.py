"""What one gateway process is: its database, public address, limits and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from config.bundle import DEFAULT_MAX_SIZE

HALL_ZONE = ZoneInfo("Asia/Shanghai")


def hall_now() -> datetime:
    """The wall clock in the hall (Xiamen), whatever the server's own time zone."""
    return datetime.now(HALL_ZONE)


@dataclass
class GatewaySettings:
    """Settings of one gateway; tests build their own with small limits and a fixed clock."""

    db_path: Path | str
    """A SQLite file (one hall) or a ``postgresql://user@host/dbname`` URL (a province)."""
    public_url: str = "http://127.0.0.1:8765"
    hotline: str = "12345"
    """The hall's hotline, on the pages citizens open on their phones."""
    demo: bool = False
    rate_per_s: float = 20.0
    rate_burst: int = 60
    auth_failures_per_min: int = 10
    max_body_bytes: int = 64 * 1024
    # publishing a bundle: one as large as the kiosks accept, in whatever layout the admin's file has
    max_publish_bytes: int = 2 * DEFAULT_MAX_SIZE
    # enrolling a province's kiosks at once: 20,000 rows of JSON
    max_enrolment_bytes: int = 4 * 1024 * 1024
    # a kiosk's good token is remembered per process until the database's count of token changes moves, read at
    # most this often (seconds; 0: check the database every time)
    token_cache_s: float = 1.0
    # requests served at once per process; beyond, 503 with Retry-After (shed_retry_after_s)
    max_in_flight: int = 64
    shed_retry_after_s: int = 2
    # ... and while the event loop runs later than this with requests queueing (seconds; 0: off). Off unless the
    # gateway has its process to itself (kiosk-gateway sets it): a gateway inside another program
    # (the demo kiosk's, a test's) shares the interpreter lock, and its neighbour's work would look
    # like overload.
    shed_lag_s: float = 0.0
    order_ttl_s: int = 900
    minutes_per_ticket: int = 6
    # a heartbeat whose kiosk clock is further than this from the gateway's is refused
    heartbeat_skew_s: int = 24 * 3600
    # idempotency keys (and the outbox's processed entries) are kept this long, then pruned
    replay_window_s: int = 24 * 3600
    # reverse proxies whose X-Forwarded-Proto/-For are believed (peer addresses, e.g. "127.0.0.1")
    trusted_proxies: tuple[str, ...] = ()
    # official documents: the hall's document key (None: "document-key" beside the database) and the seal
    document_key_dir: Path | None = None
    seal_image: Path | None = None
    now: Callable[[], datetime] = field(default=hall_now)

    def document_key_path(self) -> Path:
        if self.document_key_dir is not None:
            return Path(self.document_key_dir)
        beside_nothing = str(self.db_path) == ":memory:" or str(self.db_path).startswith(("postgresql:", "postgres:"))
        base = Path.cwd() if beside_nothing else Path(self.db_path).resolve().parent  # a PostgreSQL URL is no folder
        return base / "document-key"

    def public(self, path: str) -> str:
        """Absolute URL of a page served by this gateway (what QR codes point at)."""
        return self.public_url.rstrip("/") + path

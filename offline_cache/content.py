"""Public content kept for offline use: catalogue, guides, announcements, hours, fee schedules.

Each item is stored with the gateway's ETag and version. A refresh asks the gateway with
``If-None-Match``; a 304 only confirms the item (:meth:`ContentCache.confirm`), a 200 replaces it
(:meth:`ContentCache.put`). While offline the kiosk serves what it has and shows its age, measured
from the last time the gateway confirmed it, so a kiosk started without a network is fully
browsable from the cache.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from offline_cache.store import Store

CONTENT_KINDS: tuple[str, ...] = ("catalogue", "guides", "announcements", "hours", "fee_schedules")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class CachedContent:
    """One cached item: the decoded JSON ``body`` with its ETag, version and timestamps (Unix seconds)."""

    kind: str
    key: str
    body: Any
    etag: str | None
    version: str | None
    fetched_at: float
    checked_at: float

    def age_s(self, now: float) -> float:
        """Seconds since the gateway last confirmed this item."""
        return max(0.0, now - self.checked_at)


class ContentCache:
    """Versioned public content in the kiosk database."""

    def __init__(self, store: Store, *, now: Callable[[], float] = time.time) -> None:
        self.store = store
        self._now = now

    def put(self, kind: str, key: str, body: Any, *, etag: str | None = None,
            version: str | None = None) -> CachedContent:
        """Store a fresh copy (a 200 from the gateway). ``body`` must be JSON-serialisable."""
        _check_kind(kind)
        try:
            text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"content {kind}/{key}: expected JSON data ({exc})") from None
        now = self._now()
        with self.store.writing() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO content (kind, key, body, etag, version, fetched_at, checked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, key, text, etag, version, now, now),
            )
        return CachedContent(kind, key, body, etag, version, now, now)

    def confirm(self, kind: str, key: str) -> bool:
        """The gateway answered 304 Not Modified: the item is current as of now. False if not cached."""
        with self.store.writing() as conn:
            return conn.execute(
                "UPDATE content SET checked_at=? WHERE kind=? AND key=?", (self._now(), kind, key)
            ).rowcount == 1

    def get(self, kind: str, key: str) -> CachedContent | None:
        """The cached item, or None."""
        with self.store.reading() as conn:
            row = conn.execute(
                "SELECT kind, key, body, etag, version, fetched_at, checked_at FROM content"
                " WHERE kind=? AND key=?", (kind, key),
            ).fetchone()
        return None if row is None else _content(row)

    def etag(self, kind: str, key: str) -> str | None:
        """The ETag to send as ``If-None-Match``, or None when nothing is cached."""
        with self.store.reading() as conn:
            row = conn.execute("SELECT etag FROM content WHERE kind=? AND key=?", (kind, key)).fetchone()
        return None if row is None else row[0]

    def items(self, kind: str) -> list[CachedContent]:
        """Every cached item of a kind, by key (e.g. all guides for offline browsing)."""
        with self.store.reading() as conn:
            rows = conn.execute(
                "SELECT kind, key, body, etag, version, fetched_at, checked_at FROM content"
                " WHERE kind=? ORDER BY key", (kind,),
            ).fetchall()
        return [_content(row) for row in rows]

    def remove(self, kind: str, key: str) -> bool:
        """Forget an item the gateway withdrew (e.g. an expired announcement)."""
        with self.store.writing() as conn:
            return conn.execute("DELETE FROM content WHERE kind=? AND key=?", (kind, key)).rowcount == 1

    def ages(self) -> dict[str, float | None]:
        """Per content kind, the age in seconds of its stalest item; None for a kind with nothing cached.

        This is what the availability engine weighs: the oldest guide decides how old "the guides" are.
        """
        now = self._now()
        with self.store.reading() as conn:
            rows = conn.execute("SELECT kind, min(checked_at) FROM content GROUP BY kind").fetchall()
        ages: dict[str, float | None] = dict.fromkeys(CONTENT_KINDS)
        ages.update({kind: max(0.0, now - oldest) for kind, oldest in rows})
        return ages


def _check_kind(kind: str) -> None:
    if not _NAME.match(kind):
        raise ValueError(f"content kind: expected lower-case letters, digits and '_', got {kind!r}")


def _content(row: tuple[Any, ...]) -> CachedContent:
    kind, key, body, etag, version, fetched_at, checked_at = row
    return CachedContent(kind, key, json.loads(body), etag, version, float(fetched_at), float(checked_at))

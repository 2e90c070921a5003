"""Service guides for the kiosk: from the gateway when it answers, from the content cache when not.

Guides are public content. Every guide fetched is kept in the content cache with the gateway's
version, so a kiosk started with no network can still show every guide it has ever seen, with
the age of what it shows. While the gateway confirmed the whole collection recently (the kiosk
refreshes it every 15 minutes), a guide opens straight from the cache: no round trip, no
"loading" page in between.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contract.content import Guide, GuideCollection

log = logging.getLogger("cache")

KIND = "guides"
CURRENT_S = 20 * 60
"""A collection the gateway confirmed this recently counts as current (refreshed every 15 minutes)."""


@dataclass(frozen=True)
class GuideView:
    """A guide and how fresh it is. ``age_s`` is None when it came straight from the gateway."""

    guide: Guide
    age_s: float | None = None


class GuideLibrary:
    """Looks guides up by service id; ``refresh()`` copies the gateway's whole collection into the cache."""

    def __init__(self, content_cache: Any = None, gateway: Any = None, now: Callable[[], float] = time.time) -> None:
        self.cache = content_cache
        self.gateway = gateway
        self._now = now

    def refresh(self) -> int:
        """Fetch every guide (skipped when the cached version is current). Returns how many were stored."""
        if self.gateway is None or self.cache is None:
            return 0
        etag = self.cache.etag(KIND, "*")
        collection: GuideCollection | None = self.gateway.guides(etag=etag)
        if collection is None:  # 304: what we have is current
            self.cache.confirm(KIND, "*")
            return 0
        for guide in collection.guides:
            self.cache.put(KIND, guide.service_id, guide.model_dump(), etag=guide.version or collection.version)
        self.cache.put(KIND, "*", {"count": len(collection.guides)}, etag=collection.version)
        log.info("guides refreshed: %d (version %s)", len(collection.guides), collection.version)
        return len(collection.guides)

    def current(self, service_id: str) -> GuideView | None:
        """The cached guide if the gateway confirmed the collection within ``CURRENT_S``; else None.

        A local lookup (well under a millisecond), for the GUI thread; :meth:`get` may wait for the
        gateway.
        """
        if self.cache is None or self.gateway is None:
            return None  # no gateway to have confirmed it: shown by get(), with its age
        collection = self.cache.get(KIND, "*")
        if collection is None or collection.age_s(self._now()) > CURRENT_S:
            return None
        cached = self.cache.get(KIND, service_id)
        if cached is None:
            return None
        try:
            return GuideView(Guide.model_validate(cached.body))
        except ValueError:  # written by an older kiosk version: fetch it again
            log.warning("cached guide %s no longer valid; fetching it", service_id)
            return None

    def get(self, service_id: str) -> GuideView | None:
        """The guide for ``service_id``: live if the gateway answers, else cached, else None."""
        if self.gateway is not None:
            try:
                guide = self.gateway.guide(service_id)
            except Exception as exc:  # offline, or the gateway failed: fall back to the cache
                log.info("guide %s from cache (%s)", service_id, type(exc).__name__)
            else:
                if self.cache is not None:
                    self.cache.put(KIND, service_id, guide.model_dump(), etag=guide.version or None)
                return GuideView(guide)
        return self.cached(service_id)

    def cached(self, service_id: str) -> GuideView | None:
        """The guide as the cache holds it, with its age, without asking the gateway (a local lookup).

        What a kiosk known to be offline shows at once: no call that would only wait for a timeout.
        """
        if self.cache is None:
            return None
        cached = self.cache.get(KIND, service_id)
        if cached is None:
            return None
        try:
            return GuideView(Guide.model_validate(cached.body), cached.age_s(self._now()))
        except ValueError:
            log.warning("cached guide %s no longer valid", service_id)
            return None

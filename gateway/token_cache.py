"""The kiosk token check, remembered per process until the kiosks' tokens change.

Every kiosk request carries its id and token; checking them against the database each time was a
read per request (and with thousands of kiosks beating once a minute, a cache that forgets after a
few seconds never hits). A successful check is remembered under a digest of the token, never the
token itself. Every change of a kiosk's token or access (enrol, rotate, disable, enable: from any
worker or the command line) adds one to a counter in the database (:func:`gateway.kiosks.tokens_changed`); the cache
reads that counter at most once per ``ttl_s`` (1 s by default, the ``--token-cache-seconds``
setting) and forgets everything when it moved. So a rotated token or a disabled kiosk is refused
within about that time everywhere, and at once in the process that did it (:meth:`TokenCache.forget`).
Without a counter (``version=None``) an entry simply lasts ``ttl_s``. Failed checks are never
remembered, so they keep going to the database and the failed-login limit. The cache is bounded.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from gateway.kiosks import KioskIdentity


class TokenCache:
    def __init__(self, ttl_s: float = 1.0, max_entries: int = 50_000,
                 clock: Callable[[], float] = time.monotonic, version: Callable[[], int] | None = None) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._version = version  # the database's change counter; None: entries last ttl_s
        self._seen: int | None = None
        self._next_check = float("-inf")
        self._entries: OrderedDict[tuple[str, bytes], tuple[KioskIdentity, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _key(kiosk_id: str, token: str) -> tuple[str, bytes]:
        return kiosk_id, hashlib.blake2b(token.encode("utf-8"), digest_size=16).digest()

    def get(self, kiosk_id: str, token: str) -> KioskIdentity | None:
        """The remembered identity for this id and token, if checked within ``ttl_s``."""
        if self.ttl_s <= 0:
            return None
        key = self._key(kiosk_id, token)
        if self._version is not None:
            self._follow_changes()
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if self._version is None and found[1] <= self._clock():
                del self._entries[key]
                return None
            return found[0]

    def put(self, kiosk_id: str, token: str, identity: KioskIdentity) -> None:
        if self.ttl_s <= 0:
            return
        key = self._key(kiosk_id, token)
        with self._lock:
            self._entries[key] = (identity, self._clock() + self.ttl_s)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _follow_changes(self) -> None:
        """Forget everything when the change counter moved (read at most once per ``ttl_s``)."""
        now = self._clock()
        if now < self._next_check or self._version is None:
            return
        self._next_check = now + self.ttl_s
        seen = self._version()
        with self._lock:
            if seen != self._seen:
                self._entries.clear()
                self._seen = seen

    def forget(self, kiosk_id: str) -> None:
        """Drop every remembered token of ``kiosk_id`` (after a rotation or disabling here)."""
        with self._lock:
            for key in [k for k in self._entries if k[0] == kiosk_id]:
                del self._entries[key]


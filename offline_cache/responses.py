"""The response cache: gateway answers kept by a policy per endpoint.

Public data (queue status, fee tables, guide pages) is kept for ``ttl_s`` and, while the gateway
is unreachable, for ``stale_if_offline_s`` beyond that, marked stale. Personal data (lookups,
payment notices) is not cached at all unless its policy says ``cache_personal``; then only sealed
with AES-GCM, under a keyed fingerprint instead of the URL (URLs can carry ID numbers), for at most
:data:`PERSONAL_TTL_LIMIT_S`, and never served stale. Endpoints no policy matches are not cached.

Policies come from configuration as a table keyed by endpoint pattern (``fnmatch`` syntax)::

    [cache.responses."/api/v1/guides/*"]
    ttl_s = 3600
    stale_if_offline_s = 604800
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from offline_cache.errors import SealingError
from offline_cache.sealing import Sealer
from offline_cache.store import Store

log = logging.getLogger("cache")

PERSONAL_TTL_LIMIT_S = 600.0


class ResponsePolicyError(ValueError):
    """A response-cache policy in configuration is wrong; the message names the key."""


@dataclass(frozen=True)
class EndpointPolicy:
    """How answers from endpoints matching ``pattern`` may be cached."""

    pattern: str
    ttl_s: float = 0.0
    stale_if_offline_s: float = 0.0
    personal: bool = False
    cache_personal: bool = False

    def __post_init__(self) -> None:
        key = f'cache.responses."{self.pattern}"'
        if not self.pattern.startswith("/"):
            raise ResponsePolicyError(f"{key}: expected an endpoint pattern starting with '/'")
        if self.ttl_s < 0 or self.stale_if_offline_s < 0:
            raise ResponsePolicyError(f"{key}.ttl_s/stale_if_offline_s: expected seconds >= 0")
        if self.cache_personal and not self.personal:
            raise ResponsePolicyError(f"{key}.cache_personal: expected only on a policy with personal = true")
        if self.personal and self.cache_personal:
            if not 0 < self.ttl_s <= PERSONAL_TTL_LIMIT_S:
                raise ResponsePolicyError(
                    f"{key}.ttl_s: expected a short TTL for personal data, 0 < ttl_s <= "
                    f"{PERSONAL_TTL_LIMIT_S:g}, got {self.ttl_s:g}"
                )
            if self.stale_if_offline_s:
                raise ResponsePolicyError(
                    f"{key}.stale_if_offline_s: expected 0 — personal data is never served stale"
                )

    @property
    def cacheable(self) -> bool:
        return self.ttl_s > 0 and (not self.personal or self.cache_personal)


DEFAULT_POLICIES: tuple[EndpointPolicy, ...] = (
    EndpointPolicy("/api/v1/catalogue*", ttl_s=300, stale_if_offline_s=30 * 86400),
    EndpointPolicy("/api/v1/guides*", ttl_s=3600, stale_if_offline_s=30 * 86400),
    EndpointPolicy("/api/v1/announcements*", ttl_s=300, stale_if_offline_s=7 * 86400),
    EndpointPolicy("/api/v1/hours*", ttl_s=3600, stale_if_offline_s=30 * 86400),
    EndpointPolicy("/api/v1/fees*", ttl_s=3600, stale_if_offline_s=30 * 86400),
    # Waiting counts go stale in minutes; showing old ones would mislead.
    EndpointPolicy("/api/v1/queue*", ttl_s=15),
    EndpointPolicy("/api/v1/lookups/*", personal=True),
    EndpointPolicy("/api/v1/payments/*", personal=True),
)


def policies_from_config(table: Mapping[str, Mapping[str, Any]]) -> list[EndpointPolicy]:
    """Policies from a configuration table ``{pattern: {ttl_s, stale_if_offline_s, personal, cache_personal}}``."""
    allowed = {f.name for f in fields(EndpointPolicy)} - {"pattern"}
    policies = []
    for pattern, settings in table.items():
        key = f'cache.responses."{pattern}"'
        if not isinstance(settings, Mapping):
            raise ResponsePolicyError(f"{key}: expected a table of settings, got {settings!r}")
        unknown = set(settings) - allowed
        if unknown:
            raise ResponsePolicyError(f"{key}.{sorted(unknown)[0]}: no such setting; expected one of {sorted(allowed)}")
        for name, value in settings.items():
            numeric = name.endswith("_s")
            ok = (isinstance(value, int | float) and not isinstance(value, bool)) if numeric else isinstance(value, bool)
            if not ok:
                raise ResponsePolicyError(
                    f"{key}.{name}: expected {'a number of seconds' if numeric else 'true or false'}, got {value!r}"
                )
        policies.append(EndpointPolicy(pattern, **settings))
    return policies


@dataclass(frozen=True)
class CachedResponse:
    """A cached answer. ``stale`` means past its TTL, served only because the gateway is unreachable."""

    body: bytes
    stored_at: float
    age_s: float
    stale: bool


class ResponseCache:
    """Gateway answers cached by endpoint policy. The first matching policy wins."""

    def __init__(
        self,
        store: Store,
        policies: Sequence[EndpointPolicy] = DEFAULT_POLICIES,
        *,
        sealer: Sealer | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        needs_key = [p.pattern for p in policies if p.personal and p.cache_personal]
        if needs_key and sealer is None:
            raise ResponsePolicyError(
                f'cache.responses."{needs_key[0]}".cache_personal: expected an encryption key to be '
                "configured; personal data is cached only encrypted"
            )
        self.store = store
        self.policies = tuple(policies)
        self._sealer = sealer
        self._now = now

    def policy_for(self, endpoint: str) -> EndpointPolicy | None:
        """The policy that applies to ``endpoint`` (path, possibly with a query), or None."""
        path = endpoint.split("?", 1)[0]
        return next((p for p in self.policies if fnmatch.fnmatchcase(path, p.pattern)), None)

    def put(self, endpoint: str, body: bytes, *, variant: str = "") -> bool:
        """Keep an answer if its policy allows; returns whether it was kept.

        ``variant`` distinguishes answers for the same endpoint (e.g. the language asked for).
        """
        policy = self.policy_for(endpoint)
        if policy is None or not policy.cacheable:
            return False
        now = self._now()
        lookup = self._lookup_key(endpoint, variant, policy)
        data = bytes(body)
        if policy.personal:
            if self._sealer is None:  # refused in __init__ already; never store personal data in clear
                return False
            data = self._sealer.seal(data, lookup.encode())
        fresh_until = now + policy.ttl_s
        with self.store.writing() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO responses (lookup, endpoint, body, sealed, personal, stored_at,"
                " fresh_until, usable_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (lookup, None if policy.personal else endpoint, data, int(policy.personal),
                 int(policy.personal), now, fresh_until, fresh_until + policy.stale_if_offline_s),
            )
        return True

    def lookup(self, endpoint: str, *, online: bool, variant: str = "") -> CachedResponse | None:
        """A usable cached answer: fresh, or (only when ``online`` is False) stale within its grace period."""
        policy = self.policy_for(endpoint)
        if policy is None or not policy.cacheable:
            return None
        lookup = self._lookup_key(endpoint, variant, policy)
        with self.store.reading() as conn:
            row = conn.execute(
                "SELECT body, sealed, stored_at, fresh_until, usable_until FROM responses WHERE lookup=?",
                (lookup,),
            ).fetchone()
        if row is None:
            return None
        body, sealed, stored_at, fresh_until, usable_until = row
        now = self._now()
        stale = now >= fresh_until
        if stale and (online or now >= usable_until):
            return None
        data = bytes(body)
        if sealed:
            if self._sealer is None:
                return None
            try:
                data = self._sealer.open(data, lookup.encode())
            except SealingError:
                log.warning("a sealed cached answer did not open (key changed?); discarding it")
                self._delete(lookup)
                return None
        return CachedResponse(data, float(stored_at), max(0.0, now - stored_at), stale)

    def forget_personal(self) -> int:
        """Delete every cached personal answer (e.g. when a citizen's session ends); returns how many."""
        with self.store.writing() as conn:
            return conn.execute("DELETE FROM responses WHERE personal=1").rowcount

    def purge_expired(self) -> int:
        """Delete answers past any use, fresh or stale; returns how many."""
        with self.store.writing() as conn:
            return conn.execute("DELETE FROM responses WHERE usable_until <= ?", (self._now(),)).rowcount

    def _lookup_key(self, endpoint: str, variant: str, policy: EndpointPolicy) -> str:
        text = f"{endpoint}\0{variant}"
        if policy.personal and self._sealer is not None:
            return "p:" + self._sealer.fingerprint(text)
        return "c:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _delete(self, lookup: str) -> None:
        with self.store.writing() as conn:
            conn.execute("DELETE FROM responses WHERE lookup=?", (lookup,))

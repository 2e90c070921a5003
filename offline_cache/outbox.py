"""The durable outbox: what the kiosk must tell the gateway later, kept safe until the gateway confirms.

Feedback, EMS mailing requests, payment reconciliation, telemetry and events are appended here
and replayed by the sync worker. The promises:

- ``append`` returns only after the entry is committed with ``synchronous=FULL``; an entry whose
  append returned survives a crash or power cut, exactly once.
- Every entry has its idempotency key from the moment it is appended, before any attempt; every
  retry sends the same key, so the gateway can deduplicate.
- States: ``pending`` → ``sent`` (an attempt is under way) → ``acknowledged``. A failed attempt
  goes back to ``pending`` with exponential back-off and jitter; after ``max_attempts`` failures,
  or a failure the gateway marks permanent, the entry is ``parked`` and reported, never retried on
  its own. An attempt interrupted by a crash (still ``sent`` at start-up) is retried.
- The number of unacknowledged entries is bounded; a technician alert is raised before the bound,
  and at the bound :class:`~offline_cache.errors.OutboxFull` is raised. A full disk raises
  :class:`~offline_cache.errors.StoreFull`; in both cases nothing committed before is lost.
"""

from __future__ import annotations

import json
import logging
import random
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from contract.backoff import Backoff
from offline_cache.alerts import AlertSink, TechnicianAlert, raise_alert
from offline_cache.errors import OutboxFull, StoreFull
from offline_cache.sealing import Sealer
from offline_cache.store import Store

log = logging.getLogger("outbox")

EntryState = Literal["pending", "sent", "acknowledged", "parked"]
UNFINISHED: tuple[EntryState, ...] = ("pending", "sent", "parked")
# The kind becomes a path segment of POST /api/v1/outbox/{kind}.
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


@dataclass(frozen=True)
class OutboxEntry:
    """One entry as stored; ``payload`` is the decoded (and, if sealed, opened) JSON object."""

    seq: int
    idempotency_key: str
    kind: str
    payload: dict[str, Any]
    state: EntryState
    attempts: int
    created_at: float
    next_attempt_at: float
    last_error: str | None


_COLUMNS = "seq, idempotency_key, kind, payload, sealed, state, attempts, created_at, next_attempt_at, last_error"


class Outbox:
    """Durable, bounded queue of messages for the gateway. Thread-safe through its :class:`Store`."""

    def __init__(
        self,
        store: Store,
        *,
        capacity: int = 10_000,
        alert_ratio: float = 0.8,
        max_attempts: int = 12,
        backoff: Backoff | None = None,
        shed_kinds: frozenset[str] = frozenset({"telemetry"}),
        sealer: Sealer | None = None,
        on_alert: AlertSink | None = None,
        now: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
    ) -> None:
        """``shed_kinds`` are refused already at the alert level, keeping room for what matters (payments).

        With a ``sealer``, payloads are stored encrypted (EMS requests carry names and addresses).
        """
        if capacity < 1 or not 0 < alert_ratio <= 1 or max_attempts < 1:
            raise ValueError(
                "expected capacity >= 1, 0 < alert_ratio <= 1 and max_attempts >= 1, got "
                f"{capacity}, {alert_ratio}, {max_attempts}"
            )
        self.store = store
        self.capacity = capacity
        self.alert_level = max(1, int(capacity * alert_ratio))
        self.max_attempts = max_attempts
        self.backoff = backoff or Backoff(first=5.0, limit=30 * 60.0, jitter=0.5)
        self.shed_kinds = shed_kinds
        self._sealer = sealer
        self._on_alert = on_alert
        self._now = now
        self._rng = rng
        self._nearly_full_reported = False
        recovered = self.recover_interrupted()
        if recovered:
            log.info("%d interrupted attempt(s) from before the restart will be retried", recovered)

    # --- writing -------------------------------------------------------------------------------

    def append(self, kind: str, payload: Mapping[str, Any], *, idempotency_key: str | None = None) -> OutboxEntry:
        """Commit a new entry durably and return it, with its idempotency key.

        A caller that already has a natural key (e.g. a payment's transaction number) passes it as
        ``idempotency_key``; appending the same key again returns the existing entry unchanged.
        Raises ``ValueError`` for a bad kind, key or a payload that is not JSON, :class:`OutboxFull`
        at the bound, :class:`StoreFull` when the disk is full.
        """
        if not KIND_PATTERN.match(kind):
            raise ValueError(f"outbox kind: expected lower-case letters, digits and '_' (max 40), got {kind!r}")
        key = idempotency_key or uuid.uuid4().hex
        if not KEY_PATTERN.match(key):
            raise ValueError(f"idempotency key: expected 8-128 characters of [A-Za-z0-9._:-], got {key!r}")
        try:
            body = json.dumps(dict(payload), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"outbox payload for {kind!r}: expected a JSON object ({exc})") from None
        data = body.encode("utf-8")
        sealed = self._sealer is not None
        if self._sealer is not None:
            data = self._sealer.seal(data, key.encode())
        now = self._now()
        try:
            with self.store.writing() as conn:
                existing = conn.execute(
                    f"SELECT {_COLUMNS} FROM outbox WHERE idempotency_key = ?", (key,)
                ).fetchone()
                if existing is not None:
                    return self._entry(existing)
                unfinished = self._count_unfinished(conn)
                limit = self.alert_level if kind in self.shed_kinds else self.capacity
                if unfinished >= limit:
                    raise OutboxFull(
                        f"outbox holds {unfinished} unsent entries (limit {limit} for {kind!r}); "
                        "refusing new ones until it drains"
                    )
                cursor = conn.execute(
                    "INSERT INTO outbox (idempotency_key, kind, payload, sealed, state, attempts, created_at,"
                    " next_attempt_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
                    (key, kind, data, int(sealed), now, now, now),
                )
                seq = int(cursor.lastrowid or 0)
        except OutboxFull as exc:
            raise_alert(self._on_alert, TechnicianAlert(
                "outbox_full", "the outbox is full; the gateway has not taken entries for a long time",
                {"kind": kind, "capacity": self.capacity, "error": str(exc)},
            ), log)
            raise
        except StoreFull:
            raise_alert(self._on_alert, TechnicianAlert(
                "disk_full", "the kiosk's storage is full; services that send data later are unavailable",
                {"path": str(self.store.path), "kind": kind},
            ), log)
            raise
        log.debug("appended %s entry %s", kind, key)
        self._check_level(unfinished + 1)
        return OutboxEntry(seq, key, kind, dict(payload), "pending", 0, now, now, None)

    def mark_sent(self, idempotency_key: str) -> None:
        """Record that an attempt is about to be made (committed before the request goes out)."""
        self.record_progress(sending=idempotency_key)

    def acknowledge(self, idempotency_key: str) -> None:
        """The gateway confirmed the entry; it will never be sent again."""
        self.record_progress(acknowledged=idempotency_key)

    def record_progress(self, *, acknowledged: str | None = None, sending: str | None = None) -> None:
        """Acknowledge one entry and mark the next one sent, in one durable commit.

        The sync worker calls this between two requests, so each entry still reaches ``sent``
        before its request and ``acknowledged`` before the next request, at one disk sync instead of two.
        """
        now = self._now()
        with self.store.writing() as conn:
            if acknowledged is not None:
                conn.execute(
                    "UPDATE outbox SET state='acknowledged', updated_at=?, last_error=NULL"
                    " WHERE idempotency_key=? AND state IN ('pending','sent')",
                    (now, acknowledged),
                )
            if sending is not None:
                conn.execute(
                    "UPDATE outbox SET state='sent', updated_at=? WHERE idempotency_key=? AND state='pending'",
                    (now, sending),
                )
        if acknowledged is not None and self._nearly_full_reported:
            self._check_level(self.counts()["unfinished"])

    def record_failure(self, idempotency_key: str, error: str, *, permanent: bool = False,
                       not_before_s: float = 0.0) -> OutboxEntry:
        """An attempt failed: schedule a retry with back-off, or park the entry (reported) if it has failed enough.

        ``not_before_s``: the gateway said when to come back (Retry-After); the retry waits at least that long.
        """
        now = self._now()
        with self.store.writing() as conn:
            row = conn.execute(
                "SELECT attempts FROM outbox WHERE idempotency_key=? AND state IN ('pending','sent')",
                (idempotency_key,),
            ).fetchone()
            if row is None:
                raise KeyError(f"no unfinished outbox entry with key {idempotency_key!r}")
            attempts = int(row[0]) + 1
            park = permanent or attempts >= self.max_attempts
            state = "parked" if park else "pending"
            next_at = now if park else now + max(self.backoff.delay(attempts, self._rng), not_before_s)
            conn.execute(
                "UPDATE outbox SET state=?, attempts=?, next_attempt_at=?, updated_at=?, last_error=?"
                " WHERE idempotency_key=?",
                (state, attempts, next_at, now, error[:500], idempotency_key),
            )
            entry = self._entry(conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE idempotency_key=?", (idempotency_key,)
            ).fetchone())
        if park:
            raise_alert(self._on_alert, TechnicianAlert(
                "outbox_entry_parked",
                "an outbox entry was refused or failed too often; it is kept but no longer retried",
                {"kind": entry.kind, "key": idempotency_key, "attempts": attempts, "error": error[:200]},
            ), log)
        else:
            log.info("%s entry %s failed (attempt %d), retry in %.0f s",
                     entry.kind, idempotency_key, attempts, next_at - now)
        return entry

    def retry_parked(self, idempotency_key: str | None = None) -> int:
        """Put parked entries (one, or all) back in the queue with a fresh attempt count; for technicians."""
        now = self._now()
        where, args = ("AND idempotency_key=?", (idempotency_key,)) if idempotency_key else ("", ())
        with self.store.writing() as conn:
            cursor = conn.execute(
                "UPDATE outbox SET state='pending', attempts=0, next_attempt_at=?, updated_at=?"
                f" WHERE state='parked' {where}",
                (now, now, *args),
            )
            return cursor.rowcount

    def recover_interrupted(self) -> int:
        """Entries left ``sent`` by a crash go back to ``pending``; the gateway deduplicates the retry."""
        with self.store.writing() as conn:
            return conn.execute(
                "UPDATE outbox SET state='pending', updated_at=? WHERE state='sent'", (self._now(),)
            ).rowcount

    def purge_acknowledged(self, older_than_s: float = 24 * 3600.0) -> int:
        """Delete acknowledged entries confirmed more than ``older_than_s`` ago; returns how many."""
        with self.store.writing() as conn:
            return conn.execute(
                "DELETE FROM outbox WHERE state='acknowledged' AND updated_at < ?",
                (self._now() - older_than_s,),
            ).rowcount

    # --- reading -------------------------------------------------------------------------------

    def due(self, limit: int = 50) -> list[OutboxEntry]:
        """Pending entries whose next attempt is due, oldest first."""
        with self.store.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state='pending' AND next_attempt_at <= ?"
                " ORDER BY seq LIMIT ?",
                (self._now(), limit),
            ).fetchall()
        return [self._entry(row) for row in rows]

    def next_due_at(self) -> float | None:
        """When the next pending entry becomes due (Unix seconds), or None if nothing is pending."""
        with self.store.reading() as conn:
            row = conn.execute("SELECT min(next_attempt_at) FROM outbox WHERE state='pending'").fetchone()
        return None if row[0] is None else float(row[0])

    def get(self, idempotency_key: str) -> OutboxEntry | None:
        with self.store.reading() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE idempotency_key=?",
                               (idempotency_key,)).fetchone()
        return None if row is None else self._entry(row)

    def entries(self, state: EntryState | None = None) -> list[OutboxEntry]:
        """All entries (or those in ``state``), oldest first; for diagnostics and tests."""
        where, args = ("WHERE state=?", (state,)) if state else ("", ())
        with self.store.reading() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox {where} ORDER BY seq", args).fetchall()
        return [self._entry(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Entries per state, plus ``unfinished`` (what counts against the capacity)."""
        with self.store.reading() as conn:
            rows = conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
        counts = {state: 0 for state in ("pending", "sent", "acknowledged", "parked")}
        counts.update({state: int(n) for state, n in rows})
        counts["unfinished"] = sum(counts[s] for s in UNFINISHED)
        return counts

    # --- inside ----------------------------------------------------------------------------------

    @staticmethod
    def _count_unfinished(conn: sqlite3.Connection) -> int:
        return int(conn.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('pending','sent','parked')"
        ).fetchone()[0])

    def _check_level(self, unfinished: int) -> None:
        if unfinished >= self.alert_level and not self._nearly_full_reported:
            self._nearly_full_reported = True
            raise_alert(self._on_alert, TechnicianAlert(
                "outbox_nearly_full",
                "the outbox is filling up; check the gateway connection before it refuses entries",
                {"unfinished": unfinished, "capacity": self.capacity},
            ), log)
        elif unfinished < self.alert_level:
            self._nearly_full_reported = False

    def _entry(self, row: tuple[Any, ...]) -> OutboxEntry:
        seq, key, kind, payload, sealed, state, attempts, created_at, next_at, last_error = row
        data = bytes(payload)
        if sealed:
            if self._sealer is None:
                raise ValueError(f"outbox entry {key} is sealed but no key was given to open it")
            data = self._sealer.open(data, key.encode())
        return OutboxEntry(int(seq), key, kind, json.loads(data), state, int(attempts), float(created_at),
                           float(next_at), last_error)

"""Idempotency keys: the first request with a key does the work; a repeat gets the same answer again.

Keys belong to a kiosk (two kiosks may pick the same key). A key reused for a different request
is refused, so a kiosk bug cannot turn one payment's retry into another payment.

What is kept per key is only what a replay needs: the scope, a digest of the request, the status
and a *reference* to what the first request made (an order id, a ticket id, a document number),
never the answer itself: lookup answers carry employers and contributions, mailing requests names
and addresses. A replay re-derives its answer from the reference (and from the request, which a
replay carries again). Keys are kept for ``GatewaySettings.replay_window_s`` (24 h by default);
older ones are pruned (:mod:`gateway.retention`) and a key that old counts as new even before that.

Outbox scopes (``outbox:<kind>``) have a key space of their own: the kiosk keys a payment's
reconciliation entry with the order's own key, and that must not read as the order's request
again. Feedback and mailing delivered through the outbox use the direct scopes on purpose, so a
replay of an entry whose direct attempt did arrive is recognised.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from gateway.problems import Problem
from gateway.storage import Transaction, dumps, loads

KEY_PATTERN = r"^[A-Za-z0-9._:-]{8,128}$"

REFERENCE_FIELDS = ("order_id", "ticket_id", "feedback_id", "mailing_id", "latest", "stored")
"""The parts of an answer a replay may keep: ids and flags, nothing about the citizen."""


def request_hash(scope: str, body: Any) -> str:
    text = json.dumps([scope, body], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reference(result: dict[str, Any]) -> dict[str, Any]:
    """What of ``result`` is kept for a replay: its ids, and a document's number."""
    kept = {name: result[name] for name in REFERENCE_FIELDS if name in result}
    document = result.get("document")
    if isinstance(document, dict) and "number" in document:
        kept["document"] = document["number"]
    return kept


def run_once(
    conn: Transaction,
    kiosk_id: str,
    key: str | None,
    scope: str,
    body: Any,
    work: Callable[[], tuple[int, dict[str, Any]]],
    now_ts: float,
    window_s: float,
    replay: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[int, dict[str, Any], bool]:
    """Do ``work`` once per (kiosk, key) within ``window_s``; returns (status, body, replayed).

    On a replay, ``replay(reference)`` rebuilds the answer; without it the reference itself is the
    body (ids only). Call inside a transaction.
    """
    if key is None:
        status, result = work()
        return status, result, False
    conn.lock(f"kiosk:{kiosk_id}")  # PostgreSQL: one request per kiosk key at a time, across workers
    digest = request_hash(scope, body)
    if scope.startswith("outbox:"):
        key = f"{scope}|{key}"
    row = conn.one("SELECT scope, request_hash, status, ref, created_ts FROM idempotency "
                   "WHERE kiosk_id = ? AND key = ?", (kiosk_id, key))
    if row is not None and row["created_ts"] < now_ts - window_s:  # expired, not yet pruned: counts as new
        conn.execute("DELETE FROM idempotency WHERE kiosk_id = ? AND key = ?", (kiosk_id, key))
        row = None
    if row is not None:
        if row["scope"] != scope or row["request_hash"] != digest:
            raise Problem(
                409,
                "idempotency_key_reused",
                "this Idempotency-Key was already used for a different request",
                {"first_used_for": row["scope"]},
            )
        kept = {name: value for name, value in (loads(row["ref"]) or {}).items() if value is not None}
        return int(row["status"]), replay(kept) if replay is not None else kept, True
    status, result = work()
    conn.execute(
        "INSERT INTO idempotency (kiosk_id, key, scope, request_hash, status, ref, created_ts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kiosk_id, key, scope, digest, status, dumps(reference(result)), now_ts),
    )
    return status, result, False

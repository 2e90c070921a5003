"""Idempotency keys: the first request with a key does the work; a repeat gets the stored answer.

Keys belong to a kiosk (two kiosks may pick the same key). A key reused for a different request
is refused, so a kiosk bug cannot turn one payment's retry into another payment.

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


def request_hash(scope: str, body: Any) -> str:
    text = json.dumps([scope, body], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_once(
    conn: Transaction,
    kiosk_id: str,
    key: str | None,
    scope: str,
    body: Any,
    work: Callable[[], tuple[int, dict[str, Any]]],
    now: str,
) -> tuple[int, dict[str, Any], bool]:
    """Do ``work`` once per (kiosk, key); returns (status, body, replayed). Call inside a transaction."""
    if key is None:
        status, result = work()
        return status, result, False
    digest = request_hash(scope, body)
    if scope.startswith("outbox:"):
        key = f"{scope}|{key}"
    row = conn.one("SELECT * FROM idempotency WHERE kiosk_id = ? AND key = ?", (kiosk_id, key))
    if row is not None:
        if row["scope"] != scope or row["request_hash"] != digest:
            raise Problem(
                409,
                "idempotency_key_reused",
                "this Idempotency-Key was already used for a different request",
                {"first_used_for": row["scope"]},
            )
        return int(row["status"]), loads(row["body"]), True
    status, result = work()
    conn.execute(
        "INSERT INTO idempotency (kiosk_id, key, scope, request_hash, status, body, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kiosk_id, key, scope, digest, status, dumps(result), now),
    )
    return status, result, False

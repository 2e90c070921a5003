"""One-time links to a lookup result, for the citizen's phone.

A link's secret is ``secrets.token_urlsafe(32)``; the table keeps only its SHA-256, the kiosk and
citizen session it was made for, and the result as the kiosk showed it (masked). Opening the link
once erases the result and marks it used; after ``LINK_TTL_S`` it has expired either way. A session
has one live link at a time: asking again revokes the one before. Rows are pruned an hour after
they expire, after which the link reads as unknown.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from contract.masking import mask_id_number, mask_name
from contract.result_links import LINK_TTL_S, ResultLinkRequest
from gateway.storage import Transaction

if TYPE_CHECKING:  # the context prunes these links through gateway.retention
    from gateway.context import GatewayContext

KEEP_AFTER_EXPIRY_S = 3600
TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 64


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(ctx: GatewayContext, conn: Transaction, kiosk_id: str, body: ResultLinkRequest) -> dict[str, Any]:
    """A new link for ``body`` (the session's earlier links stop working); its URL and expiry."""
    now = ctx.settings.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    result = body.model_dump()
    result["holder"] = mask_name(body.holder)
    result["id_number"] = mask_id_number(body.id_number) if body.id_number else ""
    result["issued_at"] = now.strftime("%Y-%m-%d %H:%M")
    conn.execute("UPDATE result_links SET payload = '', opened_ts = ? WHERE kiosk_id = ? AND session_id = ? "
                 "AND opened_ts IS NULL", (now.timestamp(), kiosk_id, body.session_id))
    expires = now.timestamp() + LINK_TTL_S
    conn.execute("INSERT INTO result_links (token_hash, kiosk_id, session_id, payload, created_ts, expires_ts) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (token_hash(token), kiosk_id, body.session_id, json.dumps(result, ensure_ascii=False),
                  now.timestamp(), expires))
    return {"url": ctx.settings.public(f"/r/{token}"), "ttl_s": LINK_TTL_S,
            "expires_at": datetime.fromtimestamp(expires, now.tzinfo).isoformat(timespec="seconds")}


@dataclass(frozen=True)
class Opening:
    """What opening a link found: the result (``state == "open"``), or why not."""

    state: str  # "open", "used", "expired", "unknown"
    result: dict[str, Any] | None = None


def open_once(ctx: GatewayContext, conn: Transaction, token: str) -> Opening:
    """The result behind ``token``, handed out once: the row is emptied as it is read."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return Opening("unknown")
    row = conn.one("SELECT payload, expires_ts, opened_ts FROM result_links WHERE token_hash = ?",
                   (token_hash(token),))
    if row is None:
        return Opening("unknown")
    now = ctx.settings.now().timestamp()
    if row["opened_ts"] is not None:
        return Opening("used")
    if row["expires_ts"] <= now:
        conn.execute("UPDATE result_links SET payload = '' WHERE token_hash = ?", (token_hash(token),))
        return Opening("expired")
    taken = conn.execute("UPDATE result_links SET payload = '', opened_ts = ? WHERE token_hash = ? "
                         "AND opened_ts IS NULL", (now, token_hash(token))).rowcount
    if taken != 1:  # another request opened it between the read and now
        return Opening("used")
    return Opening("open", json.loads(row["payload"]))


def prune(conn: Transaction, now_ts: float) -> int:
    """Forget links that expired more than an hour ago."""
    return conn.execute("DELETE FROM result_links WHERE expires_ts < ?", (now_ts - KEEP_AFTER_EXPIRY_S,)).rowcount

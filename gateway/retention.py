"""How long the gateway keeps what it only needs for a while: idempotency keys, processed outbox entries, heartbeats,
result links and the follow-up numbers of ratings.

Heartbeat history has windows of its own (:mod:`gateway.heartbeat_history`: every beat for a day,
hourly counts for 90 days).

Both are pruned by age at start and then at most once a minute per process, within a keyed
write's transaction (both tables are indexed by age, so a prune with nothing to do costs one
index probe); a key found past its window counts as new even before it is pruned. The window is
``GatewaySettings.replay_window_s``: the kiosks retry within minutes and drain their outbox within
hours, so a day covers every replay while keeping nothing for long.
"""

from __future__ import annotations

from datetime import datetime

from gateway import heartbeat_history, ratelimit, result_links
from gateway.settings import HALL_ZONE
from gateway.storage import Transaction

FOLLOW_UP_KEPT_S = 30 * 24 * 3600
"""A rating's follow-up number is for calling back about that rating: erased 30 days after it."""


def prune(conn: Transaction, now_ts: float, window_s: float) -> int:
    """Delete idempotency rows and outbox entries older than ``window_s``; returns how many went."""
    conn.lock("retention")  # PostgreSQL: one worker prunes at a time
    cutoff = now_ts - window_s
    gone = conn.execute("DELETE FROM idempotency WHERE created_ts < ?", (cutoff,)).rowcount
    gone += conn.execute("DELETE FROM outbox_entries WHERE received_ts < ?", (cutoff,)).rowcount
    gone += heartbeat_history.prune(conn, now_ts)
    gone += ratelimit.prune(conn, now_ts)
    gone += result_links.prune(conn, now_ts)
    gone += forget_follow_up_phones(conn, now_ts)
    return gone


def forget_follow_up_phones(conn: Transaction, now_ts: float) -> int:
    """Erase follow-up numbers older than :data:`FOLLOW_UP_KEPT_S` (the rating itself stays)."""
    cutoff = datetime.fromtimestamp(now_ts - FOLLOW_UP_KEPT_S, HALL_ZONE).isoformat(timespec="seconds")
    return conn.execute("UPDATE feedback SET follow_up_phone = NULL WHERE follow_up_phone IS NOT NULL "
                        "AND received_at < ?", (cutoff,)).rowcount

"""Heartbeat history kept downsampled: every beat (when and its kiosk time only) for a day, beats per hour for 90 days.

The old history kept each kiosk's last 20 heartbeats in full; they are carried over as beats.

Revision ID: 0003
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def _ts(text: str | None) -> float | None:
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment.timestamp() if moment.tzinfo else None


def upgrade() -> None:
    beats = op.create_table(
        "fleet_beats", sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("kiosk_id", sa.Text, nullable=False), sa.Column("received_ts", sa.Double, nullable=False),
        sa.Column("sent_at", sa.Text, nullable=False))
    op.create_index("fleet_beats_by_kiosk", "fleet_beats", ["kiosk_id", "received_ts"])
    op.create_index("fleet_beats_by_age", "fleet_beats", ["received_ts"])
    hours = op.create_table(
        "fleet_uptime", sa.Column("kiosk_id", sa.Text, primary_key=True), sa.Column("hour_ts", sa.BigInteger,
                                                                                      primary_key=True),
        sa.Column("beats", sa.Integer, nullable=False))
    op.create_index("fleet_uptime_by_age", "fleet_uptime", ["hour_ts"])
    old = op.get_bind().execute(sa.text("SELECT kiosk_id, received_at, heartbeat FROM fleet_heartbeats")).fetchall()
    rows: list[dict[str, object]] = []
    counts: dict[tuple[str, int], int] = {}
    for kiosk_id, received_at, heartbeat in old:
        received = _ts(received_at)
        if received is None:
            continue
        try:
            sent_at = str(json.loads(heartbeat).get("sent_at") or received_at)
        except (ValueError, AttributeError):
            sent_at = received_at
        rows.append({"kiosk_id": kiosk_id, "received_ts": received, "sent_at": sent_at})
        key = (kiosk_id, int(received // 3600) * 3600)
        counts[key] = counts.get(key, 0) + 1
    if rows:
        op.bulk_insert(beats, rows)
        op.bulk_insert(hours, [{"kiosk_id": k, "hour_ts": h, "beats": n} for (k, h), n in counts.items()])
    op.drop_index("fleet_heartbeats_by_kiosk", table_name="fleet_heartbeats")
    op.drop_table("fleet_heartbeats")


def downgrade() -> None:
    op.create_table(
        "fleet_heartbeats", sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("kiosk_id", sa.Text, nullable=False), sa.Column("received_at", sa.Text, nullable=False),
        sa.Column("heartbeat", sa.Text, nullable=False))
    op.create_index("fleet_heartbeats_by_kiosk", "fleet_heartbeats", ["kiosk_id", "seq"])
    op.drop_table("fleet_uptime")
    op.drop_table("fleet_beats")

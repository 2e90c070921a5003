"""The console at fleet size: each kiosk's current alerts as rows (to filter and count by kind), and
when a kiosk's enrolment last changed (so a console refresh sends only what changed).

Alerts are written when a heartbeat arrives; kiosks heard from before this revision get theirs
with their next heartbeat (within a minute).

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fleet_alerts", sa.Column("kiosk_id", sa.Text, primary_key=True), sa.Column("code", sa.Text, primary_key=True),
        sa.Column("level", sa.Text, nullable=False), sa.Column("zh", sa.Text, nullable=False),
        sa.Column("en", sa.Text, nullable=False))
    op.create_index("fleet_alerts_by_code", "fleet_alerts", ["code", "kiosk_id"])
    with op.batch_alter_table("fleet_kiosks") as table:
        table.add_column(sa.Column("alerts", sa.Text, nullable=True))
    with op.batch_alter_table("kiosks") as table:
        table.add_column(sa.Column("changed_ts", sa.Double, nullable=False, server_default="0"))
    op.create_index("fleet_kiosks_by_age", "fleet_kiosks", ["received_ts"])


def downgrade() -> None:
    op.drop_index("fleet_kiosks_by_age", table_name="fleet_kiosks")
    with op.batch_alter_table("kiosks") as table:
        table.drop_column("changed_ts")
    with op.batch_alter_table("fleet_kiosks") as table:
        table.drop_column("alerts")
    op.drop_index("fleet_alerts_by_code", table_name="fleet_alerts")
    op.drop_table("fleet_alerts")

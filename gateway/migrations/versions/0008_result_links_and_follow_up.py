"""Results taken to a phone (one-time links, only a hash of each secret), and the rating's follow-up details.

Revision ID: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "result_links", sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("kiosk_id", sa.Text, nullable=False), sa.Column("session_id", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False), sa.Column("created_ts", sa.Double, nullable=False),
        sa.Column("expires_ts", sa.Double, nullable=False), sa.Column("opened_ts", sa.Double, nullable=True))
    op.create_index("result_links_by_session", "result_links", ["kiosk_id", "session_id"])
    op.create_index("result_links_by_expiry", "result_links", ["expires_ts"])
    with op.batch_alter_table("feedback") as table:
        table.add_column(sa.Column("record_number", sa.Text, nullable=False, server_default=""))
        table.add_column(sa.Column("follow_up_phone", sa.Text, nullable=True))
    op.create_index("feedback_follow_up", "feedback", ["follow_up_phone"])  # numbers still kept, found at once


def downgrade() -> None:
    op.drop_index("feedback_follow_up", table_name="feedback")
    with op.batch_alter_table("feedback") as table:
        table.drop_column("follow_up_phone")
        table.drop_column("record_number")
    op.drop_index("result_links_by_expiry", table_name="result_links")
    op.drop_index("result_links_by_session", table_name="result_links")
    op.drop_table("result_links")

"""Rate limits shared by every worker: one token bucket per key (a kiosk, or a claimed kiosk id for failed logins).

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_buckets", sa.Column("name", sa.Text, primary_key=True), sa.Column("tokens", sa.Double, nullable=False),
        sa.Column("last_ts", sa.Double, nullable=False))
    op.create_index("rate_buckets_by_age", "rate_buckets", ["last_ts"])


def downgrade() -> None:
    op.drop_index("rate_buckets_by_age", table_name="rate_buckets")
    op.drop_table("rate_buckets")

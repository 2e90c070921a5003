"""Enrolment: each kiosk's hall and roll-out group, and when its token was last set.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kiosks") as table:
        table.add_column(sa.Column("hall", sa.Text, nullable=False, server_default=""))
        table.add_column(sa.Column("group_name", sa.Text, nullable=False, server_default=""))
        table.add_column(sa.Column("token_set_at", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as table:
        table.drop_column("token_set_at")
        table.drop_column("group_name")
        table.drop_column("hall")

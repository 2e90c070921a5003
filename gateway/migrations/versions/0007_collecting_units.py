"""Payment notices name their collecting unit (执收单位) and their payer's ID number (for reprinting a receipt).

A notice issued before this revision keeps an empty unit: the hall cannot know after the fact which
agency issued it, and a receipt prints no 执收单位 line rather than a guessed one. Its payer's ID
number is taken from the citizen of the same name when exactly one citizen has that name; otherwise
it stays empty and its receipt cannot be reprinted at a kiosk (the finance window can).

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_COLUMNS = ("collecting_unit_zh", "collecting_unit_en", "collecting_unit_code", "payer_id_number")


def upgrade() -> None:
    with op.batch_alter_table("notices") as notices:
        for name in _COLUMNS:
            notices.add_column(sa.Column(name, sa.Text, nullable=False, server_default=""))
    op.execute(
        "UPDATE notices SET payer_id_number = (SELECT MIN(c.id_number) FROM citizens c WHERE c.name = notices.payer_name) "
        "WHERE (SELECT COUNT(*) FROM citizens c WHERE c.name = notices.payer_name) = 1")


def downgrade() -> None:
    with op.batch_alter_table("notices") as notices:
        for name in reversed(_COLUMNS):
            notices.drop_column(name)

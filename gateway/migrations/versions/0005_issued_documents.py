"""Issued documents (what a verification code stands for) in the schema like every other table.

Gateways before this revision created the table themselves on first use; a table found here is
kept with everything in it.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("issued_documents"):
        op.create_table(
            "issued_documents", sa.Column("code", sa.Text, primary_key=True), sa.Column("number", sa.Text, nullable=False),
            sa.Column("kind", sa.Text, nullable=False), sa.Column("holder_masked", sa.Text, nullable=False),
            sa.Column("issued_at", sa.Text, nullable=False), sa.Column("kiosk_id", sa.Text, nullable=False),
            sa.Column("digest", sa.Text, nullable=False, unique=True), sa.Column("pages", sa.Integer, nullable=False),
            sa.Column("size", sa.Integer, nullable=False))
    indexes = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("issued_documents")}
    if "issued_documents_by_number" not in indexes:
        op.create_index("issued_documents_by_number", "issued_documents", ["number"])


def downgrade() -> None:
    op.drop_index("issued_documents_by_number", table_name="issued_documents")
    op.drop_table("issued_documents")

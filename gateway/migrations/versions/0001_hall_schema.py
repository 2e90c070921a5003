"""The hall gateway's schema as it stood before Alembic (schema 3, ``PRAGMA user_version``), with the fleet tables.

A SQLite database made by those gateways is brought to schema 3 by :mod:`gateway.migrate` and
stamped with this revision; everything after it is an Alembic revision.

Revision ID: 0001
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TEXT, INT, SEQ = sa.Text, sa.Integer, sa.BigInteger().with_variant(sa.Integer, "sqlite")
TIME = sa.Double  # seconds since the epoch: a double everywhere (PostgreSQL's REAL would round to minutes)


def _col(name: str, kind: Any, nullable: bool = True, **kw: Any) -> sa.Column[Any]:
    return sa.Column(name, kind, nullable=nullable, **kw)


def upgrade() -> None:
    op.create_table(
        "kiosks", _col("kiosk_id", TEXT, False, primary_key=True), _col("token_salt", TEXT, False),
        _col("token_hash", TEXT, False), _col("zone", TEXT, False, server_default="hall"),
        _col("enabled", INT, False, server_default="1"), _col("created_at", TEXT, False))
    op.create_table(
        "citizens", _col("id_number", TEXT, False, primary_key=True), _col("name", TEXT, False),
        _col("card_type", TEXT, False), _col("social_security", TEXT), _col("properties", TEXT),
        _col("household", TEXT))
    op.create_table(
        "appointments", _col("code", TEXT, False, primary_key=True), _col("id_number", TEXT, False),
        _col("service_id", TEXT, False), _col("day", TEXT, False), _col("slot", TEXT, False), _col("ticket_id", TEXT))
    op.create_table(
        "tickets", _col("ticket_id", TEXT, False, primary_key=True), _col("service_id", TEXT, False),
        _col("day", TEXT, False), _col("seq", INT, False), _col("number", TEXT, False),
        _col("priority", INT, False, server_default="0"), _col("priority_reason", TEXT), _col("appointment_code", TEXT),
        _col("state", TEXT, False, server_default="waiting"), _col("issued_at", TEXT, False), _col("called_at", TEXT),
        _col("kiosk_id", TEXT), sa.UniqueConstraint("service_id", "day", "seq"))
    op.create_index("tickets_waiting", "tickets", ["service_id", "day", "state"])
    op.create_table(
        "documents", _col("number", TEXT, False, primary_key=True), _col("kind", TEXT, False),
        _col("holder_masked", TEXT, False), _col("issued_at", TEXT, False), _col("kiosk_id", TEXT, False))
    op.create_table("counters", _col("name", TEXT, False, primary_key=True), _col("value", INT, False))
    op.create_table(
        "notices", _col("number", TEXT, False, primary_key=True), _col("item_zh", TEXT, False),
        _col("item_en", TEXT, False), _col("payer_name", TEXT, False), _col("amount_fen", INT, False),
        _col("due_date", TEXT, False), _col("status", TEXT, False))
    op.create_table(
        "orders", _col("order_id", TEXT, False, primary_key=True), _col("notice_number", TEXT, False),
        _col("amount_fen", INT, False), _col("status", TEXT, False), _col("created_at", TEXT, False),
        _col("expires_at", TEXT, False), _col("paid_at", TEXT), _col("transaction_ref", TEXT),
        _col("kiosk_id", TEXT, False))
    op.create_index("orders_by_notice", "orders", ["notice_number", "status"])
    op.create_table(
        "feedback", _col("feedback_id", TEXT, False, primary_key=True), _col("service_id", TEXT, False),
        _col("rating", INT, False), _col("comment", TEXT, False), _col("kiosk_id", TEXT, False),
        _col("received_at", TEXT, False))
    op.create_table(
        "mailings", _col("mailing_id", TEXT, False, primary_key=True), _col("document_number", TEXT, False),
        _col("recipient_name", TEXT, False), _col("phone", TEXT, False), _col("address", TEXT, False),
        _col("postcode", TEXT), _col("kiosk_id", TEXT, False), _col("received_at", TEXT, False))
    op.create_table(
        "outbox_entries", _col("kiosk_id", TEXT, False, primary_key=True), _col("kind", TEXT, False, primary_key=True),
        _col("key", TEXT, False, primary_key=True), _col("payload", TEXT, False), _col("created_at", TEXT),
        _col("received_at", TEXT, False), _col("received_ts", TIME, False))
    op.create_index("outbox_entries_by_age", "outbox_entries", ["received_ts"])
    op.create_table(
        "idempotency", _col("kiosk_id", TEXT, False, primary_key=True), _col("key", TEXT, False, primary_key=True),
        _col("scope", TEXT, False), _col("request_hash", TEXT, False), _col("status", INT, False),
        _col("ref", TEXT, False), _col("created_ts", TIME, False))
    op.create_index("idempotency_by_age", "idempotency", ["created_ts"])
    create_fleet_tables()


def create_fleet_tables() -> None:
    """The fleet book's tables (created on first use by the gateways before Alembic)."""
    op.create_table(
        "fleet_kiosks", _col("kiosk_id", TEXT, False, primary_key=True), _col("group_name", TEXT, False),
        _col("heartbeat", TEXT, False), _col("sent_at", TEXT, False), _col("received_at", TEXT, False),
        _col("received_ts", TIME, False), _col("app_version", TEXT, False), _col("config_version", INT, False),
        _col("first_seen_at", TEXT, False))
    op.create_table(
        "fleet_heartbeats", _col("seq", SEQ, False, primary_key=True, autoincrement=True),
        _col("kiosk_id", TEXT, False), _col("received_at", TEXT, False), _col("heartbeat", TEXT, False))
    op.create_index("fleet_heartbeats_by_kiosk", "fleet_heartbeats", ["kiosk_id", "seq"])
    op.create_table(
        "fleet_reports", _col("seq", SEQ, False, primary_key=True, autoincrement=True), _col("kiosk_id", TEXT, False),
        _col("version", INT), _col("outcome", TEXT, False), _col("reason", TEXT, False), _col("message", TEXT, False),
        _col("group_name", TEXT, False), _col("at", TEXT, False))
    op.create_index("fleet_reports_by_kiosk", "fleet_reports", ["kiosk_id", "seq"])
    op.create_table(
        "fleet_bundles", _col("version", INT, False, primary_key=True, autoincrement=False),
        _col("digest", TEXT, False), _col("key_id", TEXT), _col("groups", TEXT, False), _col("files", TEXT, False),
        _col("expires_at", TEXT, False), _col("bundle", sa.LargeBinary, False), _col("published_to", TEXT, False),
        _col("stage", TEXT, False), _col("published_at", TEXT, False), _col("promoted_at", TEXT))
    op.create_table("fleet_settings", _col("name", TEXT, False, primary_key=True), _col("value", TEXT, False))
    op.create_table(
        "fleet_admin_tokens", _col("token_hash", TEXT, False, primary_key=True), _col("label", TEXT, False),
        _col("created_at", TEXT, False))
    op.create_table(
        "fleet_sessions", _col("id_hash", TEXT, False, primary_key=True), _col("csrf", TEXT, False),
        _col("created_ts", TIME, False), _col("seen_ts", TIME, False))
    op.create_table(
        "fleet_login_failures", _col("source", TEXT, False, primary_key=True), _col("failures", INT, False),
        _col("locked_until", TIME, False))


def downgrade() -> None:
    for table in ("fleet_login_failures", "fleet_sessions", "fleet_admin_tokens", "fleet_settings", "fleet_bundles",
                  "fleet_reports", "fleet_heartbeats", "fleet_kiosks", "idempotency", "outbox_entries", "mailings",
                  "feedback", "orders", "notices", "counters", "documents", "tickets", "appointments", "citizens",
                  "kiosks"):
        op.drop_table(table)

"""Alembic revisions of the gateway's schema, oldest first (``0001`` is the hall gateway's schema 3)."""

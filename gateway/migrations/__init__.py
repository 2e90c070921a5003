"""The gateway's Alembic migrations: ``env.py`` and one module per revision in ``versions/``.

They ship inside the ``gateway`` package, so an installed gateway upgrades its own database when it
starts (:mod:`gateway.migrate`). A new revision: add ``versions/NNNN_what.py`` with ``down_revision``
set to the previous head; write it for both engines (SQLite and PostgreSQL).
"""

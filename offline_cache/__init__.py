"""The kiosk's offline store (plain Python, no Qt, no kiosk imports).

- ``store``: the one SQLite database per kiosk, WAL, schema versioned and migrated on start.
- ``content``: public content with ETag and age, browsable while offline.
- ``responses``: gateway answers cached by per-endpoint policy; personal data only sealed.
- ``outbox`` and ``sync``: the durable outbox and the thread that drains it to the gateway.
- ``sealing``, ``errors``, ``alerts``: encryption at rest, error types, technician alerts.

Nothing is imported here, so ``import offline_cache`` stays cheap on the GUI thread.
"""

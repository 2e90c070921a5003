"""The hall gateway reference server: the contract in contract/, served from its own SQLite database.

Import ``gateway.app`` only in the gateway process: it pulls in FastAPI. The kiosk reaches the
gateway over HTTP, and starts one beside itself through ``gateway.embedded`` (a child process).
"""

__version__ = "0.1.0"

"""The hall gateway's HTTP contract: pydantic models shared by the gateway and the kiosk client.

Plain pydantic only (no FastAPI), so the kiosk can import it cheaply. Responses tolerate fields
they do not know (a newer gateway may add some); requests forbid them (a typo is an error).
"""

API_PREFIX = "/api/v1"
KIOSK_ID_HEADER = "X-Kiosk-Id"
IDEMPOTENCY_HEADER = "Idempotency-Key"

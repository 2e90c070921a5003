"""The hall gateway's HTTP contract: pydantic models shared by the gateway and the kiosk client.

Plain pydantic only (no FastAPI), so the kiosk can import it cheaply. Responses tolerate fields
they do not know (a newer gateway may add some); requests forbid them (a typo is an error).

Beside the models live the rules both sides (and the devices below the kiosk) must apply alike,
each in one place: what a valid ID number is (:mod:`contract.identity`), how personal data is
masked (:mod:`contract.masking`), how long to wait after failures (:mod:`contract.backoff`) and
the salted scrypt hash form (:mod:`contract.scrypt_hash`).
"""

API_PREFIX = "/api/v1"
KIOSK_ID_HEADER = "X-Kiosk-Id"
IDEMPOTENCY_HEADER = "Idempotency-Key"

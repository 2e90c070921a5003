"""Outbox entries the kiosk could not send at the time, replayed later and deduplicated on their key.

Every kind has a schema: ``feedback`` and ``mailing`` are the direct requests, ``payment-reconciliation``
is :class:`ReconciliationPayload`, ``telemetry`` is a heartbeat (:class:`contract.fleet.Heartbeat`)
or a :class:`TelemetrySample`, and ``event`` is an :class:`EventPayload`: a name from a known set
with a few flat attributes. Whatever the kind, a payload nests at most ``MAX_PAYLOAD_DEPTH`` levels.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, RootModel, StringConstraints, field_validator

from contract.base import Request, Response

OutboxKind = Literal["feedback", "mailing", "payment-reconciliation", "telemetry", "event"]
OUTBOX_KINDS: tuple[str, ...] = ("feedback", "mailing", "payment-reconciliation", "telemetry", "event")
MAX_PAYLOAD_DEPTH = 6
"""Objects and lists inside objects and lists: a heartbeat needs 4 (devices → reader → statistics → value)."""


def depth_of(value: Any) -> int:
    """How deeply ``value`` nests (a scalar is 0, ``{}`` is 1); stops counting past the limit."""
    level, frontier = 0, [value]
    while frontier:
        containers = [item for item in frontier if isinstance(item, dict | list)]
        if not containers:
            return level
        level += 1
        if level > MAX_PAYLOAD_DEPTH:
            return level
        frontier = [child for item in containers for child in (item.values() if isinstance(item, dict) else item)]
    return level


class OutboxEntry(Request):
    """Body of ``POST /outbox/{kind}``; the idempotency key travels in the header."""

    payload: dict[str, Any] = Field(description=f"the entry, as the kind's schema says (at most {MAX_PAYLOAD_DEPTH} "
                                                "levels deep)")
    created_at: str | None = Field(None, max_length=40, description="when the kiosk first recorded the entry")

    @field_validator("payload")
    @classmethod
    def _not_too_deep(cls, payload: dict[str, Any]) -> dict[str, Any]:
        if depth_of(payload) > MAX_PAYLOAD_DEPTH:
            raise ValueError(f"the payload nests more than {MAX_PAYLOAD_DEPTH} levels deep")
        return payload


class ReconciliationPayload(Request):
    order_id: str = Field(min_length=1, max_length=64)
    kiosk_status: str = Field(max_length=32, description="what the kiosk last knew: open, paid, closed, unknown")
    note: str = Field("", max_length=200)


EventName = Literal[
    "paper_low", "paper_out", "printer_paper_low", "printer_error", "cover_open", "door_open", "door_closed",
    "reader_error", "scanner_error", "device_recovered", "power_lost", "power_restored", "network_lost",
    "network_restored", "tamper_alarm", "maintenance_started", "maintenance_ended", "staff_called",
]
AttributeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
AttributeValue = Annotated[str, StringConstraints(max_length=100)] | int | float | bool | None


class EventPayload(Request):
    """A ``event`` entry: something that happened to the kiosk, for the technicians (never personal data)."""

    event: EventName
    level: Literal["info", "warning", "error"] = "info"
    attributes: dict[AttributeName, AttributeValue] = Field(default_factory=dict, max_length=16,
                                                            description="flat: names to short scalars")


class TelemetrySample(RootModel[dict[AttributeName, float]]):
    """A ``telemetry`` entry that is not a heartbeat: a few named measurements (``{"cpu": 3}``)."""

    root: dict[AttributeName, float] = Field(max_length=32)


class OutboxAck(Response):
    kind: str
    key: str
    duplicate: bool = Field(description="True when this key was seen before; the stored result is returned")
    result: dict[str, Any] | None = None

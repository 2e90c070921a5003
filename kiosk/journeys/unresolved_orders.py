"""The kiosk's own record of payment orders it started and has not seen settled, one per notice.

Money must survive a restart: before the first attempt to open an order the kiosk writes the
notice number and the idempotency key here; once the gateway answers it adds the order id; when
the order is known to be paid or closed the record goes. While a record exists, the payment
journey opens no second order for that notice: it settles the old one first (ask the gateway,
close it) or, when it cannot, refuses and leaves the order to reconciliation through the outbox.

The record is a small JSON file in the kiosk's state directory (the offline store has no table
for it), replaced atomically (``kiosk.system.durable_files``), so a power cut leaves either the old or
the new file, never half of one. It holds notice numbers, order ids
and keys: nothing that names a citizen.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from kiosk.system.durable_files import thread_lock, write_atomically

log = logging.getLogger("kiosk.journeys")

FILENAME = "unresolved-payment-orders.json"
RecordState = Literal["creating", "open", "reconciling"]



class LedgerDamaged(RuntimeError):
    """The record file cannot be read; payments stop rather than risk a second order."""


@dataclass(frozen=True)
class UnresolvedOrder:
    """One order the kiosk started for ``notice``. ``order_id`` is empty until the gateway answered."""

    notice: str
    key: str
    state: RecordState = "creating"
    order_id: str = ""
    created_at: str = ""
    expires_at: str = ""


class UnresolvedOrders:
    """The record file at ``path``; every method reads or rewrites it under a lock (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = thread_lock(self.path)

    @classmethod
    def in_state_dir(cls, state_dir: Path) -> UnresolvedOrders:
        return cls(Path(state_dir) / "payments" / FILENAME)

    # -- reading --------------------------------------------------------------------------------
    def get(self, notice: str) -> UnresolvedOrder | None:
        with self._lock:
            return self._read().get(notice)

    def all(self) -> list[UnresolvedOrder]:
        with self._lock:
            return list(self._read().values())

    # -- writing --------------------------------------------------------------------------------
    def begin(self, notice: str, created_at: str) -> UnresolvedOrder:
        """The record for a new order, written before the first attempt; an unanswered one is reused.

        Returns the existing record when one has no order id yet (a retry must send the same key);
        raises ``ValueError`` when the notice already has an order on record.
        """
        with self._lock:
            records = self._read()
            existing = records.get(notice)
            if existing is not None:
                if existing.order_id:
                    raise ValueError("this notice already has an unresolved order on record")
                return existing
            record = UnresolvedOrder(notice, f"pay-{uuid.uuid4().hex}", "creating", created_at=created_at)
            records[notice] = record
            self._write(records)
            return record

    def opened(self, notice: str, order_id: str, expires_at: str = "") -> UnresolvedOrder:
        return self._change(notice, state="open", order_id=order_id, expires_at=expires_at)

    def reconciling(self, notice: str) -> UnresolvedOrder:
        """The outcome is unknown and the outbox carries the order to the gateway's reconciliation."""
        return self._change(notice, state="reconciling")

    def resolve(self, notice: str) -> None:
        """The order is known to be paid or closed: the notice is free again."""
        with self._lock:
            records = self._read()
            if records.pop(notice, None) is not None:
                self._write(records)

    def _change(self, notice: str, **changes: Any) -> UnresolvedOrder:
        with self._lock:
            records = self._read()
            if notice not in records:
                raise KeyError("no unresolved order on record for this notice")
            record = replace(records[notice], **changes)
            records[notice] = record
            self._write(records)
            return record

    # -- the file -----------------------------------------------------------------------------------
    def _read(self) -> dict[str, UnresolvedOrder]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise LedgerDamaged(f"cannot read {self.path.name}: {exc.strerror}") from None
        try:
            rows = json.loads(text)["orders"]
            return {row["notice"]: UnresolvedOrder(**row) for row in rows}
        except (ValueError, KeyError, TypeError) as exc:
            log.error("the unresolved payment orders file is damaged; payments stop until a technician looks",
                      extra={"event": "payment_ledger_damaged"})
            raise LedgerDamaged(f"{self.path.name} is damaged: {type(exc).__name__}") from None

    def _write(self, records: dict[str, UnresolvedOrder]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"version": 1, "orders": [asdict(r) for r in records.values()]}
        write_atomically(self.path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))

"""Receipts the kiosk owes: a payment it saw confirmed whose receipt was neither printed nor shown.

A kiosk killed (or switched off) between "paid" and the printed receipt would otherwise know the
notice is paid yet give the citizen nothing to show for it. So the moment a payment is known to be
paid, the order goes in ``payments/receipts-owed.json`` (replaced atomically, like the unresolved
orders beside it); it leaves once the receipt is printed or shown as an e-receipt QR code. When the
citizen comes back with the notice, the payment journey sees the receipt is owed and prints it
(or shows the e-receipt) instead of only saying "already paid".

The file holds what the receipt needs (notice number, item, amount, time, transaction reference,
e-receipt address): nothing that names the citizen.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from contract.payments import Order
from kiosk.system.durable_files import thread_lock, write_atomically

log = logging.getLogger("kiosk.journeys")

FILENAME = "receipts-owed.json"


class OwedReceipts:
    """The owed receipts file at ``path``; thread-safe. A damaged file is logged and read as empty."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = thread_lock(self.path)

    @classmethod
    def in_state_dir(cls, state_dir: Path) -> OwedReceipts:
        return cls(Path(state_dir) / "payments" / FILENAME)

    def owe(self, order: Order, since: str) -> None:
        """The payment of ``order`` is confirmed: its receipt is owed until :meth:`settle`."""
        with self._lock:
            owed = self._read()
            if order.notice_number in owed:
                return
            owed[order.notice_number] = {"order": order.model_dump(mode="json"), "since": since}
            self._write(owed)
        log.info("receipt owed for a paid notice until it is printed or shown", extra={"event": "receipt_owed"})

    def get(self, notice: str) -> Order | None:
        """The paid order whose receipt is owed for ``notice``, if any."""
        with self._lock:
            item = self._read().get(notice)
        if item is None:
            return None
        try:
            return Order.model_validate(item["order"])
        except (ValueError, KeyError, TypeError):
            log.error("an owed receipt record is damaged; it cannot be reprinted", extra={"event": "receipt_owed"})
            return None

    def notices(self) -> list[str]:
        with self._lock:
            return sorted(self._read())

    def settle(self, notice: str) -> None:
        """The receipt for ``notice`` was printed or shown."""
        with self._lock:
            owed = self._read()
            if owed.pop(notice, None) is not None:
                self._write(owed)

    def _read(self) -> dict[str, Any]:
        try:
            body = json.loads(self.path.read_text(encoding="utf-8"))
            owed = body["receipts"]
            return owed if isinstance(owed, dict) else {}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.error("the owed receipts file is unreadable (%s); treating it as empty", type(exc).__name__,
                      extra={"event": "receipt_owed"})
            return {}

    def _write(self, owed: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"version": 1, "receipts": owed}
        write_atomically(self.path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))

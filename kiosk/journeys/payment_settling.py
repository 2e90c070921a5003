"""Settling payment orders on a worker thread: close and ask, hand to reconciliation, and the gateway calls.

The part of :class:`~kiosk.journeys.payment.FeePaymentJourney` that runs off the GUI thread and
changes no journey state: it settles an order of ours (closing it and asking once more), records
a receipt as owed when an order turns out paid, and hands an order whose outcome stays unknown to
the outbox for the gateway's reconciliation.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from contract.payments import Notice, Order
from kiosk.journeys.base import error_code
from kiosk.journeys.owed_receipts import OwedReceipts
from kiosk.journeys.unresolved_orders import UnresolvedOrder, UnresolvedOrders

if TYPE_CHECKING:
    from kiosk.journeys.ports import PaymentGateway

log = logging.getLogger("kiosk.journeys")

Answer = TypeVar("Answer", bound=BaseModel)

RECONCILIATION_KIND = "payment-reconciliation"  # contract.outbox.OutboxKind


def refused(error: BaseException) -> bool:
    """True when the gateway answered and said no on purpose (4xx): trying again will not change it."""
    status = getattr(error, "status", None)
    if not error_code(error):
        return False
    if isinstance(status, int):
        return 400 <= status < 500 and status not in (401, 403, 408, 429)
    return getattr(error, "permanent", False) is True


class OrderSettling:
    """Mixed into the payment journey: ``env``, ``orders`` and ``owed`` come from it."""

    env: Any
    orders: UnresolvedOrders
    owed: OwedReceipts

    def _settle_order(self, number: str, order_id: str, key: str, kiosk_status: str) -> tuple[str, Order | None, bool]:
        """Close the order and ask once more; on an unknown outcome hand it to reconciliation.

        Returns (``paid`` | ``closed`` | ``unknown``, the order if known, whether the outbox has it).
        """
        outcome, order = self._close_and_ask(order_id)
        if outcome == "paid" and order is not None:
            self.owed.owe(order, self._now_iso())  # before the record goes: the receipt is owed until given
        if outcome in ("paid", "closed"):
            self.orders.resolve(number)
            return outcome, order, False
        return outcome, order, self._hand_to_reconciliation(number, order_id, key, kiosk_status)

    def _close_and_ask(self, order_id: str) -> tuple[str, Order | None]:
        try:
            self._gateway_close(order_id)
        except Exception as error:
            if error_code(error) == "order_not_found":
                return "closed", None  # the gateway never had it: nothing can be paid
            # order_paid: paid after all (asked below); anything else: unanswered, ask below.
        try:
            order = self._gateway_order(order_id)
        except Exception as error:
            log.warning("order status unknown after closing: %s", error_code(error) or type(error).__name__,
                        extra={"event": "payment_outcome_unknown"})
            return "unknown", None
        if order.status == "paid":
            return "paid", order
        if order.status in ("closed", "expired"):
            return "closed", order
        return "unknown", order

    def _settle_record(self, record: UnresolvedOrder) -> str:
        """(worker) Settle one of our earlier orders for a notice: ``paid``, ``closed`` or ``unknown``."""
        order_id = record.order_id
        if not order_id:
            # The answer to the first attempt was lost: the same key returns the order it made, if any.
            try:
                order_id = self._gateway_create(record.notice, record.key).order_id
            except Exception as error:
                if refused(error):
                    self.orders.resolve(record.notice)
                    return "closed"
                return "unknown"
        outcome, _order, _handed = self._settle_order(record.notice, order_id, record.key,
                                                      "unknown" if record.state == "reconciling" else "open")
        return outcome

    def _hand_to_reconciliation(self, number: str, order_id: str, key: str, kiosk_status: str) -> bool:
        """Append the reconciliation entry (keyed by the order's own key) and mark the record; True if done."""
        outbox = self.env.outbox
        if outbox is None:
            log.error("no outbox: an unsettled payment order stays on record for the next lookup",
                      extra={"event": "payment_reconciliation_pending"})
            return False
        payload = {"order_id": order_id, "kiosk_status": kiosk_status,
                   "note": f"idempotency_key={key}; outcome unknown at the kiosk"}
        try:
            outbox.append(_outbox_kind(), payload, idempotency_key=key)
        except Exception:
            log.exception("could not hand an unsettled payment order to the outbox",
                          extra={"event": "payment_reconciliation_pending"})
            return False
        try:
            self.orders.reconciling(number)
        except KeyError:
            pass  # settled by another path meanwhile
        log.info("payment order handed to reconciliation", extra={"event": "payment_reconciliation"})
        return True

    def _hand_over_leftovers(self) -> None:
        """Orders left open by a restart or an abandoned journey go to reconciliation (in the background)."""

        def hand_over() -> int:
            count = 0
            for record in self.orders.all():
                if record.state == "open" and record.order_id:
                    count += self._hand_to_reconciliation(record.notice, record.order_id, record.key, "open")
            return count

        def report(count: int) -> None:
            if count:
                log.info("%d payment order(s) from before handed to reconciliation", count,
                         extra={"event": "payment_reconciliation"})

        self.env.calls.submit(hand_over, report, lambda error: log.error("payment order hand-over failed: %r", error))

    # -- the gateway ------------------------------------------------------------------------------------
    def _gateway(self) -> PaymentGateway:
        return self.env.gateway  # there is one: the journey is offered only while it can be reached

    def _gateway_notice(self, number: str) -> Notice:
        return _model(Notice, self._gateway().notice(number))

    def _gateway_create(self, number: str, key: str) -> Order:
        return _model(Order, self._gateway().create_order(number, key))

    def _gateway_order(self, order_id: str) -> Order:
        return _model(Order, self._gateway().order(order_id))

    def _gateway_close(self, order_id: str) -> Order:
        return _model(Order, self._gateway().close_order(order_id))

    def _now_iso(self) -> str:
        return self.env.clock.now().isoformat(timespec="seconds")


def _model(model: type[Answer], value: Any) -> Answer:
    return value if isinstance(value, model) else model.model_validate(value)


def _outbox_kind() -> str:
    # The contract spells the kind with a hyphen; the kiosk's outbox only stores [a-z0-9_] kinds,
    # so it is stored with "_" and the gateway client puts the hyphen back when it replays it.
    from offline_cache.outbox import KIND_PATTERN

    return RECONCILIATION_KIND if KIND_PATTERN.match(RECONCILIATION_KIND) else RECONCILIATION_KIND.replace("-", "_")



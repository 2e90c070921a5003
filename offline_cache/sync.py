"""The sync worker: a plain thread that drains the outbox to the gateway whenever it can.

It takes any ``send(kind, idempotency_key, payload)`` callable that returns when the gateway has
accepted the entry and raises when it has not (the gateway client's ``post_outbox_entry``). An
exception with a true ``permanent`` attribute (e.g. the gateway rejected the payload as invalid)
parks the entry at once; any other exception counts as a failed attempt and ends the round, since
the gateway is most likely unreachable and hammering it helps nobody.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from offline_cache.alerts import AlertSink, TechnicianAlert, raise_alert
from offline_cache.errors import StoreError
from offline_cache.outbox import Outbox, OutboxEntry

log = logging.getLogger("sync")

Sender = Callable[[str, str, Mapping[str, Any]], object]


@dataclass
class DrainReport:
    """What one drain round did."""

    acknowledged: int = 0
    failed: int = 0
    parked: int = 0
    interrupted: bool = False  # a failure or stop() ended the round before the queue was empty
    retry_after_s: float = 0.0  # the gateway asked to be left alone this long (503/429 with Retry-After)


class SyncWorker:
    """Drains an :class:`Outbox` through ``send`` on its own thread; ``stop()`` joins it."""

    def __init__(
        self,
        outbox: Outbox,
        send: Sender,
        *,
        reachable: Callable[[], bool] | None = None,
        poll_s: float = 30.0,
        batch: int = 50,
        keep_acknowledged_s: float = 24 * 3600.0,
        on_alert: AlertSink | None = None,
        now: Callable[[], float] = time.time,
        name: str = "outbox-sync",
    ) -> None:
        """``reachable`` (if given) is asked before each round, so an offline kiosk does not burn attempts."""
        self.outbox = outbox
        self._send = send
        self._reachable = reachable
        self._poll_s = poll_s
        self._batch = batch
        self._keep_acknowledged_s = keep_acknowledged_s
        self._on_alert = on_alert
        self._now = now
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.rounds = 0
        self._failed_rounds = 0

    def start(self) -> None:
        """Start the thread (once)."""
        self._thread.start()
        log.info("sync worker started")

    def wake(self) -> None:
        """Drain now: call after an append, or when the gateway becomes reachable again."""
        self._wake.set()

    def stop(self, timeout: float | None = 10.0) -> bool:
        """Ask the thread to finish its current entry and end; join it. True if it has ended. Idempotent."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        stopped = not self._thread.is_alive()
        if not stopped:
            log.warning("sync worker did not stop within %s s (a send is still running)", timeout)
        return stopped

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def drain_once(self) -> DrainReport:
        """Send every due entry until the queue is empty, an attempt fails, or stop() is called."""
        report = DrainReport()
        # The acknowledgement of one entry is committed together with the start of the next attempt:
        # one disk sync per entry, and still each entry is "sent" before its request goes out.
        delivered: str | None = None
        try:
            while not report.interrupted:
                entries = self.outbox.due(self._batch)
                if not entries:
                    break
                for entry in entries:
                    if self._stopping.is_set():
                        report.interrupted = True
                        break
                    self.outbox.record_progress(acknowledged=delivered, sending=entry.idempotency_key)
                    delivered = None
                    outcome = self._attempt(entry, report)
                    if outcome == "delivered":
                        delivered = entry.idempotency_key
                    elif outcome == "failed":
                        report.interrupted = True
                        break
        finally:
            if delivered is not None:
                self.outbox.acknowledge(delivered)
        if report.acknowledged:
            self.outbox.purge_acknowledged(self._keep_acknowledged_s)
        return report

    def _attempt(self, entry: OutboxEntry, report: DrainReport) -> str:
        """Send one entry already marked sent: "delivered", "refused" (parked, go on) or "failed" (end the round)."""
        try:
            self._send(entry.kind, entry.idempotency_key, entry.payload)
        except Exception as exc:
            permanent = bool(getattr(exc, "permanent", False))
            retry_after = _retry_after_s(exc)
            report.retry_after_s = max(report.retry_after_s, retry_after)
            failed = self.outbox.record_failure(
                entry.idempotency_key, f"{type(exc).__name__}: {exc}", permanent=permanent, not_before_s=retry_after
            )
            if failed.state == "parked":
                report.parked += 1
            else:
                report.failed += 1
            # A permanent refusal concerns this entry only; any other failure most likely means the
            # gateway is unreachable, so the round ends.
            return "refused" if permanent else "failed"
        report.acknowledged += 1
        return "delivered"

    def _wait_s(self) -> float:
        due = self.outbox.next_due_at()
        if due is None:
            return self._poll_s
        return min(self._poll_s, max(0.0, due - self._now()))

    def _run(self) -> None:
        while not self._stopping.is_set():
            wait = self._poll_s
            try:
                if self._reachable is None or self._reachable():
                    report = self.drain_once()
                    self.rounds += 1
                    if report.acknowledged or report.failed or report.parked:
                        log.info("sync round: %d acknowledged, %d failed, %d parked",
                                 report.acknowledged, report.failed, report.parked)
                    wait = self._wait_s()
                    if report.failed and not report.acknowledged:
                        # The gateway is failing: back off as a whole, not only the one entry that failed,
                        # or the entries behind it would be tried at once.
                        self._failed_rounds += 1
                        wait = max(wait, self.outbox.backoff.delay(self._failed_rounds))
                    else:
                        self._failed_rounds = 0
                    wait = max(wait, report.retry_after_s)  # an overloaded gateway said when to come back
            except StoreError as exc:
                raise_alert(self._on_alert, TechnicianAlert(
                    "sync_store_error", "the sync worker cannot use the kiosk database", {"error": str(exc)},
                ), log)
            except Exception:
                log.exception("sync round failed; will try again")
            # A short floor keeps a zero wait (entries due now, gateway failing) from spinning.
            self._wake.wait(max(wait, 0.05))
            self._wake.clear()
        log.info("sync worker stopped")


MAX_RETRY_AFTER_S = 3600.0


def _retry_after_s(exc: BaseException) -> float:
    """How long the gateway asked to wait (an error's ``retry_after_s``, from Retry-After), bounded to an hour."""
    value = getattr(exc, "retry_after_s", None)
    try:
        seconds = float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S) if seconds == seconds else 0.0  # NaN: none

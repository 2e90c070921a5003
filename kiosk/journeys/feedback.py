"""The rating at the end of every journey (好差评): 1–5 stars, optional preset comments, skippable.

Other journeys end with ``nav.go("feedback", service_id=...)``. The rating is recorded in the
outbox (kind ``feedback``) with an idempotency key made at once, so it reaches the gateway even if
the network is down now; without an outbox it is sent straight to the gateway. Either way it is
sent off the GUI thread and the citizen never waits for it: ``thanks`` shows at once.

States: ``rate`` → ``thanks`` (after :meth:`submit`) or ``skipped`` (after :meth:`skip`). A rating of
不满意 or 非常不满意 is sent only with at least one reason (:data:`REASON_CHIPS`).
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from config.catalogue import Service
from contract.citizen import FeedbackRequest
from kiosk.journeys.base import Journey, JourneyEnv
from kiosk.shell.i18n import N_

if TYPE_CHECKING:
    from kiosk.journeys.ports import FeedbackGateway

log = logging.getLogger("kiosk.journeys")

# Preset comments (no typing on a kiosk): the Chinese text is what the gateway stores.
COMMENT_CHIPS: tuple[str, ...] = (
    N_("办理快"), N_("指引清楚"), N_("操作简单"), N_("服务态度好"),
    N_("等待太久"), N_("操作复杂"), N_("看不清楚"), N_("设备有故障"),
)
REASON_CHIPS: tuple[str, ...] = (N_("等待太久"), N_("操作复杂"), N_("看不清楚"), N_("设备有故障"))
"""What went wrong: a rating of 不满意 or 非常不满意 names at least one, so the hall can act on it."""
NEEDS_REASON_BELOW = 3  # 1 and 2 stars
GENERAL_SERVICE_ID = "hall-complaint"
"""A rating given without a service (rare) is filed under the hall's suggestions service."""


class FeedbackJourney(Journey):
    """Rate the service just used. ``rating`` 1–5, ``comments`` a subset of :data:`COMMENT_CHIPS`."""

    name = "feedback"

    def __init__(self, env: JourneyEnv, service: Service | None = None) -> None:
        super().__init__(env, service)
        self.rating: int | None = None
        self.comments: list[str] = []
        self.idempotency_key: str | None = None
        self.delivery = ""  # "outbox", "gateway" or "" (not sent) — for tests and diagnostics

    @property
    def chips(self) -> tuple[str, ...]:
        return COMMENT_CHIPS

    @property
    def needs_reason(self) -> bool:
        """True while a low rating names no reason yet: it cannot be sent like that."""
        return (self.rating is not None and self.rating < NEEDS_REASON_BELOW
                and not any(c in REASON_CHIPS for c in self.comments))

    @property
    def reason_chips(self) -> tuple[str, ...]:
        """The chips to offer now: only what went wrong after a low rating, else all of them."""
        if self.rating is not None and self.rating < NEEDS_REASON_BELOW:
            return REASON_CHIPS
        return COMMENT_CHIPS

    @property
    def service_id(self) -> str:
        return self.service.id if self.service is not None else GENERAL_SERVICE_ID

    def start(self) -> None:
        self.go("rate")

    def rate(self, stars: int) -> None:
        if self.state != "rate":
            return
        if not 1 <= stars <= 5:
            raise ValueError(f"rating: expected 1 to 5 stars, got {stars!r}")
        self.rating = stars
        if stars < NEEDS_REASON_BELOW:  # praise chosen before the rating was lowered does not stand for a reason
            self.comments = [c for c in self.comments if c in REASON_CHIPS]
        self.go("rate")

    def toggle_comment(self, chip: str) -> None:
        if self.state != "rate":
            return
        if chip not in COMMENT_CHIPS:
            raise ValueError(f"comment: expected one of the preset chips, got {chip!r}")
        if chip in self.comments:
            self.comments.remove(chip)
        else:
            self.comments.append(chip)
        self.go("rate")

    def payload(self) -> dict[str, Any]:
        """The FeedbackRequest body (validated against the contract)."""
        comment = "；".join(c for c in COMMENT_CHIPS if c in self.comments)
        return FeedbackRequest(service_id=self.service_id, rating=self.rating or 0, comment=comment).model_dump()

    def submit(self) -> None:
        """Record the rating and thank the citizen at once; delivery happens in the background."""
        if self.state != "rate" or self.rating is None or self.needs_reason:
            return  # the screen asks for a reason; nothing is sent without one
        payload = self.payload()
        self.idempotency_key = self.idempotency_key or uuid.uuid4().hex
        key = self.idempotency_key
        outbox = self.env.outbox
        gateway: FeedbackGateway | None = self.env.gateway
        if outbox is not None:
            self.delivery = "outbox"
            work = lambda: outbox.append("feedback", payload, idempotency_key=key)  # noqa: E731
        elif gateway is not None:
            self.delivery = "gateway"
            work = lambda: gateway.send_feedback(FeedbackRequest(**payload), idempotency_key=key)  # noqa: E731
        else:
            self.delivery = ""
            log.warning("no outbox and no gateway: a rating was not recorded", extra={"journey": self.name})
            self.go("thanks")
            return
        log.info("rating %d recorded via %s", payload["rating"], self.delivery, extra={"journey": self.name})
        self.go("thanks")
        # the citizen has been thanked; whatever happens to the delivery is the technician's business
        self.env.calls.submit(work, lambda result: None, self._not_delivered)

    def _not_delivered(self, error: BaseException) -> None:
        log.warning("rating not delivered (%s)", type(error).__name__, extra={"journey": self.name})

    def skip(self) -> None:
        if self.state == "rate":
            self.go("skipped")

"""The rating at the end of every journey (好差评): 1–5 stars, optional preset comments, skippable.

Other journeys end with ``nav.go("feedback", service_id=...)``. The rating is recorded in the
outbox (kind ``feedback``) with an idempotency key made at once, so it reaches the gateway even if
the network is down now; without an outbox it is sent straight to the gateway. Either way it is
sent off the GUI thread and the citizen never waits for it: ``thanks`` shows at once.

States: ``rate`` → ``thanks`` (after :meth:`submit`) or ``skipped`` (after :meth:`skip`). A rating of
不满意 or 非常不满意 is sent only with at least one reason (:data:`REASON_CHIPS`). From ``rate`` the
citizen who gave a low rating may agree to a follow-up call (``follow_up``: an 11-digit mainland mobile on the keypad),
and goes back to ``rate`` with it kept or dropped. The rating carries the record number the
session's service produced (ticket, payment order, lookup document). The phone number is never
logged whole (138****1234).
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import TYPE_CHECKING, Any

from config.catalogue import Service
from contract.citizen import MOBILE_PATTERN, FeedbackRequest
from contract.masking import mask_phone
from kiosk.journeys.base import Journey, JourneyEnv, Problem
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
OPTIONAL = ("record_number", "follow_up_phone", "follow_up_consent")
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
        record = getattr(env.session, "record_number", "") or ""
        self.record_number = record if re.fullmatch(r"[A-Za-z0-9-]{1,64}", record) else ""
        self.follow_up_phone = ""  # set only when the citizen agreed to a follow-up call and typed a valid mobile

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
        else:  # the follow-up call is about what went wrong; a good rating has none
            self.follow_up_phone = ""
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

    # -- a follow-up call, with consent -------------------------------------------------------------
    @property
    def can_follow_up(self) -> bool:
        """A low rating may ask for a follow-up call about what went wrong."""
        return self.rating is not None and self.rating < NEEDS_REASON_BELOW

    def ask_follow_up(self) -> None:
        """The citizen ticked "call me back": the page that says what for and takes the number."""
        if self.state == "rate" and self.can_follow_up:
            self.problem = None
            self.go("follow_up")

    def save_phone(self, typed: str) -> None:
        """Keep the number typed on the keypad if it is an 11-digit mainland mobile, then back to the rating."""
        if self.state != "follow_up":
            return
        digits = re.sub(r"\D", "", typed or "")
        if not re.fullmatch(MOBILE_PATTERN, digits):
            self.fail(Problem("手机号码不正确。", "That is not a valid mobile number.",
                              "请输入以1开头的11位手机号码。", "Please enter an 11-digit mobile number starting with 1.",
                              code="bad_phone"), "follow_up")
            return
        self.follow_up_phone = digits
        self.problem = None
        self.go("rate")

    def drop_follow_up(self) -> None:
        """No follow-up call after all: the number is forgotten."""
        if self.state in ("rate", "follow_up"):
            self.follow_up_phone = ""
            self.problem = None
            self.go("rate")

    def phone_masked(self) -> str:
        return mask_phone(self.follow_up_phone) if self.follow_up_phone else ""

    def payload(self) -> dict[str, Any]:
        """The FeedbackRequest body (validated against the contract)."""
        comment = "；".join(c for c in COMMENT_CHIPS if c in self.comments)
        phone = self.follow_up_phone or None
        body = FeedbackRequest(service_id=self.service_id, rating=self.rating or 0, comment=comment,
                               record_number=self.record_number, follow_up_phone=phone,
                               follow_up_consent=phone is not None).model_dump()
        # what the citizen did not give is left out, so a gateway that predates these fields takes it too
        return {key: value for key, value in body.items() if key not in OPTIONAL or value}

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
        log.info("rating %d recorded via %s%s", payload["rating"], self.delivery,
                 f", follow-up call to {self.phone_masked()}" if self.follow_up_phone else "",
                 extra={"journey": self.name})
        self.go("thanks")
        # the citizen has been thanked; whatever happens to the delivery is the technician's business
        self.env.calls.submit(work, lambda result: None, self._not_delivered)

    def _not_delivered(self, error: BaseException) -> None:
        log.warning("rating not delivered (%s)", type(error).__name__, extra={"journey": self.name})

    def cancel(self) -> None:
        self.follow_up_phone = ""
        super().cancel()

    def skip(self) -> None:
        if self.state == "rate":
            self.go("skipped")

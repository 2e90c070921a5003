"""What a citizen sends the center from a kiosk: a rating of a service, an EMS mailing request."""

from __future__ import annotations

from pydantic import Field, model_validator

from contract.base import Request, Response, ServiceId

MOBILE_PATTERN = r"^1[3-9]\d{9}$"
"""An 11-digit mainland mobile number."""


class FeedbackRequest(Request):
    service_id: ServiceId
    rating: int = Field(ge=1, le=5, description="1 very dissatisfied … 5 very satisfied (好差评)")
    comment: str = Field("", max_length=500)
    record_number: str = Field("", max_length=64, pattern=r"^[A-Za-z0-9-]*$",
                               description="what the rated service produced: ticket number, payment order or "
                               "lookup document number (empty when it produced none)")
    follow_up_phone: str | None = Field(None, pattern=MOBILE_PATTERN,
                                        description="mainland mobile for a follow-up call; only with consent")
    follow_up_consent: bool = Field(False, description="the citizen agreed to be called back about this rating")

    @model_validator(mode="after")
    def _phone_needs_consent(self) -> FeedbackRequest:
        if self.follow_up_phone is not None and not self.follow_up_consent:
            raise ValueError("follow_up_phone: sent only with follow_up_consent")
        return self


class FeedbackReceipt(Response):
    feedback_id: str
    received_at: str


class MailingRequest(Request):
    document_number: str = Field(min_length=4, max_length=64, description="the result or licence to mail")
    recipient_name: str = Field(min_length=1, max_length=40)
    phone: str = Field(pattern=MOBILE_PATTERN)
    address: str = Field(min_length=6, max_length=200)
    postcode: str | None = Field(None, pattern=r"^\d{6}$")


class MailingReceipt(Response):
    mailing_id: str
    received_at: str
    expected_dispatch_zh: str
    expected_dispatch_en: str

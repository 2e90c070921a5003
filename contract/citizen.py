"""What a citizen sends the center from a kiosk: a rating of a service, an EMS mailing request."""

from __future__ import annotations

from pydantic import Field

from contract.base import Request, Response, ServiceId


class FeedbackRequest(Request):
    service_id: ServiceId
    rating: int = Field(ge=1, le=5, description="1 very dissatisfied … 5 very satisfied (好差评)")
    comment: str = Field("", max_length=500)


class FeedbackReceipt(Response):
    feedback_id: str
    received_at: str


class MailingRequest(Request):
    document_number: str = Field(min_length=4, max_length=64, description="the result or licence to mail")
    recipient_name: str = Field(min_length=1, max_length=40)
    phone: str = Field(pattern=r"^1[3-9]\d{9}$")
    address: str = Field(min_length=6, max_length=200)
    postcode: str | None = Field(None, pattern=r"^\d{6}$")


class MailingReceipt(Response):
    mailing_id: str
    received_at: str
    expected_dispatch_zh: str
    expected_dispatch_en: str

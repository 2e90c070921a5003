"""Enrolment: an admin names kiosks (id, hall, roll-out group) and gets each one's secret token, once.

The same rows come from a CSV file (``kiosk-gateway admin enrol --csv FILE``, columns
``kiosk_id,hall,group``) or from the admin API (``POST /fleet/enrolments``). A kiosk's token can be
rotated (the old one stops working) and a kiosk disabled or enabled again.
"""

from __future__ import annotations

from pydantic import Field

from contract.base import Request, Response

KIOSK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"
HALL_PATTERN = r"^[^\x00-\x1f\x7f,\"]{1,64}$"
GROUP_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"
MAX_ENROLMENT = 20_000
"""Most kiosks one enrolment may name (a province's whole fleet at once)."""


class EnrolKiosk(Request):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="the kiosk's fleet id, e.g. XM-HALL-001")
    hall: str = Field(pattern=HALL_PATTERN, description="the hall it stands in, e.g. 厦门市行政服务中心")
    group: str = Field(pattern=GROUP_PATTERN, description="its roll-out group, e.g. canary")


class EnrolRequest(Request):
    kiosks: list[EnrolKiosk] = Field(min_length=1, max_length=MAX_ENROLMENT)


class KioskToken(Response):
    kiosk_id: str
    token: str = Field(description="the kiosk's secret: shown only now, kept by the gateway only as a hash")


class EnrolAnswer(Response):
    kiosks: list[KioskToken]


class KioskAccess(Response):
    kiosk_id: str
    enabled: bool

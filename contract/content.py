"""Public content the kiosk caches: catalogue, service guides, announcements, opening hours.

Every document carries a ``version``; the HTTP layer also sends it as an ETag so a kiosk asks
with If-None-Match and gets 304 when nothing changed.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from contract.base import Response


class CatalogueService(Response):
    id: str
    name_zh: str
    name_en: str
    department: str = ""
    journey: str
    hours: str = Field(description="hall | 24h")
    id_card_required: bool = False
    window_zh: str = ""
    window_en: str = ""
    queue_prefix: str | None = None


class CatalogueDepartment(Response):
    id: str
    name_zh: str
    name_en: str
    services: list[CatalogueService]


class CatalogueDocument(Response):
    version: str
    departments: list[CatalogueDepartment]


class GuideMaterial(Response):
    name_zh: str
    name_en: str
    copies: str = Field("1", description="how many: 原件1份, 复印件2份 … as free text")
    note_zh: str = ""
    note_en: str = ""


class GuideStep(Response):
    zh: str
    en: str


class Guide(Response):
    service_id: str
    name_zh: str
    name_en: str
    department_zh: str = ""
    department_en: str = ""
    summary_zh: str = ""
    summary_en: str = ""
    materials: list[GuideMaterial] = []
    steps: list[GuideStep] = []
    fee_zh: str = "免费"
    fee_en: str = "Free of charge"
    time_limit_zh: str = Field("", description="statutory/promised processing time (办结时限)")
    time_limit_en: str = ""
    where_zh: str = ""
    where_en: str = ""
    online_url: str | None = None
    version: str = ""


class GuideCollection(Response):
    version: str
    guides: list[Guide]


class Announcement(Response):
    id: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    published: str = Field(description="ISO date")
    expires: str | None = None
    important: bool = False


class AnnouncementList(Response):
    version: str
    items: list[Announcement]


class HoursDocument(Response):
    """The opening-hours calendar as configuration defines it (weekly hours, holidays, 调休 days)."""

    version: str
    calendar: dict[str, Any]

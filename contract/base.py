"""Base classes and small shared types of the contract."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Request(BaseModel):
    """A body the kiosk sends: unknown fields are refused so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    """A body the gateway returns: unknown fields are ignored so an older kiosk keeps working."""

    model_config = ConfigDict(extra="ignore")


IdNumber = Annotated[
    str,
    Field(
        pattern=r"^(?:[0-9]{17}[0-9X]|[A-Z]{3}[0-9]{12})$",
        description="18-character resident/permit number (ASCII digits, the last may be a capital X) or "
        "a 15-character 2017 foreigner permanent residence number (three letters, twelve digits)",
    ),
]
CardType = Annotated[
    str,
    Field(
        pattern=r"^(resident|J|I|Y)$",
        description="resident: 居民身份证; J: HK/Macao/Taiwan residence permit; I: foreigner PR card (2017); "
        "Y: foreigner PR card (2023)",
    ),
]
ServiceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")]


class ErrorBody(Response):
    """Every 4xx/5xx answer: a stable machine code, a technician's message, optional detail."""

    code: str = Field(description="stable machine-readable reason, e.g. notice_not_found")
    message: str = Field(description="what went wrong, for a technician (English, never personal data)")
    detail: Any = None


class Health(Response):
    status: str = "ok"
    version: str
    time: str = Field(description="gateway clock, ISO 8601 with offset")
    database: str = "ok"

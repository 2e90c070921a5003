"""A lookup result taken to the citizen's phone: a short-lived link that opens once.

The kiosk sends the result exactly as its screen shows it (masked, in the citizen's language); the
gateway masks the holder's name and ID number again with :mod:`contract.masking`, keeps only a hash
of the link's secret, and answers with the link for the QR code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from contract.base import Request, Response

LINK_TTL_S = 600
"""How long a result link can be opened (once): ten minutes."""

Text = Annotated[str, Field(max_length=200)]


class ResultFact(Request):
    label: str = Field(max_length=60)
    value: str = Field(max_length=200)
    warn: bool = Field(False, strict=True)


class ResultSection(Request):
    heading: str = Field(max_length=60)
    facts: list[ResultFact] = Field(default_factory=list, max_length=60)
    columns: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=8)
    cells: list[list[Text]] = Field(default_factory=list, max_length=240)


class ResultLinkRequest(Request):
    session_id: str = Field(pattern=r"^[A-Za-z0-9_-]{6,64}$", description="the kiosk's citizen session")
    language: Literal["zh", "en"] = "zh"
    title: str = Field(min_length=1, max_length=60)
    holder: str = Field("", max_length=60, description="masked name, as on the kiosk's screen")
    id_number: str = Field("", max_length=24, description="masked ID number, as on the kiosk's screen")
    document_number: str = Field("", max_length=64)
    sections: list[ResultSection] = Field(min_length=1, max_length=24)


class ResultLink(Response):
    url: str = Field(description="the one-time page for the QR code")
    expires_at: str = Field(description="ISO 8601 with offset; after it, or after one opening, the page is gone")
    ttl_s: int

"""Official documents on A4: what the kiosk asks the gateway for; the answer is the signed PDF itself.

The answer's headers say what the kiosk shows and counts: ``X-Document-Number``,
``X-Verification-Code`` and ``X-Page-Count`` ("打印中 第 1/2 页").
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contract.lookups import LookupRequest

DocumentKindName = Literal["social_security", "property", "population"]
PDF_MEDIA_TYPE = "application/pdf"
NUMBER_HEADER, CODE_HEADER, PAGES_HEADER = "X-Document-Number", "X-Verification-Code", "X-Page-Count"


class DocumentRequest(LookupRequest):
    document_number: str | None = Field(
        default=None, pattern=r"^XMZW-[A-Z]{2,3}-\d{8}-\d{6}$",
        description="the number the kiosk's lookup was given, so the certificate carries the same one",
    )

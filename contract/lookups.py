"""Personal lookups for the citizen whose ID card was read at this kiosk.

Each answer says ``found``, ``no_record`` or ``not_applicable`` (e.g. a card type that has no
household registration) with a message in both languages. A found answer carries a printable
document with a number and a verification URL.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from contract.base import CardType, IdNumber, Request, Response

LookupStatus = Literal["found", "no_record", "not_applicable"]


class LookupRequest(Request):
    id_number: IdNumber
    card_type: CardType = "resident"


class PrintableDocument(Response):
    number: str = Field(description="document number printed on the result, e.g. XMZW-SS-20261125-000001")
    verify_url: str = Field(description="page confirming the printed result is genuine")
    issued_at: str


class Contribution(Response):
    month: str = Field(description="YYYY-MM")
    insurances: list[str] = Field(description="pension, medical, unemployment, injury, maternity paid that month")
    base_fen: int = Field(ge=0, description="contribution base in fen (1/100 yuan)")
    personal_fen: int = Field(ge=0)
    employer_fen: int = Field(ge=0)
    employer: str = ""


def months_before(today: date, count: int) -> list[str]:
    """The ``count`` months before ``today``'s, oldest first, as a contribution's ``month`` (YYYY-MM)."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(f"{year:04d}-{month:02d}")
    return list(reversed(months))


class SocialSecurityRecord(Response):
    insured_status_zh: str
    insured_status_en: str
    insured_since: str | None = None
    employer: str = ""
    months_paid: int = 0
    maternity_insured: bool = False
    maternity_note_zh: str = ""
    maternity_note_en: str = ""
    card_status_zh: str = ""
    card_status_en: str = ""
    card_number_masked: str = ""
    pension_monthly_fen: int | None = None
    contributions: list[Contribution] = []


class LookupAnswer(Response):
    """What every lookup answers: the status, a message in both languages, and when found the holder and document."""

    status: LookupStatus
    message_zh: str
    message_en: str
    holder_masked: str = ""
    document: PrintableDocument | None = None


class SocialSecurityAnswer(LookupAnswer):
    record: SocialSecurityRecord | None = None


class PropertyRecord(Response):
    certificate_number: str
    address: str
    floor_area_m2: float = Field(ge=0)
    use_zh: str
    use_en: str
    registered_on: str
    share_zh: str = "单独所有"
    mortgaged: bool = False
    seized: bool = False


class PropertyAnswer(LookupAnswer):
    properties: list[PropertyRecord] = []


class HouseholdRecord(Response):
    household_number: str
    relation_zh: str = Field(description="relation to the head of household: 户主, 配偶, 子 …")
    relation_en: str
    registered_address: str
    police_station: str
    household_type_zh: str = "城镇"
    household_type_en: str = "urban"
    moved_in_on: str | None = None
    ethnicity_zh: str = ""
    marital_status_zh: str = ""
    marital_status_en: str = ""


class PopulationAnswer(LookupAnswer):
    household: HouseholdRecord | None = None

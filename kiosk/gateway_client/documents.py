"""Official documents from the gateway: a lookup's signed certificate (and a service guide) as PDF bytes
with its page count.

``POST /documents/{kind}`` answers the PDF itself; its headers say the document number, the
verification code and the page count ("打印中 第 1/2 页"). The kiosk never opens the PDF: it checks
that the answer is one (media type, ``%PDF-``, a page count it can show) and passes the bytes to the
A4 printer. Each call issues a new document, so the call is made once (a failed one is asked again
only by the citizen's "try again"). A 404 / 409 (nothing to certify) carries the citizen's message
in both languages, which the error keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from contract.documents import CODE_HEADER, NUMBER_HEADER, PAGES_HEADER, PDF_MEDIA_TYPE, DocumentRequest
from kiosk.gateway_client.answers import refusal
from kiosk.gateway_client.errors import GatewayRefused, GatewayServerError
from kiosk.gateway_client.transport import Answer

if TYPE_CHECKING:
    from kiosk.gateway_client.client import GatewayClient

DOCUMENT_KINDS = ("social_security", "property", "population")
MAX_PAGES = 50  # no certificate comes near it; more means the header is wrong
# Rendering and signing take about a second, the process's first one (fonts) a few: more than a lookup.
DOCUMENT_READ_TIMEOUT_S = 30.0
# A 503 with one of these codes is the gateway refusing one service, not the gateway being down.
ONE_SERVICE_CODES = frozenset({"documents_unavailable"})


@dataclass(frozen=True)
class Certificate:
    """A signed certificate as the gateway issued it; ``pdf`` goes to the printer unchanged."""

    pdf: bytes
    pages: int
    number: str
    verification_code: str

    def __repr__(self) -> str:  # the bytes carry personal data: never in a log line
        return f"Certificate({self.number}, {self.pages} pages, {len(self.pdf)} bytes)"


@dataclass(frozen=True)
class GuidePdf:
    """A service guide on A4, as the gateway laid it out."""

    pdf: bytes
    pages: int
    service_id: str

    def __repr__(self) -> str:
        return f"GuidePdf({self.service_id}, {self.pages} pages, {len(self.pdf)} bytes)"


def one_service_down(answer: Answer) -> bool:
    """Whether a 5xx answer is the gateway's own refusal of one service (it is up: no offline state)."""
    try:
        body: Any = answer.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") in ONE_SERVICE_CODES


def fetch_certificate(client: GatewayClient, kind: str, id_number: str, card_type: str = "resident",
                      document_number: str | None = None) -> Certificate:
    """Ask for the certificate of ``kind`` for the card's holder; raises a ``GatewayError`` on any failure."""
    if kind not in DOCUMENT_KINDS:
        raise GatewayRefused("invalid_request", f"unknown document kind {kind!r}", permanent=True)
    try:
        body = DocumentRequest(id_number=id_number, card_type=card_type, document_number=document_number or None)
    except ValidationError as exc:
        where = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise GatewayRefused("invalid_request", f"DocumentRequest not valid: {where}", permanent=True) from None
    answer = client.exchange("POST", f"/documents/{kind}", body=body, read_timeout=DOCUMENT_READ_TIMEOUT_S)
    if answer.status_code >= 400:
        raise _with_citizen_words(refusal(answer))
    return _certificate(answer)


def fetch_guide(client: GatewayClient, service_id: str) -> GuidePdf:
    """A service guide laid out on A4 by the gateway (unsigned: information, not a certificate)."""
    if not service_id or not all(c.isalnum() or c == "-" for c in service_id) or len(service_id) > 41:
        raise GatewayRefused("invalid_request", "service id with characters not allowed in a path", permanent=True)
    answer = client.exchange("GET", f"/documents/guides/{service_id}", read_timeout=DOCUMENT_READ_TIMEOUT_S)
    if answer.status_code >= 400:
        raise refusal(answer)
    return GuidePdf(*_pdf_and_pages(answer), service_id)


def _pdf_and_pages(answer: Answer) -> tuple[bytes, int]:
    media = (answer.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    if answer.status_code != 200 or media != PDF_MEDIA_TYPE or not answer.content.startswith(b"%PDF-"):
        raise GatewayServerError("invalid_response", f"expected a PDF, got HTTP {answer.status_code} {media or '-'}",
                                 status=answer.status_code)
    pages_text = (answer.headers.get(PAGES_HEADER) or "").strip()
    if not pages_text.isdigit() or not 1 <= int(pages_text) <= MAX_PAGES:
        raise GatewayServerError("invalid_response", f"{PAGES_HEADER} {pages_text[:20]!r} is not a page count",
                                 status=answer.status_code)
    return answer.content, int(pages_text)


def _certificate(answer: Answer) -> Certificate:
    pdf, pages = _pdf_and_pages(answer)
    number = (answer.headers.get(NUMBER_HEADER) or "").strip()
    if not number:
        raise GatewayServerError("invalid_response", f"no {NUMBER_HEADER}", status=answer.status_code)
    return Certificate(pdf, pages, number, (answer.headers.get(CODE_HEADER) or "").strip())


def _with_citizen_words(error: Any) -> Any:
    """A refusal whose detail carries the citizen's message (no record …) says that message."""
    detail = getattr(error, "detail", None)
    if isinstance(detail, dict):
        zh, en = detail.get("message_zh"), detail.get("message_en")
        if isinstance(zh, str) and isinstance(en, str) and zh and en:
            error.citizen_zh, error.citizen_en = zh[:200], en[:300]
    return error

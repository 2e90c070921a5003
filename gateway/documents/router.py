"""The kiosk's endpoint for a certificate: POST /documents/{kind} answers the signed PDF's bytes.

Authenticated like every kiosk endpoint. Each call issues a new document (its own verification
code and file) recorded in the register; the document number is the lookup's when the kiosk
passes it. Nothing to certify (no record, a card type without household registration) is a 404
or 409 with the citizen's message in both languages; no document key is a 503.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from contract.documents import CODE_HEADER, NUMBER_HEADER, PAGES_HEADER, PDF_MEDIA_TYPE, DocumentRequest
from contract.lookups import LookupRequest
from gateway.auth import require_kiosk
from gateway.content import guide_for
from gateway.context import GatewayContext, get_context
from gateway.documents.hall_key import DocumentKeyMissing
from gateway.documents.issuing import issue_certificate
from gateway.documents.kinds import kind_named
from gateway.documents.renderers import RendererFailed, render_guide_elsewhere
from gateway.documents.seal import SealRefused
from gateway.kiosks import KioskIdentity
from gateway.problems import Problem
from gateway.routers.common import _E, AUTH_ERRORS, CONFLICT, NOT_FOUND

log = logging.getLogger("gateway.documents")

router = APIRouter(prefix="/documents", tags=["documents"], responses={**AUTH_ERRORS, **NOT_FOUND, **CONFLICT})


@router.get(
    "/guides/{service_id}", summary="A service guide as an A4 PDF, for the kiosk's A4 printer (unsigned)",
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}, "description": "the PDF; X-Page-Count gives its pages"},
               503: {**_E, "description": "the renderer failed"}},
)
def guide_pdf(service_id: str = Path(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$"),
              kiosk: KioskIdentity = Depends(require_kiosk), ctx: GatewayContext = Depends(get_context)) -> Response:
    service = ctx.services.get(service_id)
    if service is None:
        raise Problem(404, "service_not_found", "no service with this id in the catalogue")
    guide = guide_for(service, ctx.departments[service["department"]])
    try:
        data, pages = render_guide_elsewhere(guide, ctx.settings.now())
    except RendererFailed as exc:
        log.error("cannot render the guide of %s: %s", service_id, exc)
        raise Problem(503, "documents_unavailable", str(exc)) from None
    log.info("guide %s as PDF (%d pages, %d bytes) to kiosk %s", service_id, pages, len(data), kiosk.kiosk_id)
    return Response(data, media_type=PDF_MEDIA_TYPE, headers={
        PAGES_HEADER: str(pages), "Cache-Control": "no-store",
        "Content-Disposition": f'inline; filename="guide-{service_id}.pdf"',
    })


@router.post(
    "/{kind}", summary="A signed A4 certificate (PDF) of a lookup for the citizen whose card was read",
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}, "description": "the signed PDF; headers give number, "
                     "verification code and page count"},
               503: {**_E, "description": "the gateway has no document key"}},
)
def certificate(body: DocumentRequest, kind: str = Path(pattern=r"^(social_security|property|population)$"),
                kiosk: KioskIdentity = Depends(require_kiosk), ctx: GatewayContext = Depends(get_context)) -> Response:
    lookup = LookupRequest(id_number=body.id_number, card_type=body.card_type)
    try:
        issued = issue_certificate(ctx, kind_named(kind), lookup, kiosk.kiosk_id, body.document_number)
    except (DocumentKeyMissing, SealRefused, RendererFailed) as exc:
        log.error("cannot issue a %s certificate: %s", kind, exc)
        raise Problem(503, "documents_unavailable", str(exc)) from None
    doc = issued.document
    log.info("issued %s %s (%d pages, %d bytes) to kiosk %s", doc.kind, doc.number, doc.pages, doc.size,
             doc.kiosk_id)
    return Response(issued.data, media_type=PDF_MEDIA_TYPE, headers={
        NUMBER_HEADER: doc.number, CODE_HEADER: doc.code, PAGES_HEADER: str(doc.pages),
        "Cache-Control": "no-store", "Content-Disposition": f'inline; filename="{doc.number}.pdf"',
    })

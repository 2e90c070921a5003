"""A kiosk asks for a one-time link that takes the citizen's lookup result to their phone."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from contract.result_links import ResultLink, ResultLinkRequest
from gateway import result_links
from gateway.auth import require_kiosk
from gateway.context import GatewayContext, get_context
from gateway.kiosks import KioskIdentity
from gateway.routers.common import AUTH_ERRORS

router = APIRouter(tags=["citizen"], responses=AUTH_ERRORS)


@router.post("/result-links", response_model=ResultLink, status_code=201,
             summary="A one-time link (10 minutes) to a lookup result as the kiosk shows it, masked")
def create_result_link(body: ResultLinkRequest, kiosk: KioskIdentity = Depends(require_kiosk),
                       ctx: GatewayContext = Depends(get_context)) -> ResultLink:
    with ctx.db.transaction() as conn:
        return ResultLink.model_validate(result_links.create(ctx, conn, kiosk.kiosk_id, body))

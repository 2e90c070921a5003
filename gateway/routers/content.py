"""Public content, versioned: send If-None-Match with the last ETag and get 304 when unchanged."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request, Response

from contract.content import AnnouncementList, CatalogueDocument, Guide, GuideCollection, HoursDocument
from gateway import content
from gateway.auth import require_kiosk
from gateway.context import GatewayContext, get_context
from gateway.problems import Problem
from gateway.routers.common import AUTH_ERRORS, NOT_FOUND, NOT_MODIFIED, versioned

router = APIRouter(prefix="/content", tags=["content"], dependencies=[Depends(require_kiosk)],
                   responses={**AUTH_ERRORS, **NOT_MODIFIED})


@router.get("/catalogue", response_model=CatalogueDocument, summary="Departments and their services")
def catalogue(request: Request, ctx: GatewayContext = Depends(get_context)) -> Response:
    return versioned(request, content.catalogue_document(ctx.catalogue))


@router.get("/guides", response_model=GuideCollection, summary="Every service's guide (for the offline cache)")
def guides(request: Request, ctx: GatewayContext = Depends(get_context)) -> Response:
    return versioned(request, content.guides_document(ctx.catalogue))


@router.get("/guides/{service_id}", response_model=Guide, responses=NOT_FOUND, summary="One service's guide")
def guide(
    request: Request,
    service_id: str = Path(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$"),
    ctx: GatewayContext = Depends(get_context),
) -> Response:
    service = ctx.services.get(service_id)
    if service is None:
        raise Problem(404, "service_not_found", "no service with this id in the catalogue")
    return versioned(request, content.guide_for(service, ctx.departments[service["department"]]))


@router.get("/announcements", response_model=AnnouncementList, summary="Current announcements")
def announcements(request: Request, ctx: GatewayContext = Depends(get_context)) -> Response:
    return versioned(request, content.announcements_document(ctx.today()))


@router.get("/hours", response_model=HoursDocument, summary="Opening-hours calendar: week, holidays, 调休 days")
def hours(request: Request) -> Response:
    return versioned(request, content.hours_document())

"""The gateway application: routers mounted under /api/v1, errors as JSON, bodies limited.

``create_app(settings)`` builds a fresh app with its own database and limits, so tests run
several side by side. The fleet work mounts its router in ``API_ROUTERS`` and reuses
``gateway.auth.require_kiosk`` and ``gateway.kiosks`` for kiosk identity.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

import gateway
from contract import API_PREFIX
from gateway import console, error_handlers, guide_pages, log_privacy, pages, result_pages, retention
from gateway.body_limit import BodyLimit
from gateway.context import GatewayContext
from gateway.documents import router as documents_router
from gateway.documents import verify_pages
from gateway.documents.checking import MAX_PDF_BYTES
from gateway.hot_path import install as install_hot_path
from gateway.kiosks import token_version
from gateway.load_shedding import LoadShedding
from gateway.ratelimit import SharedRateLimiter, limiters
from gateway.routers import citizen, content, fleet, health, lookups, outbox, payments, queue, result_links
from gateway.settings import GatewaySettings
from gateway.storage import Database
from gateway.token_cache import TokenCache

log = logging.getLogger("gateway.server")

# Order is the order of the OpenAPI document. Kiosk fleet (heartbeats, configuration bundles)
# and the admin console add their routers here.
API_ROUTERS: list[APIRouter] = [
    health.router, content.router, queue.router, lookups.router, payments.router, citizen.router, outbox.router,
    fleet.router, documents_router.router, result_links.router,
]


def create_app(settings: GatewaySettings, extra_routers: list[APIRouter] | None = None) -> FastAPI:
    """A gateway app over ``settings.db_path``; demo data is seeded when ``settings.demo``."""
    log_privacy.install()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.gateway.db.close()  # the connections go back to the database server

    app = FastAPI(
        lifespan=lifespan,
        title="Hall gateway",
        version=gateway.__version__,
        description="The contract between the self-service kiosks of the Xiamen Administrative Service "
        "Center and its hall gateway: content, queue, lookups, payments, feedback and mailing, outbox.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    db = Database(settings.db_path)
    limiter, failed_logins = limiters(db, settings.rate_per_s, settings.rate_burst, settings.auth_failures_per_min)
    ctx = GatewayContext(settings=settings, db=db, limiter=limiter, failed_logins=failed_logins,
                         tokens=TokenCache(settings.token_cache_s, version=lambda: token_version(db)))
    if db.postgres:  # several workers: receipt copies count against one limit too
        ctx.reprints = SharedRateLimiter(db, "reprint", ctx.reprints.per_second, ctx.reprints.burst)
    app.state.gateway = ctx
    with ctx.db.transaction() as conn:  # what expired while the gateway was stopped (then on every keyed write)
        retention.prune(conn, settings.now().timestamp(), settings.replay_window_s)
    for router in [*API_ROUTERS, *(extra_routers or [])]:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.include_router(guide_pages.router)
    app.include_router(result_pages.router)
    app.include_router(verify_pages.router)
    app.include_router(console.router)
    error_handlers.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       larger={f"{API_PREFIX}/fleet/bundles": settings.max_publish_bytes,
                               f"{API_PREFIX}/fleet/enrolments": settings.max_enrolment_bytes,
                               "/verify": MAX_PDF_BYTES + 64 * 1024})  # an uploaded certificate and its form
    # heartbeats and bundle polls answered before FastAPI's routing (everything else passes through)
    install_hot_path(app, ctx, settings.max_body_bytes)
    # outermost: a request refused for load costs nothing further
    app.add_middleware(LoadShedding, max_in_flight=settings.max_in_flight, retry_after_s=settings.shed_retry_after_s,
                       max_lag_s=settings.shed_lag_s, exempt=(f"{API_PREFIX}/health",))
    if settings.demo:
        from gateway import demo_seed

        demo_seed.seed(ctx)
    return app


def openapi_document(app: FastAPI | None = None) -> dict[str, Any]:
    """The OpenAPI document as served (built from a throw-away in-memory app when none is given)."""
    if app is None:
        app = create_app(GatewaySettings(db_path=":memory:"))
    return app.openapi()

"""Liveness: the only endpoint that needs no kiosk credential (the embedded starter polls it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

import gateway
from contract.base import Health
from gateway.context import GatewayContext, get_context

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the gateway up and its database readable?")
def health(ctx: GatewayContext = Depends(get_context)) -> Health:
    return Health(status="ok", version=gateway.__version__, time=ctx.now_iso(),
                  database="ok" if ctx.db.ping() else "error")

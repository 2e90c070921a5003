"""Who is really on the other end of a request when a reverse proxy (TLS terminator) stands in front.

Only a proxy named in ``GatewaySettings.trusted_proxies`` is believed: its ``X-Forwarded-Proto``
says whether the browser came over TLS (so the console's cookies must be ``Secure``) and the last
address of its ``X-Forwarded-For`` is the client (so lockouts hit the client, not the proxy).
From anyone else these headers are ignored, since any client can send them.
"""

from __future__ import annotations

from fastapi import Request


def _from_trusted_proxy(request: Request) -> bool:
    peer = request.client.host if request.client else ""
    return bool(peer) and peer in request.app.state.gateway.settings.trusted_proxies


def through_tls(request: Request) -> bool:
    """Whether the browser reached the gateway over TLS, directly or through a trusted proxy."""
    if request.url.scheme == "https":
        return True
    if not _from_trusted_proxy(request):
        return False
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return proto == "https"


def client_source(request: Request) -> str:
    """Who is knocking, for lockouts: the peer, or the client a trusted proxy forwarded for."""
    peer = request.client.host if request.client else "unknown"
    if _from_trusted_proxy(request):
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1][:64]  # the address the proxy itself saw; earlier ones the client could write
    return peer

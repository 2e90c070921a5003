"""Certificates are rendered and signed in a separate process, never on the gateway's own.

Laying out an A4 page and signing it is ~0.5 s of pure-Python work (seconds for a process's first,
loading the fonts). Done in a gateway process it would hold the interpreter's lock that long, and
the event loop that answers heartbeats and bundle polls would run late (load shedding then refuses
kiosks for it). So each gateway process keeps a small pool of renderer processes, started when
the first certificate is asked for and kept warm (fonts loaded) after; the request's thread waits
for its file without holding the lock.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from gateway.documents.hall_key import DocumentKey
from gateway.documents.sheet import Certificate

RENDERERS = 1  # processes per gateway process: a hall's kiosks ask for a certificate now and then
RENDER_TIMEOUT_S = 120.0

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


class RendererFailed(RuntimeError):
    """The renderer process died or did not answer in time; the next certificate starts a new one."""


def render_and_sign(certificate: Certificate, key: DocumentKey, reason: str) -> tuple[bytes, int]:
    """The signed PDF of ``certificate`` and its page count (runs in whichever process calls it)."""
    from gateway.documents.render import render_pdf
    from gateway.documents.sheet import html
    from gateway.documents.signing import sign_pdf

    rendered = render_pdf(html(certificate), identifier=certificate.number)
    return sign_pdf(rendered.data, key, reason=reason), rendered.pages


def render_guide(guide: dict[str, Any], printed_at: datetime) -> tuple[bytes, int]:
    """A service guide's PDF and its page count: laid out like a certificate, neither sealed nor signed."""
    from gateway.documents.guide_sheet import guide_html
    from gateway.documents.render import render_pdf

    rendered = render_pdf(guide_html(guide, printed_at), identifier=f"guide-{guide.get('service_id', '')}")
    return rendered.data, rendered.pages


def render_guide_elsewhere(guide: dict[str, Any], printed_at: datetime) -> tuple[bytes, int]:
    """:func:`render_guide` in a renderer process."""
    return _elsewhere(render_guide, guide, printed_at)


def render_and_sign_elsewhere(certificate: Certificate, key: DocumentKey, reason: str) -> tuple[bytes, int]:
    """:func:`render_and_sign` in a renderer process; :class:`RendererFailed` if that process fails."""
    return _elsewhere(render_and_sign, certificate, key, reason)


def _elsewhere(work: Callable[..., tuple[bytes, int]], *args: Any) -> tuple[bytes, int]:
    """``work(*args)`` in a renderer process. A pool found broken (a renderer killed while idle, by
    the kernel's OOM killer or an operator) is replaced and the job tried once more in a fresh one."""
    for attempt in (1, 2):
        pool = _the_pool()
        try:
            return pool.submit(work, *args).result(timeout=RENDER_TIMEOUT_S)
        except (BrokenProcessPool, TimeoutError) as exc:
            _drop(pool)
            if isinstance(exc, TimeoutError) or attempt == 2:
                raise RendererFailed(f"the certificate renderer failed: {type(exc).__name__}") from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _the_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=RENDERERS, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_end_with, initargs=(os.getpid(),))
        return _pool


def _end_with(gateway_pid: int) -> None:
    """In a renderer: end when the gateway process that started it is gone (killed, not stopped)."""
    from gateway import parent_watch

    parent_watch.watch(gateway_pid, parent="the gateway process that started this renderer")


def _drop(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)

"""Taking a lookup result to the citizen's phone: the gateway makes a one-time link for the QR code.

A part of :class:`kiosk.gateway_client.client.GatewayClient`, which gives it ``request``, ``_must``
and the citizen's time budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from contract.result_links import ResultLink, ResultLinkRequest
from kiosk.gateway_client.bodies import build

M = TypeVar("M", bound=BaseModel)


class PhoneCalls:
    citizen_budget_s: float

    if TYPE_CHECKING:
        def request(self, method: str, path: str, model: type[M], *, body: BaseModel | None = None,
                    idempotency_key: str | None = None, etag: str | None = None, retry_safe: bool = False,
                    budget_s: float | None = None) -> M | None: ...

        def _must(self, value: M | None) -> M: ...

    def create_result_link(self, request: ResultLinkRequest | Mapping[str, Any]) -> ResultLink:
        """A link that opens the result once on a phone within ten minutes.

        Safe to repeat: a second link for the same session revokes the first, so a retry after a
        lost answer leaves exactly one working link, the one returned.
        """
        body = request if isinstance(request, ResultLinkRequest) else build(ResultLinkRequest, **dict(request))
        return self._must(self.request("POST", "/result-links", ResultLink, body=body, retry_safe=True,
                                       budget_s=self.citizen_budget_s))

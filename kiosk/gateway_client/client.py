"""The kiosk's one HTTP client for the hall gateway.

One keep-alive HTTP session (kiosk/gateway_client/transport.py, on the standard library) with this kiosk's
credentials; connect/read timeouts from configuration; retries with back-off only where repeating cannot do anything twice (GET, and POSTs that carry an
Idempotency-Key — the client gives lookups and tickets a key of their own so they can be retried);
a circuit breaker that flips the kiosk's online state and probes the gateway's health until it
answers again; every answer validated against the shared contract models; every failure raised as
a :class:`kiosk.gateway_client.errors.GatewayError` with citizen and technician messages. Logs carry
method, route, status and time — never a body, never an ID number.

Imported after the first frame (it imports the contract models), and used from worker threads.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contract import API_PREFIX, IDEMPOTENCY_HEADER, KIOSK_ID_HEADER
from contract.backoff import backoff_delay
from contract.base import Health
from contract.citizen import FeedbackReceipt, FeedbackRequest, MailingReceipt, MailingRequest
from contract.content import AnnouncementList, CatalogueDocument, Guide, GuideCollection, HoursDocument
from contract.lookups import LookupRequest, PopulationAnswer, PropertyAnswer, SocialSecurityAnswer
from contract.outbox import OUTBOX_KINDS, OutboxAck, OutboxEntry
from contract.payments import Notice, Order, OrderRequest, ReceiptCopy, ReceiptCopyRequest
from kiosk.gateway_client import documents
from kiosk.gateway_client.access_token import GatewayToken
from kiosk.gateway_client.answers import busy, parse, refusal, retry_after
from kiosk.gateway_client.bodies import build, segment
from kiosk.gateway_client.breaker import CircuitBreaker
from kiosk.gateway_client.errors import (
    GatewayError,
    GatewayOffline,
    GatewayRefused,
    GatewayServerError,
    GatewayTimeout,
)
from kiosk.gateway_client.phone_calls import PhoneCalls
from kiosk.gateway_client.queue_calls import QueueCalls
from kiosk.gateway_client.transport import (
    Answer,
    ConnectTimeout,
    HttpSession,
    ReadTimeout,
    TLSFailure,
    TransportError,
)
from kiosk.system.privacy import redact

log = logging.getLogger("gateway.client")

M = TypeVar("M", bound=BaseModel)

_RETRY_STATUSES = {502, 503, 504}  # the gateway (or a proxy before it) is down or restarting
CITIZEN_BUDGET_S = 3.0
"""How long a citizen waits for a call made in front of them (every attempt together) before the
journey shows its offline page or the cache; retries beyond that happen behind the page (the prober)."""
_LAST_ATTEMPT_S = 0.2  # less than this left of a budget: no further attempt is started


def new_idempotency_key() -> str:
    """A fresh key; the caller stores it before the first attempt when the call must survive a restart."""
    return uuid.uuid4().hex


class GatewayClient(QueueCalls, PhoneCalls):
    """Calls the gateway at ``base_url`` as kiosk ``kiosk_id``. Thread-safe; ``close()`` when done."""

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        token: str | GatewayToken,
        *,
        connect_timeout: float = 2.0,
        read_timeout: float = 8.0,
        retries: int = 2,
        backoff_s: float = 0.25,
        max_retry_after_s: float = 2.0,
        failure_threshold: int = 3,
        probe_interval_s: float = 10.0,
        citizen_budget_s: float = CITIZEN_BUDGET_S,
        ca_file: str | None = None,
        on_online_changed: Callable[[bool], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_retry_after_s = max_retry_after_s
        self.probe_interval_s = probe_interval_s
        self.citizen_budget_s = citizen_budget_s
        self._sleep = sleep
        self._on_online_changed = on_online_changed
        self.breaker = CircuitBreaker(failure_threshold, reset_after_s=probe_interval_s, on_change=self._online_changed)
        self.session = HttpSession()
        self.session.headers.update({
            KIOSK_ID_HEADER: kiosk_id,
            "Accept": "application/json",
            "User-Agent": f"xm-hall-kiosk/{kiosk_id}",
        })
        self._token = token if isinstance(token, GatewayToken) else GatewayToken(token)
        if ca_file:
            self.session.verify = str(ca_file)
        self._closed = threading.Event()
        self._prober: threading.Thread | None = None
        self._prober_lock = threading.Lock()
        if not self._has_credentials():  # offline from the start; the prober tries the token file again
            self.breaker.trip()

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> GatewayClient:
        """Built from ``config.local.KioskSettings``: URL, id, secret, timeouts and CA file."""
        gateway = settings.gateway
        options: dict[str, Any] = {
            "connect_timeout": gateway.connect_timeout_s, "read_timeout": gateway.read_timeout_s,
            "ca_file": str(gateway.ca_file) if gateway.ca_file else None,
        }
        options.update(overrides)
        token = GatewayToken(gateway.token or "", path=gateway.token_file)
        return cls(gateway.url, settings.kiosk.id, token, **options)

    def _has_credentials(self) -> bool:
        """Whether there is a token to call with (a token file is read again while it yields none)."""
        if "Authorization" not in self.session.headers and (token := self._token.value()) is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"
        return "Authorization" in self.session.headers

    # ---- online state ---------------------------------------------------------------------------

    @property
    def online(self) -> bool:
        """False while the circuit breaker is open (the kiosk shows its offline state)."""
        return self.breaker.online

    def _online_changed(self, online: bool) -> None:
        if not online:
            self._start_prober()
        if self._on_online_changed is not None:
            self._on_online_changed(online)

    def probe(self) -> bool:
        """Ask /health once, outside the breaker; a healthy answer puts the kiosk back online."""
        if not self._has_credentials():
            return False
        try:
            answer = self.session.get(self._url("/health"), timeout=self.timeout)
            healthy = answer.status_code == 200 and Health.model_validate(answer.json()).status == "ok"
        except (TransportError, ValueError, ValidationError):
            healthy = False
        if healthy:
            self.breaker.record_success()
        return healthy

    def _start_prober(self) -> None:
        with self._prober_lock:
            if self._closed.is_set() or (self._prober is not None and self._prober.is_alive()):
                return
            self._prober = threading.Thread(target=self._probe_until_online, name="gateway-probe", daemon=True)
            self._prober.start()

    def _probe_until_online(self) -> None:
        while not self._closed.wait(self.probe_interval_s):
            if self.breaker.online or self.probe():
                return

    def close(self) -> None:
        """Stop probing and close the session (idempotent)."""
        self._closed.set()
        prober = self._prober
        if prober is not None and prober is not threading.current_thread():
            prober.join(timeout=5)
        self.session.close()

    # ---- the one way a request is made ------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}{API_PREFIX}{path}"

    def request(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        body: BaseModel | None = None,
        idempotency_key: str | None = None,
        etag: str | None = None,
        retry_safe: bool = False,
        budget_s: float | None = None,
    ) -> M | None:
        """Make one logical call (with retries when safe). Returns None only for 304 Not Modified."""
        answer = self.exchange(method, path, body=body, idempotency_key=idempotency_key, etag=etag,
                               retry_safe=retry_safe, budget_s=budget_s)
        return parse(answer, model)

    def exchange(
        self,
        method: str,
        path: str,
        *,
        body: BaseModel | None = None,
        idempotency_key: str | None = None,
        etag: str | None = None,
        retry_safe: bool = False,
        read_timeout: float | None = None,
        budget_s: float | None = None,
    ) -> Answer:
        """The gateway's answer to one logical call, as it came (auth, retries, breaker as for every call).

        ``budget_s`` bounds every attempt together (a citizen is waiting): each attempt's connect and
        read timeouts are cut to what is left of it, and no attempt starts once it is spent.
        A 503 with Retry-After is the gateway shedding load: it is up, only busy, so the breaker
        hears a success and the caller gets :class:`GatewayRateLimited` with the wait it asked for.
        """
        base_timeout = self.timeout if read_timeout is None else (self.timeout[0], read_timeout)
        deadline = None if budget_s is None else time.monotonic() + budget_s
        repeatable = method == "GET" or idempotency_key is not None or retry_safe
        attempts = 1 + self.retries if repeatable else 1
        headers: dict[str, str] = {}
        if idempotency_key is not None:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
        if etag:
            headers["If-None-Match"] = etag if etag.startswith(('"', "W/")) else f'"{etag}"'
        data = body.model_dump(mode="json") if body is not None else None
        for attempt in range(attempts):
            if not self.breaker.allow():
                raise GatewayOffline("circuit_open", "the kiosk is offline: the circuit breaker is open")
            if not self._has_credentials():
                self.breaker.trip()
                raise GatewayOffline("no_token", f"the kiosk is offline: {self._token.problem}")
            started = time.monotonic()
            timeout = base_timeout
            if deadline is not None:
                left = max(_LAST_ATTEMPT_S, deadline - started)
                timeout = (min(timeout[0], left), min(timeout[1], left))
            try:
                answer = self.session.request(method, self._url(path), json=data, headers=headers,
                                              timeout=timeout)
            except ConnectTimeout:
                error: GatewayError = GatewayTimeout("timeout", f"no connection within {timeout[0]:.1f} s")
            except ReadTimeout:
                unknown = "" if repeatable else "; the outcome is unknown"
                error = GatewayTimeout("timeout", f"no answer within {timeout[1]:.1f} s{unknown}")
            except TLSFailure as exc:
                error = GatewayOffline("tls_error", f"TLS failed: {redact(str(exc))[:200]}")
            except TransportError as exc:
                error = GatewayOffline("offline", f"{type(exc).__name__}: {redact(str(exc))[:200]}")
            else:
                elapsed_ms = (time.monotonic() - started) * 1000
                log.info("%s %s -> %d in %.0f ms", method, redact(path), answer.status_code, elapsed_ms)
                if answer.status_code == 503 and "Retry-After" in answer.headers:
                    self.breaker.record_success()  # it answered: up, shedding load
                    raise busy(answer)
                if answer.status_code in _RETRY_STATUSES and not documents.one_service_down(answer):
                    error = GatewayOffline("offline", f"gateway unavailable (HTTP {answer.status_code})",
                                           status=answer.status_code)
                elif answer.status_code == 429 and attempt + 1 < attempts:
                    self.breaker.record_success()  # it answered: it is up, only busy
                    wait = retry_after(answer)
                    if wait <= self.max_retry_after_s and (deadline is None or time.monotonic() + wait < deadline):
                        self._sleep(wait)
                        continue
                    raise refusal(answer)
                else:
                    self.breaker.record_success()
                    return answer
            log.warning("%s %s failed (attempt %d of %d): %s", method, redact(path), attempt + 1, attempts, error)
            self.breaker.record_failure()
            if attempt + 1 >= attempts or not self.breaker.online:
                raise error
            pause = backoff_delay(attempt + 1, first=1.5 * self.backoff_s, jitter=1 / 3)  # up to half again at random
            if deadline is not None and time.monotonic() + pause + _LAST_ATTEMPT_S >= deadline:
                raise error  # the citizen's budget is spent: the prober tries again behind the page
            self._sleep(pause)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _get(self, path: str, model: type[M], etag: str | None = None, *, citizen: bool = False) -> M | None:
        return self.request("GET", path, model, etag=etag, budget_s=self.citizen_budget_s if citizen else None)

    def _must(self, value: M | None) -> M:
        if value is None:  # only content calls send If-None-Match; anything else answering 304 is a bug
            raise GatewayServerError("invalid_response", "unexpected 304 Not Modified")
        return value

    # ---- health and content ---------------------------------------------------------------------

    def health(self) -> Health:
        return self._must(self._get("/health", Health))

    def catalogue(self, etag: str | None = None) -> CatalogueDocument | None:
        """The service catalogue; None when ``etag`` (the version the kiosk holds) is still current."""
        return self._get("/content/catalogue", CatalogueDocument, etag)

    def guides(self, etag: str | None = None) -> GuideCollection | None:
        return self._get("/content/guides", GuideCollection, etag)

    def guide(self, service_id: str, etag: str | None = None) -> Guide | None:
        return self._get(f"/content/guides/{segment(service_id)}", Guide, etag, citizen=True)

    def announcements(self, etag: str | None = None) -> AnnouncementList | None:
        return self._get("/content/announcements", AnnouncementList, etag)

    def hours(self, etag: str | None = None) -> HoursDocument | None:
        return self._get("/content/hours", HoursDocument, etag)

    # ---- lookups --------------------------------------------------------------------------------

    def _lookup(self, kind: str, model: type[M], id_number: str, card_type: str) -> M:
        body = build(LookupRequest, id_number=id_number, card_type=card_type)
        return self._must(self.request("POST", f"/lookups/{kind}", model, body=body,
                                       idempotency_key=new_idempotency_key(), budget_s=self.citizen_budget_s))

    def lookup_social_security(self, id_number: str, card_type: str = "resident") -> SocialSecurityAnswer:
        return self._lookup("social-security", SocialSecurityAnswer, id_number, card_type)

    def lookup_property(self, id_number: str, card_type: str = "resident") -> PropertyAnswer:
        return self._lookup("property", PropertyAnswer, id_number, card_type)

    def lookup_population(self, id_number: str, card_type: str = "resident") -> PopulationAnswer:
        return self._lookup("population", PopulationAnswer, id_number, card_type)

    def certificate(self, kind: str, id_number: str, card_type: str = "resident",
                    document_number: str | None = None) -> documents.Certificate:
        """The signed A4 certificate (PDF bytes, page count) of a lookup: kiosk/gateway_client/documents.py."""
        return documents.fetch_certificate(self, kind, id_number, card_type, document_number)

    def guide_pdf(self, service_id: str) -> documents.GuidePdf:
        """A service guide laid out on A4 by the gateway, for the A4 printer."""
        return documents.fetch_guide(self, service_id)

    # ---- payments -------------------------------------------------------------------------------

    def notice(self, number: str) -> Notice:
        build(OrderRequest, notice_number=number)  # the same 16-digit rule, checked before any traffic
        return self._must(self._get(f"/payments/notices/{number}", Notice, citizen=True))

    def create_order(self, notice_number: str, idempotency_key: str) -> Order:
        """Open (or, with the same key, get back) the order for a notice. Store the key first."""
        body = build(OrderRequest, notice_number=notice_number)
        return self._must(self.request("POST", "/payments/orders", Order, body=body, idempotency_key=idempotency_key))

    def order(self, order_id: str) -> Order:
        return self._must(self._get(f"/payments/orders/{segment(order_id)}", Order))

    def close_order(self, order_id: str) -> Order:
        # Closing twice has the same effect as closing once, so it may be retried without a key.
        return self._must(self.request("POST", f"/payments/orders/{segment(order_id)}/close", Order,
                                       retry_safe=True))

    def receipt_copy(self, notice_number: str, id_number: str) -> ReceiptCopy:
        """A paid notice's receipt again, for its payer's card (404 ``receipt_not_found`` for any other)."""
        body = build(ReceiptCopyRequest, notice_number=notice_number, id_number=id_number)
        return self._must(self.request("POST", "/payments/receipt-copies", ReceiptCopy, body=body, retry_safe=True,
                                       budget_s=self.citizen_budget_s))

    # ---- feedback, mailing, outbox ----------------------------------------------------------------

    def send_feedback(self, request: FeedbackRequest | Mapping[str, Any],
                      idempotency_key: str | None = None) -> FeedbackReceipt:
        body = request if isinstance(request, FeedbackRequest) else build(FeedbackRequest, **dict(request))
        return self._must(self.request("POST", "/feedback", FeedbackReceipt, body=body,
                                       idempotency_key=idempotency_key or new_idempotency_key()))

    def request_mailing(self, request: MailingRequest | Mapping[str, Any],
                        idempotency_key: str | None = None) -> MailingReceipt:
        body = request if isinstance(request, MailingRequest) else build(MailingRequest, **dict(request))
        return self._must(self.request("POST", "/mailing", MailingReceipt, body=body,
                                       idempotency_key=idempotency_key or new_idempotency_key()))

    def post_outbox_entry(self, kind: str, idempotency_key: str, payload: Mapping[str, Any],
                          created_at: str | None = None) -> OutboxAck:
        """Deliver one outbox entry; returns once the gateway has it (a repeat is acknowledged as such).

        Raises a :class:`GatewayError`; its ``permanent`` attribute is True when the gateway refused
        the entry itself (invalid payload, key reused) so retrying cannot help.
        """
        # The kiosk's outbox stores kinds with "_" (payment_reconciliation); the contract spells them with "-".
        kind = kind.replace("_", "-")
        if kind not in OUTBOX_KINDS:
            raise GatewayRefused("invalid_request", f"unknown outbox kind {kind!r}", permanent=True)
        body = build(OutboxEntry, payload=dict(payload), created_at=created_at)
        return self._must(self.request("POST", f"/outbox/{kind}", OutboxAck, body=body,
                                       idempotency_key=idempotency_key))


"""Configuration bundles from the gateway: fetched now and then, applied between citizen sessions.

Every ``poll_s`` seconds a worker thread asks the gateway for the newest bundle of this kiosk's
group (``GET /fleet/bundle``) and stages it through the :class:`~kiosk.fleet.config_updates.BundleStore`,
which verifies it (pinned keys, version, expiry, group, size, schema) and records any refusal for
the heartbeat. The gateway hears what happened (``POST /fleet/reports``), as a courtesy: the
heartbeat carries the same facts if that report is lost.

A staged bundle is applied on the GUI thread only while no citizen session is running (otherwise
as soon as the session ends): the store swaps it in under a trial marker, the kiosk puts every
part in force (see :meth:`BundleUpdates._put_in_force`), and renders its window. If that raises, the store rolls
back at once and the previous configuration is put back; if the process dies, the store rolls back
at the next start. Once the window rendered, the bundle is confirmed good.

``start_bundle_updates(runtime)`` is the start-up hook; it also finishes (or undoes) a trial left
over from the previous run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from contract import API_PREFIX

if TYPE_CHECKING:  # cryptography and the bundle schemas load after the first frame, in the hook
    from config.remote import RemoteConfig
    from kiosk.fleet.config_updates import BundleStore
    from kiosk.shell.context import KioskContext
    from kiosk.shell.running import RunningKiosk

log = logging.getLogger("fleet")

DEFAULT_POLL_S = 300.0
FIRST_CHECK_MS = 5_000
MAX_RETRY_AFTER_S = 3600.0  # a Retry-After longer than this is taken as an hour
BUNDLE_PATH = "/fleet/bundle"
REPORT_PATH = "/fleet/reports"


class BundleFetchFailed(RuntimeError):
    """The gateway could not be asked, or answered something other than a bundle or "nothing newer".

    ``retry_after_s`` is set when the gateway was only busy (503 with Retry-After): the poller waits
    at least that long before asking again.
    """

    retry_after_s: float | None = None


class OfferedBundle(bytes):
    """A bundle file as the gateway sent it, with the version the gateway says it is (None: not said)."""

    offered_version: int | None = None


def fetch_bundle(client: Any, group: str, installed: int, max_size: int | None = None) -> bytes | None:
    """The bundle file the gateway offers this kiosk's group above ``installed``, or None (204).

    Uses the gateway client's session (credentials, TLS pinning) and timeouts; the body is taken
    as raw bytes, exactly as the gateway stores it, so the store sees what was signed. An answer
    larger than ``max_size`` (default: the bundle size limit) is not read whole: it raises
    :class:`~config.bundle.BundleRefused` (oversized), refused as early as the Content-Length says so.
    """
    from config.bundle import DEFAULT_MAX_SIZE, BundleRefused, Reason
    from kiosk.gateway_client.transport import AnswerTooLarge, TransportError

    limit = DEFAULT_MAX_SIZE if max_size is None else max_size
    url = f"{client.base_url}{API_PREFIX}{BUNDLE_PATH}"
    try:
        answer = client.session.get(url, params={"group": group, "installed": installed}, timeout=client.timeout,
                                    max_bytes=limit)
    except AnswerTooLarge as exc:
        refused = BundleRefused(Reason.OVERSIZED, f"the gateway's answer: {exc}")
        refused.offered_version = _version_header(exc.headers.get("X-Bundle-Version"))
        raise refused from None
    except TransportError as exc:
        raise BundleFetchFailed(f"gateway unreachable: {type(exc).__name__}") from None
    if answer.status_code == 204:
        return None
    if answer.status_code == 503 and "Retry-After" in answer.headers:
        from kiosk.gateway_client.answers import retry_after

        busy = BundleFetchFailed("the gateway is busy (HTTP 503)")
        busy.retry_after_s = min(retry_after(answer), MAX_RETRY_AFTER_S)
        raise busy
    if answer.status_code != 200:
        raise BundleFetchFailed(f"gateway answered HTTP {answer.status_code} to the bundle request")
    offered = OfferedBundle(answer.content)
    offered.offered_version = _version_header(answer.headers.get("X-Bundle-Version"))
    return offered


def _version_header(text: str | None) -> int | None:
    from config.bundle import MAX_CONFIG_VERSION

    if text is None or not text.strip().isdigit() or len(text.strip()) > 16:
        return None
    version = int(text.strip())
    return version if 0 < version <= MAX_CONFIG_VERSION else None


def send_report(client: Any, report: dict[str, Any]) -> None:
    """Tell the gateway what became of a bundle (``contract.fleet.BundleReport``); failures only logged."""
    from kiosk.gateway_client.transport import TransportError

    try:
        answer = client.session.post(f"{client.base_url}{API_PREFIX}{REPORT_PATH}", json=report,
                                     timeout=client.timeout)
        if answer.status_code >= 400:
            log.warning("gateway refused the bundle report (HTTP %d)", answer.status_code)
    except TransportError as exc:
        log.info("bundle report not delivered (%s); the heartbeat carries it", type(exc).__name__)


class BundleUpdates(QObject):
    """Fetches, stages and applies bundles for one kiosk. Lives on the GUI thread."""

    applied = Signal(int)  # version now in force
    rolled_back = Signal(int)  # version that failed
    checked = Signal()  # one fetch round finished (whatever its outcome)

    def __init__(self, context: KioskContext, store: BundleStore, *,
                 fetch: Callable[[str, int], bytes | None], report: Callable[[dict[str, Any]], None],
                 render: Callable[[], None] = lambda: None, runtime: RunningKiosk | None = None,
                 poll_s: float = DEFAULT_POLL_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.store = store
        self._fetch = fetch
        self._report = report
        self._render = render
        self._runtime = runtime
        self._busy = False
        self._poll_ms = int(poll_s * 1000)
        self._timer = QTimer(self)
        self._timer.setObjectName("bundle-poll")
        self._timer.setInterval(self._poll_ms)
        self._timer.timeout.connect(self._poll)
        context.sessions.on_ended(self._session_ended)

    # -- start ---------------------------------------------------------------------------------------------
    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        """Put the installed configuration in force (finishing the last trial) and start polling."""
        before, expired_before = self.store.last_rollback(), self.store.last_expiry()
        config = self.store.config_for_start()
        after, expired = self.store.last_rollback(), self.store.last_expiry()
        if after is not None and after != before:
            self._tell_later({"version": after.failed_version, "outcome": "rolled_back", "reason": "start_failed",
                              "message": after.why[:500]})
        if expired is not None and expired != expired_before:
            self._tell_later({"version": expired.expired_version, "outcome": "rolled_back", "reason": "expired",
                              "message": f"version {expired.expired_version} expired at {expired.expired_at}"})
        if self.store.installed() is not None:
            self._settle(config)
        self._timer.start()
        QTimer.singleShot(first_check_ms, self, self.check_now)

    # -- fetching (worker thread) ----------------------------------------------------------------------------
    def _poll(self) -> None:
        if self._timer.interval() != self._poll_ms:  # a busy gateway's longer wait is over: the usual pace again
            self._timer.setInterval(self._poll_ms)
        self.check_now()

    @property
    def next_wait_ms(self) -> int:
        """How long the poller waits before its next round (the interval, or longer when the gateway was busy)."""
        return self._timer.interval()

    def check_now(self) -> None:
        """Ask the gateway now (unless a round is already running); apply when idle afterwards."""
        if self._busy:
            return
        self._busy = True
        self._calls().submit(self._fetch_and_stage, self._fetched, self._fetch_failed)

    def _session_ended(self, _reason: str) -> None:
        self.apply_when_idle()

    def _calls(self) -> Any:
        if self.context.services.calls is not None:
            return self.context.services.calls
        from kiosk.shell.worker import ImmediateCalls

        return ImmediateCalls()

    def _fetch_and_stage(self) -> bool:
        from config.bundle import BundleRefused

        # above everything accepted, waiting, or already refused for good: never the same bad file twice
        floor = max(self.store.accepted_version, getattr(self.store.pending(), "version", 0),
                    self.store.skip_through)
        try:
            data = self._fetch(self.store.group, floor)
        except BundleRefused as refused:  # refused before it could be read, e.g. far too large
            self.store.note_refusal(refused, f"{refused.reason} above {floor}: {refused.message}".encode(),
                                    refused.offered_version)
            self._tell({"version": refused.version, "outcome": "refused", "reason": str(refused.reason),
                        "message": refused.message[:500]})
            return False
        if data is None:
            return False
        try:
            bundle = self.store.stage(data, getattr(data, "offered_version", None))
        except BundleRefused as refused:
            self._tell({"version": refused.version, "outcome": "refused", "reason": str(refused.reason),
                        "message": refused.message[:500]})
            return False
        if bundle is not None:
            self._tell({"version": bundle.version, "outcome": "staged"})
        return bundle is not None

    def _fetched(self, staged: bool) -> None:
        self._busy = False
        self.checked.emit()
        self.apply_when_idle()

    def _fetch_failed(self, error: BaseException) -> None:
        self._busy = False
        log.info("bundle check failed: %s", error)
        retry_after_s = getattr(error, "retry_after_s", None)
        if retry_after_s is not None:  # busy, not broken: wait max(the interval, what the gateway asked)
            self._timer.start(max(self._poll_ms, int(retry_after_s * 1000)))
        self.checked.emit()
        self.apply_when_idle()  # an offline kiosk still notices its bundle expiring

    def _tell(self, report: dict[str, Any]) -> None:
        try:
            self._report({**report, "group": self.store.group})
        except Exception:
            log.exception("bundle report failed")

    def _tell_later(self, report: dict[str, Any]) -> None:
        """From the GUI thread: the report goes out on a worker thread."""
        self._calls().submit(lambda: self._tell(report), lambda _: None)

    # -- applying (GUI thread) -----------------------------------------------------------------------------
    def apply_when_idle(self) -> bool:
        """Apply the staged bundle if no citizen is using the kiosk; True when a new bundle is now in force.

        Between sessions it also checks that the installed bundle has not expired meanwhile (each
        poll round ends here); an expired one gives way to the last good bundle or the defaults.
        """
        if self.context.sessions.active:
            return False
        self._expire_if_due()
        if self.store.pending() is None:
            return False
        previous = self.store.installed_version
        config = self.store.apply_pending(start_now=True)
        if config is None:
            return False
        version = self.store.installed_version
        try:
            self._put_in_force(config)
            self._render()
        except Exception as exc:
            log.exception("bundle version %d could not bring the screens up; rolling back", version)
            restored = self.store.rollback(f"{type(exc).__name__} while applying: {exc}"[:300])
            self._put_in_force(restored)
            self._tell_later({"version": version, "outcome": "rolled_back", "reason": "apply_failed",
                              "message": f"{type(exc).__name__}: {exc}"[:500]})
            self.rolled_back.emit(version)
            return False
        self.store.confirm_good()
        log.info("configuration version %d in force (was %d)", version, previous,
                 extra={"event": "bundle_applied"})
        self._tell_later({"version": version, "outcome": "applied"})
        heartbeat = self.context.services.heartbeat
        if heartbeat is not None:
            heartbeat.beat_now()
        self.applied.emit(version)
        return True

    def _expire_if_due(self) -> None:
        expired = self.store.last_expiry()
        config = self.store.expire_if_due()
        if config is None:
            return
        self._put_in_force(config)
        now = self.store.last_expiry()
        if now is not None and now != expired:
            self._tell_later({"version": now.expired_version, "outcome": "rolled_back", "reason": "expired",
                              "message": f"version {now.expired_version} expired at {now.expired_at}"})

    def _settle(self, config: RemoteConfig) -> None:
        """At start: the installed configuration in force; confirmed once the window rendered with it."""
        try:
            self._put_in_force(config)
            self._render()
        except Exception as exc:
            version = self.store.installed_version
            log.exception("installed bundle version %d cannot bring the screens up; rolling back", version)
            self._put_in_force(self.store.rollback(f"{type(exc).__name__} at start: {exc}"[:300]))
            self.rolled_back.emit(version)
            return
        self.store.confirm_good()

    def _put_in_force(self, config: RemoteConfig) -> None:
        """Hand the configuration's parts to the running kiosk; a part left out is the kiosk's default.

        - catalogue, calendar: set here (the home screen and the availability engine);
        - idle and countdown timeouts: set on the idle watch here;
        - features: the availability rule (kiosk/app/startup.py) reads ``services.remote_config``,
          so a switched-off journey is "Not offered at this kiosk" from the next evaluation on;
        - theme, announcements and maintenance windows: the window restyles, the announcement strip
          and kiosk/hall/planned_maintenance.py re-decide on the context's ``remote_config_changed``;
        - receipt lines, payment timeout, EMS mailing: the next journey's environment
          (kiosk/journeys/host.py) takes them from ``services.remote_config``.
        """
        context = self.context
        context.set_remote_config(config)
        context.set_catalogue(config.effective_catalogue())
        engine = context.services.availability
        if engine is not None and hasattr(engine, "calendar"):
            engine.calendar = config.effective_calendar()
        idle = getattr(self._runtime, "idle", None)
        if idle is not None:
            session = config.session_settings(context.settings.session)
            idle.idle_timeout_s = session.idle_timeout_s
            idle.countdown_s = session.countdown_s
        context.availability_changed.emit()


def _render_window(runtime: RunningKiosk) -> Callable[[], None]:
    def render() -> None:
        # Paint the whole window now with the new configuration: a screen that cannot be built or
        # painted raises here, while the previous configuration can still be put back.
        runtime.window.grab()

    return render


def start_bundle_updates(runtime: RunningKiosk, poll_s: float = DEFAULT_POLL_S,
                         first_check_ms: int = FIRST_CHECK_MS) -> BundleUpdates | None:
    """Start-up hook: the bundle store, the configuration it holds in force, and polling the gateway."""
    from kiosk.fleet.config_updates import BundleStore
    from kiosk.system.clock import SystemClock

    context = runtime.context
    clock = context.services.clock or SystemClock()
    store = BundleStore.for_settings(context.settings, clock)
    context.services.bundles = store

    def fetch(group: str, installed: int) -> bytes | None:
        client = context.services.gateway
        if client is None:
            return None  # not attached yet; the next round will ask
        return fetch_bundle(client, group, installed, store.max_size)

    def report(body: dict[str, Any]) -> None:
        client = context.services.gateway
        if client is not None:
            send_report(client, body)

    updates = BundleUpdates(context, store, fetch=fetch, report=report, render=_render_window(runtime),
                            runtime=runtime, poll_s=poll_s, parent=runtime.window)
    context.services.bundle_updates = updates
    updates.start(first_check_ms)
    return updates

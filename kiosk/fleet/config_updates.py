"""The kiosk's side of signed configuration bundles: check, keep, apply between sessions, roll back.

Files in ``state_dir/bundles/`` (each replaced atomically: temporary file, fsync, rename):

``installed.json``   the bundle in force (absent: every part at its shipped default)
``last-good.json``   the last bundle that brought the screens up (absent: the defaults were last good)
``pending.json``     a verified bundle waiting for a moment between citizen sessions
``trial.json``       the *trial marker*: ``{"version", "phase", "since"}`` while an installed
                     bundle has not yet been confirmed
``record.json``      the highest version ever accepted, recent refusals and the last rollback

How a bad bundle is caught (nobody has to notice by hand):

1. ``apply_pending()`` writes the trial marker (phase ``starting``) *before* it swaps the bundle
   in, and the application then rebuilds its screens with the new configuration.
2. If that raises, the application calls ``rollback()`` at once.
3. If instead the process dies or hangs (and the systemd watchdog restarts it), the marker is
   still there at the next start: ``config_for_start()`` sees phase ``starting`` for the installed
   version and rolls back to ``last-good.json`` before any screen is built.
4. Once the screens are up (first frame shown with the new configuration), the application calls
   ``confirm_good()``: the installed bundle becomes the last good one and the marker goes.

``kiosk config apply`` installs with phase ``applied`` instead: the application is not running
that configuration yet, so the next start moves the marker to ``starting`` and tries it once.

A rolled-back version is never accepted again: the store remembers the highest version it ever
accepted and refuses anything not above it, so the kiosk does not fetch the same broken bundle and
fall over in a loop; the admins fix it by publishing a higher version.

Refusals are logged (logger ``fleet``) and kept in ``record.json`` for the heartbeat. The same
bundle refused again for the same reason (a poller fetching it every few minutes) counts up
instead of filling the log.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from config.bundle import (
    DEFAULT_MAX_SIZE,
    BundleRefused,
    KeyRing,
    Reason,
    VerifiedBundle,
    check_schema,
    check_signature,
    public_key_text,
)
from config.bundle import parse as parse_bundle
from config.bundle import verify as verify_bundle
from config.local import KioskSettings
from config.remote import NO_REMOTE_CONFIG, RemoteConfig
from kiosk.fleet.bundle_record import BundleRecord, Expiry, Rollback
from kiosk.system.clock import Clock
from kiosk.system.durable_files import exclusive, remove_durably, write_atomically

log = logging.getLogger("fleet")

class BundleStore(BundleRecord):
    """The bundles of one kiosk. Safe to use from the running application and a command line at once."""

    def __init__(self, state_dir: Path, trusted_keys: KeyRing | Iterable[str], group: str, clock: Clock,
                 max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.folder = Path(state_dir) / "bundles"
        self.folder.mkdir(parents=True, exist_ok=True)
        # a bad pinned key is the kiosk's own configuration error: raise ConfigError now, not per bundle
        self.keys = trusted_keys if isinstance(trusted_keys, KeyRing) else KeyRing.from_text(trusted_keys)
        self.group = group
        self.clock = clock
        self.max_size = max_size
        self._thread_lock = threading.Lock()
        self._checked: dict[str, VerifiedBundle | None] = {}
        with self._locked():
            # Left by a write that a power cut or a kill interrupted (the real file is intact). Every
            # write happens under this lock, so no temporary file here belongs to a write under way.
            for stale in self.folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()

    @classmethod
    def for_settings(cls, settings: KioskSettings, clock: Clock, max_size: int = DEFAULT_MAX_SIZE) -> BundleStore:
        return cls(settings.state_dir, settings.security.trusted_keys, settings.kiosk.group, clock, max_size)

    # -- paths and small records ---------------------------------------------------------------
    @property
    def installed_path(self) -> Path:
        return self.folder / "installed.json"

    @property
    def last_good_path(self) -> Path:
        return self.folder / "last-good.json"

    @property
    def pending_path(self) -> Path:
        return self.folder / "pending.json"

    @property
    def trial_path(self) -> Path:
        return self.folder / "trial.json"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock, exclusive(self.folder / ".lock"):
            yield

    def _load(self, path: Path) -> VerifiedBundle | None:
        """A bundle kept on disk, checked again (signature and schema; its age no longer matters)."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._checked:  # the heartbeat asks often; check (and complain) once per content
            return self._checked[digest]
        try:
            bundle: VerifiedBundle | None = check_schema(check_signature(data, self.keys, self.max_size), data)
        except BundleRefused as exc:
            # e.g. its signing key was unpinned since, or the disk damaged the file
            log.error("kept bundle %s can no longer be trusted (%s: %s); not using it", path.name, exc.reason,
                      exc.message)
            bundle = None
        if len(self._checked) > 8:
            self._checked.clear()
        self._checked[digest] = bundle
        return bundle

    # -- what is in force ------------------------------------------------------------------------
    def installed(self) -> VerifiedBundle | None:
        """The bundle in force, or None when the kiosk runs on its shipped defaults."""
        return self._load(self.installed_path)

    def current(self) -> RemoteConfig:
        """The configuration in force (every part at its default when nothing is installed)."""
        bundle = self.installed()
        return bundle.config if bundle else NO_REMOTE_CONFIG

    @property
    def installed_version(self) -> int:
        bundle = self.installed()
        return bundle.version if bundle else 0

    @property
    def accepted_version(self) -> int:
        """The version floor: the highest version ever accepted here (also counting rolled-back ones),
        unless a signed key rotation set it since; new bundles must exceed it."""
        installed = self.installed()
        counted = installed.version if installed and installed.header.key_id not in self.retired_keys() else 0
        return max(self._recorded_int("highest_version"), counted)

    def pending(self) -> VerifiedBundle | None:
        """The staged bundle waiting to be applied, if any."""
        return self._load(self.pending_path)

    def awaiting_confirmation(self) -> int | None:
        """The installed version still on trial (see the module docstring), or None."""
        trial = self._read_json(self.trial_path)
        version = trial.get("version")
        return version if isinstance(version, int) else None

    def last_good_version(self) -> int:
        bundle = self._load(self.last_good_path)
        return bundle.version if bundle else 0

    # -- taking a bundle in ------------------------------------------------------------------------
    def check(self, data: bytes) -> VerifiedBundle:
        """Verify ``data`` as :meth:`stage` would, without keeping or recording anything."""
        return self._verify(data, max(self.accepted_version, self._pending_version()))

    def _verify(self, data: bytes, floor: int) -> VerifiedBundle:
        """Every check of :func:`config.bundle.verify`, and none by a key a rotation retired."""
        try:
            bundle = verify_bundle(data, self.keys, floor, self.group, self.clock.now(), self.max_size)
        except BundleRefused as refused:
            if refused.reason != Reason.NOT_NEWER:
                raise
            bundle = None
            retired_version = refused.version
        header = bundle.header if bundle else parse_bundle(data).header
        if header.key_id in self.retired_keys():
            raise BundleRefused(Reason.RETIRED_KEY, f"version {header.config_version} is signed by key "
                                                    f"{header.key_id}, retired by a key rotation",
                                header.config_version)
        if bundle is None:
            raise BundleRefused(Reason.NOT_NEWER, f"version {retired_version} is not newer than version {floor} "
                                                  f"already accepted here", retired_version)
        return bundle

    def stage(self, data: bytes, offered_version: int | None = None) -> VerifiedBundle | None:
        """Verify ``data`` and keep it as the pending bundle until :meth:`apply_pending`.

        Returns the verified bundle, or None when exactly this bundle is already installed or
        pending (fetched again: nothing to do). Raises :class:`BundleRefused` otherwise; the
        refusal is logged and recorded, and nothing in force changes. ``offered_version`` is the
        version the gateway said it sent: after a refusal the poller asks for newer ones only.
        """
        digest = hashlib.sha256(data).hexdigest()
        with self._locked():
            for kept in (self.installed(), self.pending()):
                if kept is not None and kept.digest == digest:
                    return None
            try:
                bundle = self.check(data)
            except BundleRefused as refused:
                self._note_refusal(refused, digest, offered_version)
                raise
            write_atomically(self.pending_path, data)
        log.info("bundle version %d staged (groups %s, key %s, files %s); applied between sessions",
                 bundle.version, ",".join(bundle.header.groups), bundle.header.key_id, ",".join(sorted(bundle.files)))
        return bundle

    def note_refusal(self, refused: BundleRefused, what: bytes, offered_version: int | None = None) -> None:
        """Record a refusal made before the bundle reached :meth:`stage` (e.g. an answer too large to read).

        ``what`` identifies the refused answer (its first bytes, or a description), for counting repeats.
        """
        with self._locked():
            self._note_refusal(refused, hashlib.sha256(what).hexdigest(), offered_version)

    def _pending_version(self) -> int:
        bundle = self.pending()
        return bundle.version if bundle else 0

    # -- applying, confirming, rolling back ------------------------------------------------------------
    def apply_pending(self, *, start_now: bool = True) -> RemoteConfig | None:
        """Swap the pending bundle in; call only between citizen sessions. Returns the new configuration.

        Returns None when nothing is pending or the pending bundle no longer passes verification
        (it may have expired while waiting; that refusal is recorded). ``start_now=False`` is for
        ``kiosk config apply``: the configuration is tried at the next start of the application.
        """
        with self._locked():
            data = self._read_bytes(self.pending_path)
            if data is None:
                return None
            try:
                bundle = self._verify(data, self.accepted_version)
            except BundleRefused as refused:
                self._note_refusal(refused, hashlib.sha256(data).hexdigest())
                remove_durably(self.pending_path)
                return None
            previous = self.installed_version
            # marker first: if power fails after the swap, the next start still knows this is a trial
            self._write_json(self.trial_path, {"version": bundle.version,
                                               "phase": "starting" if start_now else "applied",
                                               "since": self._now()})
            write_atomically(self.installed_path, data)
            remove_durably(self.pending_path)
            record = self._record()
            if bundle.version > self._int(record.get("highest_version")):
                record["highest_version"] = bundle.version
                signer = self.keys.get(bundle.header.key_id or "")
                record["floor_key"] = public_key_text(signer) if signer else None  # may lower it by a rotation
            self._write_json(self.record_path, record)
        log.info("bundle version %d installed in place of version %d; on trial until the screens are up",
                 bundle.version, previous, extra={"event": "bundle_installed"})
        return bundle.config

    def install(self, data: bytes) -> VerifiedBundle | None:
        """Stage and apply ``data`` for the next start (``kiosk config apply``). None if already there."""
        bundle = self.stage(data)
        if bundle is None:
            return None
        return bundle if self.apply_pending(start_now=False) is not None else None

    def config_for_start(self) -> RemoteConfig:
        """The configuration to start the application with, rolling back first if the last trial failed.

        Call once at start-up, before the screens are built, and :meth:`confirm_good` once they are up.
        """
        with self._locked():
            if self._expired_installed() is not None:
                return self._expire()
            trial = self._read_json(self.trial_path)
            installed = self.installed()
            version = trial.get("version")
            if not trial:
                return installed.config if installed else NO_REMOTE_CONFIG
            if installed is None or installed.version != version:
                # the swap never happened or a rollback already finished: the trial is over
                remove_durably(self.trial_path)
                return installed.config if installed else NO_REMOTE_CONFIG
            if trial.get("phase") == "applied":
                self._write_json(self.trial_path, {**trial, "phase": "starting", "since": self._now()})
                log.info("starting with bundle version %d for the first time", installed.version)
                return installed.config
            return self._roll_back(f"the application did not come up with version {version} "
                                   f"(trial since {trial.get('since')})")

    def confirm_good(self) -> None:
        """The screens came up with the installed bundle: keep it as the last good one, end the trial."""
        with self._locked():
            trial = self._read_json(self.trial_path)
            if not trial or trial.get("phase") != "starting":
                return  # nothing on trial, or installed from the command line and not started yet
            data = self._read_bytes(self.installed_path)
            if data is not None and self.installed() is not None and self.installed_version == trial.get("version"):
                write_atomically(self.last_good_path, data)
                log.info("bundle version %s confirmed good", trial.get("version"))
            remove_durably(self.trial_path)

    def rollback(self, why: str = "the screens could not be built with it") -> RemoteConfig:
        """Put the last good bundle back (or the defaults) and return the configuration now in force."""
        with self._locked():
            return self._roll_back(why)

    # -- expiry -----------------------------------------------------------------------------------------
    def _expired_installed(self) -> VerifiedBundle | None:
        installed = self.installed()
        if installed is not None and self.clock.now() >= installed.header.expires_at:
            return installed
        return None

    def expire_if_due(self) -> RemoteConfig | None:
        """If the installed bundle has expired, go back to the last good one (if still valid) or the defaults.

        Returns the configuration now in force, or None when nothing changed. Call between citizen
        sessions (the running application) or at start (:meth:`config_for_start` does).
        """
        with self._locked():
            if self._expired_installed() is None:
                return None
            return self._expire()

    def _expire(self) -> RemoteConfig:
        expired = self.installed()
        assert expired is not None
        good, good_data = self._restorable()
        if good is not None and good.version == expired.version:
            good, good_data = None, None
        record = self._record()
        record["last_expiry"] = asdict(Expiry(expired.version, expired.header.expires_at.isoformat(),
                                              good.version if good else 0, self._now()))
        self._write_json(self.record_path, record)
        if good is not None and good_data is not None:
            write_atomically(self.installed_path, good_data)
        else:
            remove_durably(self.installed_path)
        remove_durably(self.trial_path)
        log.error("bundle version %d expired at %s; now running %s", expired.version,
                  expired.header.expires_at.isoformat(), f"version {good.version}" if good else "the shipped defaults",
                  extra={"event": "bundle_expired"})
        return good.config if good else NO_REMOTE_CONFIG

    def _restorable(self) -> tuple[VerifiedBundle | None, bytes | None]:
        """The last good bundle and its bytes, unless it is missing, untrusted or itself expired."""
        good_data = self._read_bytes(self.last_good_path)
        good = self._load(self.last_good_path) if good_data is not None else None
        if good is None or self.clock.now() >= good.header.expires_at:
            return None, None
        return good, good_data

    def _roll_back(self, why: str) -> RemoteConfig:
        failed = self.installed_version
        good, good_data = self._restorable()
        record = self._record()
        installed = self.installed()
        if installed is not None and installed.header.key_id not in self.retired_keys():
            record["highest_version"] = max(self._int(record.get("highest_version")), failed)
        record["last_rollback"] = asdict(Rollback(failed, good.version if good else 0, why, self._now()))
        self._write_json(self.record_path, record)
        if good is not None and good_data is not None:
            write_atomically(self.installed_path, good_data)
        else:
            remove_durably(self.installed_path)
        remove_durably(self.trial_path)
        log.error("bundle version %d rolled back to %s: %s", failed,
                  f"version {good.version}" if good else "the shipped defaults", why,
                  extra={"event": "bundle_rolled_back"})
        return good.config if good else NO_REMOTE_CONFIG

    # -- for the heartbeat and diagnostics -------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """What the heartbeat and the diagnostics screen report about configuration (JSON-ready)."""
        installed, pending = self.installed(), self.pending()
        refusal, rollback, expiry = self.last_refusal(), self.last_rollback(), self.last_expiry()
        return {
            "installed_version": installed.version if installed else 0,
            "installed_expires_at": installed.header.expires_at.isoformat() if installed else None,
            "installed_digest": installed.digest if installed else None,
            "accepted_version": self.accepted_version,
            "last_good_version": self.last_good_version(),
            "pending_version": pending.version if pending else None,
            "awaiting_confirmation": self.awaiting_confirmation(),
            "last_refusal": asdict(refusal) if refusal else None,
            "last_rollback": asdict(rollback) if rollback else None,
            "last_expiry": asdict(expiry) if expiry else None,
        }

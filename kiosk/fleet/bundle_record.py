"""What a kiosk remembers about configuration bundles in ``bundles/record.json``.

The record holds the highest version ever accepted (new bundles must be above it), the key that
set that floor, keys retired by a signed key rotation, recent refusals, the last rollback and the
last time an installed bundle ran out. :class:`BundleRecord` is the part of the bundle store that
reads and writes it; :class:`~kiosk.fleet.config_updates.BundleStore` builds on it and holds the lock.

A refusal also tells the poller which version the gateway offered, so the next poll asks for
something newer instead of fetching the same refused file again (``skip_through``). A bundle not
yet valid is the one exception: it may become valid, so it is asked for again.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from config.bundle import MAX_CONFIG_VERSION, BundleRefused, KeyRing, Reason
from kiosk.system.clock import Clock
from kiosk.system.durable_files import write_atomically

log = logging.getLogger("fleet")

KEPT_REFUSALS = 20
# refusals that can never turn into an acceptance of the same file: the poller need not fetch it again
_FINAL = frozenset(Reason) - {Reason.NOT_YET_VALID}
# refusals whose version was read from a signed header (before that, the version is anyone's claim)
_AFTER_SIGNATURE = frozenset({Reason.WRONG_GROUP, Reason.EXPIRED, Reason.NOT_NEWER, Reason.SCHEMA_INVALID,
                              Reason.RETIRED_KEY})


@dataclass(frozen=True)
class Refusal:
    """A bundle this kiosk would not take, as the heartbeat reports it."""

    reason: str
    message: str
    version: int | None
    digest: str
    at: str
    count: int = 1


@dataclass(frozen=True)
class Rollback:
    """A bundle that could not bring the screens up, and what the kiosk went back to."""

    failed_version: int
    restored_version: int  # 0: the shipped defaults
    why: str
    at: str


@dataclass(frozen=True)
class Expiry:
    """An installed bundle that ran out, and what the kiosk went back to."""

    expired_version: int
    expired_at: str
    restored_version: int  # 0: the shipped defaults
    at: str


class BundleRecord:
    """Reading and writing ``record.json`` (and the other small JSON files) of one bundle folder."""

    folder: Path
    clock: Clock
    keys: KeyRing

    @property
    def record_path(self) -> Path:
        return self.folder / "record.json"

    def _now(self) -> str:
        return self.clock.now().isoformat(timespec="seconds")

    def _read_json(self, path: Path) -> dict[str, Any]:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("bundle state file %s unreadable (%s); treating it as empty", path.name, exc)
            return {}
        return value if isinstance(value, dict) else {}

    def _write_json(self, path: Path, value: dict[str, Any]) -> None:
        write_atomically(path, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))

    @staticmethod
    def _read_bytes(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def _record(self) -> dict[str, Any]:
        return self._read_json(self.record_path)

    def _recorded_int(self, name: str) -> int:
        value = self._record().get(name, 0)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def retired_keys(self) -> list[str]:
        """Ids of keys a signed key rotation retired: their bundles are refused."""
        retired = self._record().get("retired_keys", [])
        return [k for k in retired if isinstance(k, str)] if isinstance(retired, list) else []

    # -- refusals ---------------------------------------------------------------------------------
    def _note_refusal(self, refused: BundleRefused, digest: str, offered_version: int | None = None) -> None:
        """Log and keep a refusal; the same file refused again for the same reason counts up instead."""
        record = self._record()
        refusals = [r for r in record.get("refusals", []) if isinstance(r, dict)]
        last = refusals[-1] if refusals else None
        if last and last.get("digest") == digest and last.get("reason") == str(refused.reason):
            last.update(count=int(last.get("count", 1)) + 1, at=self._now())
            log.debug("bundle %s refused again (%s)", digest[:12], refused.reason)
        else:
            refusals.append(asdict(Refusal(str(refused.reason), refused.message, refused.version, digest,
                                           self._now())))
            log.warning("bundle refused (%s): %s", refused.reason, refused.message,
                        extra={"event": "bundle_refused"})
        record["refusals"] = refusals[-KEPT_REFUSALS:]
        skip = _skip_version(refused, offered_version)
        if skip is not None:
            same_keys = record.get("skip_keys") == self._key_ids()
            record["skip_through"] = max(self._int(record.get("skip_through")) if same_keys else 0, skip)
            record["skip_keys"] = self._key_ids()
        self._write_json(self.record_path, record)

    @staticmethod
    def _int(value: object) -> int:
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def _key_ids(self) -> str:
        return ",".join(self.keys.ids())

    @property
    def skip_through(self) -> int:
        """The gateway need not offer versions up to this one again: each was refused for good.

        Forgotten when the pinned keys change (a bundle refused for its key may now be welcome).
        """
        record = self._record()
        return self._int(record.get("skip_through")) if record.get("skip_keys") == self._key_ids() else 0

    def refusals(self) -> list[Refusal]:
        """Recent refusals, oldest first (at most ``KEPT_REFUSALS``)."""
        result = []
        for item in self._record().get("refusals", []):
            with contextlib.suppress(TypeError):
                result.append(Refusal(**item))
        return result

    def last_refusal(self) -> Refusal | None:
        found = self.refusals()
        return found[-1] if found else None

    def last_rollback(self) -> Rollback | None:
        item = self._record().get("last_rollback")
        try:
            return Rollback(**item) if isinstance(item, dict) else None
        except TypeError:
            return None

    def last_expiry(self) -> Expiry | None:
        item = self._record().get("last_expiry")
        try:
            return Expiry(**item) if isinstance(item, dict) else None
        except TypeError:
            return None


def _skip_version(refused: BundleRefused, offered_version: int | None) -> int | None:
    """Which version the poller may stop asking for after ``refused`` (None: ask again)."""
    if refused.reason not in _FINAL:
        return None
    if isinstance(offered_version, int) and 0 < offered_version <= MAX_CONFIG_VERSION:
        return offered_version  # the gateway's own word for the file it sent
    if refused.reason in _AFTER_SIGNATURE and refused.version:
        return refused.version
    return None

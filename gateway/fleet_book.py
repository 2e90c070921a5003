"""The fleet book: what the gateway knows about its kiosks and the configuration bundles it rolls out.

Kiosks tell it through heartbeats (``telemetry`` outbox entries) and bundle reports; admins add
signed bundles and move them through the roll-out: a bundle is published to a first group (the
canary kiosks), and once those run it well it is promoted to everyone. A kiosk asking for a bundle
gets the newest one its group may have at the current stage, and the kiosk checks it again itself
(signature, version, expiry, group), so the gateway is a distributor, never a source of trust.

The tables are part of the gateway's schema (:mod:`gateway.migrations`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from config.bundle import ALL_GROUPS, BundleRefused, KeyRing, format_time, parse, verify
from contract.fleet import BundleReport, Heartbeat
from gateway import fleet_alerts, heartbeat_history
from gateway.log_privacy import redact, redact_all
from gateway.problems import Problem
from gateway.storage import Transaction, dumps, loads

log = logging.getLogger("fleet")

KEPT_REPORTS = 20


# -- heartbeats and reports -------------------------------------------------------------------------

def record_heartbeat(conn: Transaction, kiosk_id: str, heartbeat: Heartbeat, now: datetime,
                     max_skew_s: float = 86400.0) -> bool:
    """Keep ``heartbeat`` as the kiosk's latest unless a newer one is already here; True when it became the latest.

    The kiosk's clock is not trusted: a ``sent_at`` more than ``max_skew_s`` away from the gateway's
    clock is refused (422), and a heartbeat counts as of ``min(sent_at, received)``, so a kiosk
    clock running ahead can never make later heartbeats look older. Replayed old heartbeats (an
    outbox drained after an outage) still land in the history but never make the state look older.
    """
    if heartbeat.kiosk_id != kiosk_id:
        raise Problem(422, "kiosk_mismatch", f"heartbeat for {heartbeat.kiosk_id[:32]!r} sent by kiosk {kiosk_id!r}")
    sent = _instant(heartbeat.sent_at)
    if sent is None:
        raise Problem(422, "sent_at_invalid", "sent_at must be an ISO 8601 time with its UTC offset")
    if abs(sent - now.timestamp()) > max_skew_s:
        raise Problem(422, "sent_at_out_of_range",
                      f"sent_at is more than {max_skew_s / 3600:g} h away from the gateway's clock; "
                      "check the kiosk's clock", {"gateway_time": now.isoformat(timespec="seconds")})
    shown = redact_all(heartbeat.model_dump(mode="json"))  # the console shows its texts
    at = now.isoformat(timespec="seconds")
    heartbeat_history.record(conn, kiosk_id, now.timestamp(), heartbeat.sent_at)
    row = conn.one("SELECT sent_at, received_ts, alerts FROM fleet_kiosks WHERE kiosk_id = ?", (kiosk_id,))
    if row is not None and _as_of(row["sent_at"], row["received_ts"]) > min(sent, now.timestamp()):
        return False
    alerts = fleet_alerts.store(conn, kiosk_id, fleet_alerts.stored(shown), row["alerts"] if row is not None else None)
    conn.execute(
        "INSERT INTO fleet_kiosks (kiosk_id, group_name, heartbeat, sent_at, received_at, received_ts, app_version, "
        "config_version, first_seen_at, alerts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kiosk_id) DO UPDATE SET "
        "group_name = excluded.group_name, heartbeat = excluded.heartbeat, sent_at = excluded.sent_at, "
        "received_at = excluded.received_at, received_ts = excluded.received_ts, app_version = excluded.app_version, "
        "config_version = excluded.config_version, alerts = excluded.alerts",
        (kiosk_id, heartbeat.group, dumps(shown), heartbeat.sent_at, at, now.timestamp(), heartbeat.app_version,
         heartbeat.config.installed_version, at, alerts),
    )
    return True


def _instant(text: str) -> float | None:
    """Seconds since the epoch of an ISO 8601 time with an offset; None for anything else."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.timestamp() if moment.tzinfo else None


def _as_of(sent_at: str, received_ts: float) -> float:
    """When a stored heartbeat counts as made: its kiosk time, but never later than its arrival."""
    sent = _instant(sent_at)
    return received_ts if sent is None else min(sent, received_ts)


def record_report(conn: Transaction, kiosk_id: str, report: BundleReport, now: datetime) -> None:
    """Keep what a kiosk did with a bundle (applied, refused with its reason, rolled back)."""
    conn.execute("INSERT INTO fleet_reports (kiosk_id, version, outcome, reason, message, group_name, at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (kiosk_id, report.version, report.outcome, redact(report.reason), redact(report.message), report.group,
                  now.isoformat(timespec="seconds")))
    conn.execute("DELETE FROM fleet_reports WHERE kiosk_id = ? AND seq NOT IN (SELECT seq FROM fleet_reports "
                 "WHERE kiosk_id = ? ORDER BY seq DESC LIMIT ?)", (kiosk_id, kiosk_id, KEPT_REPORTS))
    level = logging.WARNING if report.outcome in ("refused", "rolled_back") else logging.INFO
    log.log(level, "kiosk %s %s bundle version %s %s", kiosk_id, report.outcome, report.version, report.reason)


# -- bundles and the roll-out ------------------------------------------------------------------------

def document_bytes(document: dict[str, Any]) -> bytes:
    """The one file layout the gateway stores and serves (the signature does not depend on it)."""
    try:
        text = json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise Problem(422, "malformed", "the bundle is not plain JSON") from None
    return (text + "\n").encode("utf-8")


_REFUSAL_STATUS = {"not_newer": 409}


def publish(conn: Transaction, data: bytes, group: str, keys: KeyRing, now: datetime) -> dict[str, Any]:
    """Accept a signed bundle for roll-out to ``group`` (``*``: everyone at once).

    Refuses (``Problem``) a bundle that is malformed, oversized, unsigned, signed by a key the
    gateway does not trust, expired, not meant for ``group``, not newer than everything published,
    or whose files fail the schema. Publishing exactly the same bundle again changes nothing.
    """
    if not len(keys):
        raise Problem(409, "no_trusted_keys", "the gateway trusts no signing key yet; add one with "
                                              "`kiosk-gateway admin trust-key` or --trusted-key")
    digest = hashlib.sha256(data).hexdigest()
    same = conn.one("SELECT * FROM fleet_bundles WHERE digest = ?", (digest,))
    if same is not None:
        return rollout_view(conn, same)
    try:
        header = parse(data).header
    except BundleRefused as exc:
        raise Problem(422, str(exc.reason), exc.message) from None
    taken = conn.one("SELECT digest FROM fleet_bundles WHERE version = ?", (header.config_version,))
    if taken is not None:
        raise Problem(409, "version_taken", f"version {header.config_version} was already published with other "
                                            f"content; build the change as a higher version")
    highest = conn.row("SELECT max(version) AS v FROM fleet_bundles")["v"] or 0
    try:
        bundle = verify(data, keys, highest, None, now)
    except BundleRefused as exc:
        raise Problem(_REFUSAL_STATUS.get(str(exc.reason), 422), str(exc.reason), exc.message,
                      {"version": exc.version}) from None
    if group != ALL_GROUPS and not bundle.header.targets(group):
        raise Problem(422, "wrong_group", f"version {bundle.version} is signed for group(s) "
                                          f"{', '.join(bundle.header.groups)}; kiosks in {group!r} would refuse it")
    at = now.isoformat(timespec="seconds")
    # an unpromoted canary bundle of this group is overtaken by the new one
    conn.execute("UPDATE fleet_bundles SET stage = 'superseded' WHERE stage = 'canary' AND published_to = ?", (group,))
    if group == ALL_GROUPS:
        conn.execute("UPDATE fleet_bundles SET stage = 'superseded' WHERE stage = 'everyone'")
    conn.execute(
        "INSERT INTO fleet_bundles (version, digest, key_id, groups, files, expires_at, bundle, published_to, stage, "
        "published_at, promoted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (bundle.version, digest, bundle.header.key_id, dumps(list(bundle.header.groups)), dumps(sorted(bundle.files)),
         format_time(bundle.header.expires_at), data, group, "everyone" if group == ALL_GROUPS else "canary", at,
         at if group == ALL_GROUPS else None),
    )
    log.info("bundle version %d (key %s) published to %s", bundle.version, bundle.header.key_id, group,
             extra={"event": "bundle_published"})
    return rollout_view(conn, conn.one("SELECT * FROM fleet_bundles WHERE version = ?", (bundle.version,)))


def promote(conn: Transaction, version: int, now: datetime) -> dict[str, Any]:
    """Move a canary bundle to everyone (every group its signed header targets)."""
    row = conn.one("SELECT * FROM fleet_bundles WHERE version = ?", (version,))
    if row is None:
        raise Problem(404, "no_such_bundle", f"no published bundle with version {version}")
    if row["stage"] == "everyone":
        return rollout_view(conn, row)
    if row["stage"] != "canary":
        raise Problem(409, "superseded", f"version {version} was overtaken by a newer bundle; promote that one")
    current = conn.row("SELECT max(version) AS v FROM fleet_bundles WHERE stage = 'everyone'")["v"] or 0
    if current > version:
        raise Problem(409, "older_than_everyone", f"everyone already has version {current}")
    conn.execute("UPDATE fleet_bundles SET stage = 'superseded' WHERE stage = 'everyone'")
    conn.execute("UPDATE fleet_bundles SET stage = 'everyone', promoted_at = ? WHERE version = ?",
                 (now.isoformat(timespec="seconds"), version))
    log.info("bundle version %d promoted to everyone", version, extra={"event": "bundle_promoted"})
    return rollout_view(conn, conn.one("SELECT * FROM fleet_bundles WHERE version = ?", (version,)))


def bundle_for(conn: Transaction, group: str, installed: int) -> tuple[int, bytes] | None:
    """The newest bundle ``group`` may have now, if it is above ``installed``; else None."""
    version = version_for(conn, group, installed)
    if version is None:
        return None
    row = conn.one("SELECT bundle FROM fleet_bundles WHERE version = ?", (version,))
    return (version, bytes(row["bundle"])) if row is not None else None


def version_for(conn: Transaction, group: str, installed: int) -> int | None:
    """The version :func:`bundle_for` would send, without reading any bundle (a poll with nothing newer)."""
    rows = conn.all("SELECT version, groups FROM fleet_bundles WHERE version > ? "
                    "AND (stage = 'everyone' OR (stage = 'canary' AND published_to = ?)) ORDER BY version DESC",
                    (installed, group))
    for row in rows:
        groups = loads(row["groups"])
        if ALL_GROUPS in groups or group in groups:
            return int(row["version"])
    return None


def rollout_view(conn: Transaction, row: Any) -> dict[str, Any]:
    version = int(row["version"])
    applied = conn.row("SELECT count(*) AS n FROM fleet_kiosks WHERE config_version = ?", (version,))["n"]
    refused = conn.row("SELECT count(DISTINCT kiosk_id) AS n FROM fleet_reports WHERE version = ? AND outcome IN "
                       "('refused', 'rolled_back')", (version,))["n"]
    return {"version": version, "digest": row["digest"], "key_id": row["key_id"], "groups": loads(row["groups"]),
            "files": loads(row["files"]), "stage": row["stage"], "published_to": row["published_to"],
            "published_at": row["published_at"], "promoted_at": row["promoted_at"], "expires_at": row["expires_at"],
            "applied": applied, "refused": refused}


def rollouts(conn: Transaction, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.all("SELECT * FROM fleet_bundles ORDER BY version DESC LIMIT ?", (limit,))
    return [rollout_view(conn, row) for row in rows]

"""`kiosk-admin publish`: upload a signed bundle to the hall gateway for one roll-out group.

Before sending, the bundle is checked as the group's kiosks would check it, and its version is
compared with the newest on the gateway: a version more than ``MAX_VERSION_JUMP`` above it is
refused unless ``--allow-version-jump`` (kiosks never go below a version they accepted).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any

from config.admin_cli import (
    OK,
    PUBLISH_PATH,
    REFUSED,
    ROLLOUTS_PATH,
    TOKEN_ENV,
    UNREACHABLE,
    USAGE,
    Failure,
    _check_jump,
    _parse_for_admin,
    _read_bundle,
)
from config.bundle import format_time


def publish(args: argparse.Namespace) -> int:
    if not args.gateway.startswith(("http://", "https://")):
        raise Failure(USAGE, f"--gateway must be an http:// or https:// URL, got {args.gateway!r}")
    token = args.admin_token or os.environ.get(TOKEN_ENV, "")
    if not token:
        raise Failure(USAGE, f"an admin token is needed: --admin-token TOKEN or ${TOKEN_ENV}")
    data = _read_bundle(args.file)
    bundle = _parse_for_admin(args.file)
    if bundle.signature is None:
        raise Failure(USAGE, f"{args.file} is not signed; run `kiosk-admin bundle sign {args.file} --key NAME.key`")
    if not bundle.header.targets(args.group):
        raise Failure(USAGE, f"the bundle is for group(s) {', '.join(bundle.header.groups)}, not {args.group!r}; "
                             f"every kiosk in {args.group!r} would refuse it")
    if datetime.now(UTC) >= bundle.header.expires_at:
        raise Failure(REFUSED, f"the bundle expired at {format_time(bundle.header.expires_at)}; build a new one")

    import requests  # only this command needs the network

    newest = _newest_published(args, token)
    if newest is not None:
        _check_jump(bundle.header.config_version, newest, f"newest on {args.gateway}", args.allow_version_jump)
    url = args.gateway.rstrip("/") + PUBLISH_PATH
    body = {"group": args.group, "bundle": json.loads(data)}
    try:
        response = requests.post(url, json=body, timeout=(min(5.0, args.timeout), args.timeout),
                                 headers={"Authorization": f"Bearer {token}"})
    except requests.exceptions.RequestException as exc:
        raise Failure(UNREACHABLE, f"gateway {args.gateway} unreachable: {type(exc).__name__}: {exc}") from None
    if response.status_code >= 400:
        raise Failure(REFUSED, f"gateway refused the bundle (HTTP {response.status_code}): {_reason(response)}")
    print(f"published {args.file} (version {bundle.header.config_version}) to group {args.group} "
          f"at {args.gateway} (HTTP {response.status_code})")
    return OK


def _newest_published(args: argparse.Namespace, token: str) -> int | None:
    """The highest version on the gateway (0 when none), or None when it cannot say (said on stderr)."""
    import requests

    try:
        answer = requests.get(args.gateway.rstrip("/") + ROLLOUTS_PATH, timeout=(min(5.0, args.timeout), args.timeout),
                              headers={"Authorization": f"Bearer {token}"})
        versions = [int(item["version"]) for item in answer.json()] if answer.status_code == 200 else None
    except requests.exceptions.RequestException:
        return None  # unreachable: publishing says so
    except (ValueError, TypeError, KeyError):
        versions = None
    if versions is None:
        print(f"kiosk-admin: warning: the gateway did not list its roll-outs (HTTP {answer.status_code}); the "
              f"version jump was not checked against it", file=sys.stderr)
        return None
    return max(versions, default=0)


def _reason(response: Any) -> str:
    """The gateway's own words (``code: message`` of its error body), else a hint from the status."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and ("message" in body or "code" in body):
        return f"{body.get('code', 'error')}: {body.get('message', '')}".strip()
    hints = {401: "admin token missing or wrong", 403: "this token may not publish bundles",
             404: f"no {PUBLISH_PATH} endpoint on this gateway (is it up to date?)",
             413: "bundle too large for the gateway"}
    return hints.get(response.status_code, (response.text or response.reason or "no reason given")[:200])



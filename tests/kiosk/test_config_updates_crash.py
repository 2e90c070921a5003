"""Crash safety of bundle apply: SIGKILL a process applying bundles at random moments.

After every kill, the next start must find an intact, trusted bundle (never a half-written one),
at least as new as the last one confirmed, and no trial left hanging.
"""

from __future__ import annotations

import logging
import os
import random
import select
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config.bundle import build, public_key_text
from config.catalogue import DEFAULT_CATALOGUE
from kiosk.fleet.config_updates import BundleStore
from kiosk.system.clock import SettableClock

CHILD = Path(__file__).with_name("bundle_crash_child.py")
RUNS = 30
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _lines_until_killed(child: subprocess.Popen, rng: random.Random) -> list[str]:
    want, buffer, lines = rng.randint(1, 25), b"", []
    fd = child.stdout.fileno()
    deadline = time.monotonic() + 20
    while sum(line.startswith("confirmed") for line in lines) < want and "done" not in lines:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        lines += [line.decode() for line in complete]
    time.sleep(rng.uniform(0, 0.01))  # land the kill anywhere inside the next stage/apply/confirm
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    rest = (buffer + child.stdout.read()).decode().split("\n")[:-1]  # a line cut by the kill does not count
    return lines + rest


@pytest.mark.slow
def test_sigkill_while_applying_never_leaves_a_broken_configuration(tmp_path: Path, caplog) -> None:
    rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    key = Ed25519PrivateKey.generate()
    trusted = public_key_text(key.public_key())
    bundles = tmp_path / "bundles-to-send"
    bundles.mkdir()
    catalogue = DEFAULT_CATALOGUE.read_text(encoding="utf-8")  # ~12 kB, so a write spans several pages
    for version in range(1, 800):
        files = {"catalogue.toml": catalogue, "settings.toml": f"[timeouts]\nidle_timeout_s = {10 + version % 500}\n"}
        bundle, _ = build(files, version=version, issued_at=NOW - timedelta(hours=1),
                          expires_at=NOW + timedelta(days=30), groups=["canary"])
        (bundles / f"{version:04d}.json").write_bytes(bundle.signed_with(key).to_bytes())

    state = tmp_path / "state"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    confirmed = 0
    for _run in range(RUNS):
        child = subprocess.Popen([sys.executable, str(CHILD), str(state), str(bundles), trusted],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        lines = _lines_until_killed(child, rng)
        stderr = child.stderr.read().decode()
        child.stdout.close()
        child.stderr.close()
        assert "Traceback" not in stderr, stderr
        confirmed = max([confirmed] + [int(line.split()[1]) for line in lines if line.startswith("confirmed")])

        with caplog.at_level(logging.ERROR, logger="fleet"):
            store = BundleStore(state, [trusted], "canary", SettableClock(NOW))
            config = store.config_for_start()
        assert "can no longer be trusted" not in caplog.text, "a kept bundle was damaged by the kill"
        installed = store.installed()
        if confirmed:
            assert installed is not None and installed.version >= confirmed
            assert config.timeouts is not None and config == installed.config
        assert store.awaiting_confirmation() is None
        assert store.installed_version <= store.accepted_version
        assert not list(store.folder.glob(".*.tmp"))
    assert confirmed > RUNS  # the loop really did work between the kills

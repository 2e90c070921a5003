"""What the kiosk imports before its first frame: nothing it only needs later (pydantic among them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = ("pydantic", "pydantic_core", "kiosk.gateway_client", "offline_cache", "devices", "escpos", "serial")
"""Packages the home screen does not need: the start-up hooks after the first frame bring them in (the gateway
contract's models with pydantic; the few rules of ``contract/`` written without it, such as masking, may come)."""


def test_the_first_frame_needs_neither_pydantic_nor_the_gateway_client(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_EXIT_AFTER_FIRST_FRAME="1")
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kiosk", "run", "--demo", "--windowed",
                           "--state-dir", str(tmp_path / "state")], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.startswith('{"event": "first_frame"')]
    assert reports, f"no first frame (exit {done.returncode}): {done.stderr[-2000:]}"
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert {"config.local", "screens.main_window"} <= imported  # the list is read right
    early = sorted(name for name in imported if any(name == p or name.startswith(f"{p}.") for p in LATER))
    assert early == []

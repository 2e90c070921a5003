"""``--xvfb``: a benchmark re-run on Qt's xcb platform under a private Xvfb; a clear message without Xvfb."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from benchmark_import import benchmark_module

ROOT = Path(__file__).resolve().parents[2]


def _xvfb_module():
    return benchmark_module("xvfb")


def test_without_xvfb_the_benchmark_says_how_to_install_it(monkeypatch) -> None:
    xvfb = _xvfb_module()
    monkeypatch.setattr(xvfb.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as stopped:
        xvfb.rerun_under_xvfb(["-c", "pass"])
    assert "Xvfb is not installed" in str(stopped.value) and "KIOSK_WITH_X11=1" in str(stopped.value)


def test_the_child_draws_on_xcb_under_its_own_display(tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is installed by KIOSK_WITH_X11=1 bash scripts/bootstrap.sh")
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "import xvfb\n"
        "xvfb.maybe_rerun()\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "label = QLabel('x'); label.show(); app.processEvents()\n"
        "print(app.platformName(), os.environ['DISPLAY'], xvfb.platform())\n")
    done = subprocess.run([sys.executable, str(probe), "--xvfb"], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")})
    assert done.returncode == 0, done.stderr[-2000:]
    platform, display, described = done.stdout.split(maxsplit=2)
    assert platform == "xcb" and display.startswith(":")
    assert "Xvfb" in described and "1080x1920" in described

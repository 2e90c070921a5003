"""The Chromium --kiosk anchor: both launches in one run under Xvfb; a clear message without Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from benchmark_import import benchmark_module

ROOT = Path(__file__).resolve().parents[2]
FIGURE = re.compile(r"^FIGURE .+: -?[0-9.]+ .*\| baseline .+ \| ratio .+ \| target .+ \| (PASS|MISS)$", re.M)


def _anchor():
    return benchmark_module("bench_chromium_anchor")


def test_without_chromium_it_says_how_to_install_it(monkeypatch) -> None:
    anchor = _anchor()
    monkeypatch.setattr(anchor.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as stopped:
        anchor.chromium()
    assert "Chromium is not installed" in str(stopped.value) and "apt-get install chromium" in str(stopped.value)


def test_the_page_server_serves_the_home_page_its_pictograms_and_hears_ready() -> None:
    anchor = _anchor()
    server = anchor.PageServer()
    try:
        page = urllib.request.urlopen(server.url, timeout=5).read().decode()
        assert "厦门市行政服务中心" in page and page.count('class="tile"') == 6
        for name in re.findall(r'src="/pictograms/([a-z0-9-]+\.svg)"', page):
            picture = urllib.request.urlopen(server.url + "pictograms/" + name, timeout=5).read()
            assert b"<svg" in picture and b"currentColor" not in picture
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.url + "pictograms/no-such-picture.svg", timeout=5)
        assert not server.ready.is_set()
        urllib.request.urlopen(server.url + "ready", timeout=5).read()
        assert server.ready.is_set()
    finally:
        server.shutdown()
        server.server_close()


def test_one_run_of_each_prints_both_figures(tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None or not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("needs Xvfb and Chromium: KIOSK_WITH_X11=1 bash scripts/bootstrap.sh; apt-get install chromium")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_chromium_anchor.py"), "--runs", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(FIGURE.findall(done.stdout)) == 2, done.stdout
    assert "Chromium --kiosk" in done.stdout

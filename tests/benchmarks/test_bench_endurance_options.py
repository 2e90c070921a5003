"""The endurance benchmark's journey filter and its glibc heap reading."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_endurance.py"), *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)


def test_one_journey_only_and_heap_figures(tmp_path: Path) -> None:
    done = _run("--sessions", "4", "--samples", "2", "--journeys", "payment", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "FIGURE glibc heap in use growth" in done.stdout
    assert "FIGURE memory (anonymous) growth after warm-up" in done.stdout
    start = next(line for line in done.stdout.splitlines() if "at start:" in line)
    assert float(start.split("heap_used_mb ")[1].split(",")[0]) > 1  # mallinfo2 was read


def test_an_unknown_journey_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    done = _run("--sessions", "4", "--journeys", "payment,teleport", tmp_path=tmp_path)
    assert done.returncode == 2
    assert "unknown journeys teleport" in done.stderr and "queue_ticket" in done.stderr

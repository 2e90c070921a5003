"""Each benchmark script runs with tiny parameters and prints its figure lines (no timing asserts:
machines are noisy; the scripts report PASS/MISS themselves)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from benchmark_import import benchmark_module

ROOT = Path(__file__).resolve().parents[2]
FIGURE = re.compile(r"^FIGURE .+: -?[0-9.]+ .*\| baseline .+ \| ratio .+ \| target .+ \| (PASS|MISS)$", re.M)

CASES = {
    "bench_startup.py": (["--runs", "1", "--skip-pss"], 3),
    "bench_responsiveness.py": (["--repeats", "1", "--settle", "0"], 3),
    "bench_printing.py": (["--tickets", "1"], 1),
    "bench_card.py": (["--cards", "2", "--skip-comparison"], 2),  # two: the second visit starts after the first
    "bench_endurance.py": (["--sessions", "7", "--samples", "2"], 6),
    "bench_fleet.py": (["--kiosks", "300", "--duration", "2", "--warm-rate", "100", "--ramp", "20", "--ramp-step-s", "1",
                        "--overload-s", "1"], 16),
    "bench_documents.py": (["--repeats", "1"], 2),
    "bench_offline_store.py": (["--entries", "300", "--lookups", "100", "--appends", "20", "--replays", "20"], 0),
}


@pytest.mark.parametrize("script", sorted(CASES))
def test_benchmark_runs_and_prints_its_figures(script: str, tmp_path: Path) -> None:
    args, figures = CASES[script]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    if figures:
        assert len(FIGURE.findall(done.stdout)) >= figures, done.stdout
    else:  # the offline-store benchmark predates the shared figure format
        assert "target" in done.stdout and "ratio" in done.stdout, done.stdout


def test_figure_line_has_value_baseline_ratio_and_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    report = benchmark_module("report")
    figure, markdown_table, percentile = report.figure, report.markdown_table, report.percentile
    line = figure("demo", 30.0, "ms", baseline=10.0, target="<= 40 ms", passed=True).line()
    assert line == "FIGURE demo: 30.0 ms | baseline 10.0 ms | ratio 3.00x | target <= 40 ms | PASS"
    assert "MISS" in figure("demo", 50.0, "ms", target="<= 40 ms", passed=False).line()
    assert percentile([5, 1, 4, 2, 3], 0.95) == 5 and percentile([5, 1, 4, 2, 3], 0.5) == 3
    with pytest.raises(ValueError):
        percentile([], 0.5)
    assert FIGURE.search(capsys.readouterr().out)
    table = markdown_table(figure("RSS (no page shared: PSS's ceiling)", 129.0, "MB", target="(info)", passed=True).line())
    assert table.splitlines()[-1] == "| RSS (no page shared: PSS's ceiling) | 129 MB | - | - | (info) | PASS |"

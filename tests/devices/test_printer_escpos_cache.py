"""python-escpos's printer database: parsed once into the kiosk's state directory, never a temp dir left behind.

Each case runs in a fresh interpreter: the cache location is chosen once per process, before the
library is first imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_ONE = """
import sys
from devices.printer.driver import ReceiptPrinter
from devices.printer.escpos_output import build_job
from devices.printer.layout import Cut, Receipt, Text
from devices.printer.profile import PROFILES

profile = next(iter(PROFILES.values()))
ReceiptPrinter(object(), profile=profile, state_dir=sys.argv[1])
job = build_job(Receipt("ticket", [Text("A001 请取号"), Cut()]), profile)
assert job.data, "no bytes"
print("printed", len(job.data))
"""


def _run(state_dir: Path | str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env["TMPDIR"] = str(tmp)
    return subprocess.run([sys.executable, "-c", PRINT_ONE, str(state_dir)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_the_database_is_kept_in_the_state_directory_and_no_temp_folder_is_left(tmp_path):
    state, tmp = tmp_path / "state", tmp_path / "tmp"
    tmp.mkdir()
    first = _run(state, tmp)
    assert first.returncode == 0, first.stderr
    cached = list((state / "escpos").glob("*.capabilities.pickle"))
    assert len(cached) == 1 and cached[0].stat().st_size > 1000
    second = _run(state, tmp)
    assert second.returncode == 0, second.stderr
    assert list(tmp.iterdir()) == []


def test_a_damaged_cache_is_read_again_not_a_printer_that_cannot_print(tmp_path):
    state, tmp = tmp_path / "state", tmp_path / "tmp"
    tmp.mkdir()
    assert _run(state, tmp).returncode == 0
    (cached,) = (state / "escpos").glob("*.capabilities.pickle")
    cached.write_bytes(cached.read_bytes()[:100])  # a start cut off while it was written
    again = _run(state, tmp)
    assert again.returncode == 0 and "printed" in again.stdout, again.stderr
    assert "damaged" in again.stderr
    assert cached.stat().st_size > 1000


def test_an_unwritable_state_directory_uses_a_temporary_folder_removed_at_exit(tmp_path):
    blocked, tmp = tmp_path / "blocked", tmp_path / "tmp"
    blocked.write_text("a file where the state directory should be")
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env["TMPDIR"] = str(tmp)
    script = PRINT_ONE.replace("ReceiptPrinter(object(), profile=profile, state_dir=sys.argv[1])",
                               "from devices.printer import escpos_library; escpos_library.keep_cache_in(sys.argv[1])")
    result = subprocess.run([sys.executable, "-c", script, str(blocked)], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0 and "printed" in result.stdout, result.stderr
    assert "cannot be kept" in result.stderr
    assert list(tmp.iterdir()) == []


WRITE_CACHE = """
import sys
from devices.printer import escpos_library

escpos_library.keep_cache_in(sys.argv[1])
escpos_library.write_cache()
assert "escpos" not in sys.modules, "the library itself stays out of this process"
print("cached")
"""


def test_the_database_is_cached_by_a_child_process_without_loading_the_library_here(tmp_path):
    state, tmp = tmp_path / "state", tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env["TMPDIR"] = str(tmp)
    done = subprocess.run([sys.executable, "-c", WRITE_CACHE, str(state)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0 and "cached" in done.stdout, done.stderr
    cached = list((state / "escpos").glob("*.capabilities.pickle"))
    assert len(cached) == 1 and cached[0].stat().st_size > 1000
    assert list(tmp.iterdir()) == []
    printed = _run(state, tmp)  # the first load reads that cache
    assert printed.returncode == 0 and "printed" in printed.stdout, printed.stderr

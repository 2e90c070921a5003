"""The kiosk's installed version, read from its dist-info without importlib.metadata."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from kiosk.system.installed_version import installed_version, kiosk_version


def test_the_kiosk_version_is_what_importlib_metadata_says() -> None:
    assert kiosk_version() == metadata.version("xm-hall-kiosk") != "unknown"


def test_any_spelling_of_the_name_finds_the_distribution_and_a_missing_one_is_unknown(tmp_path: Path) -> None:
    info = tmp_path / "Some_Tool-2.5.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: some-tool\nVersion: 2.5.1\n\nVersion: 9\n")
    for name in ("some-tool", "Some.Tool", "some__tool"):
        assert installed_version(name, [str(tmp_path)]) == "2.5.1"
    assert installed_version("other-tool", [str(tmp_path)]) == "unknown"


def test_damaged_or_missing_metadata_and_odd_path_entries_give_unknown(tmp_path: Path) -> None:
    (tmp_path / "broken-1.0.dist-info").mkdir()  # no METADATA file
    no_version = tmp_path / "bare-1.0.dist-info"
    no_version.mkdir()
    (no_version / "METADATA").write_bytes(b"Name: bare\n\nVersion: 1.0 in the body, not a header\n\xff\xfe")
    paths = [str(tmp_path / "nowhere"), str(tmp_path / "a-file.zip"), str(tmp_path)]
    assert installed_version("broken", paths) == "unknown"
    assert installed_version("bare", paths) == "unknown"


def test_the_kiosk_process_does_not_load_importlib_metadata_for_it() -> None:
    code = ("import sys; from kiosk.system.installed_version import kiosk_version; v = kiosk_version(); "
            "print(v, 'importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] != "unknown" and out[1] == "False"

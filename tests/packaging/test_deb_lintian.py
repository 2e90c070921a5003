"""Debian's own checks pass: lintian finds no error in the package (nor a warning it was not told
about, with the reason, in the shipped overrides); copyright and changelog are where Debian wants them."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
PACKAGE = PROJECT["name"]


def lintian() -> str:
    """lintian's path; installs Debian's package when it is missing (as root, as in CI)."""
    found = shutil.which("lintian")
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("lintian is not installed and cannot be (needs root and apt-get): apt-get install lintian")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=300)
    result = subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "lintian"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return shutil.which("lintian") or pytest.fail("apt-get installed lintian but it is not on PATH")


def test_lintian_finds_no_error_and_no_unexplained_warning(deb: Path) -> None:
    result = subprocess.run([lintian(), "--pedantic", "--info", "--fail-on", "error,warning", str(deb)],
                            capture_output=True, text=True, timeout=300)
    tags = [line for line in result.stdout.splitlines() if re.match(r"^[EW]: ", line)]
    assert tags == [], "\n".join(tags)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_lintian_override_says_why(root: Path) -> None:
    lines = (root / f"usr/share/lintian/overrides/{PACKAGE}").read_text().splitlines()
    above = ""  # the line above the block of overrides a line belongs to
    for line in lines:
        if line.startswith(f"{PACKAGE}: "):
            assert above.startswith("# "), f"no reason above: {line}"
        else:
            above = line


def test_copyright_is_machine_readable_and_states_the_terms(root: Path) -> None:
    text = (root / f"usr/share/doc/{PACKAGE}/copyright").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
    named = set(re.findall(r"^License: (\S+)$", text, re.M))
    for paragraph in paragraphs:
        if paragraph.startswith("Files:"):
            licence = re.search(r"^License: (.+)$", paragraph, re.M)[1]
            for name in re.split(r" (?:or|and) ", licence):
                assert name in named, f"no stand-alone paragraph for licence {name!r}"
    assert re.search(r"^Files: \*\nCopyright: .*Xiamen Administrative Service Center\nLicense: proprietary-xmzwfw$",
                     text, re.M)
    assert "All rights reserved." in text


def test_bundled_wheels_are_listed_with_their_licences(tmp_path: Path) -> None:
    """copyright_wheels.py on wheels made here: the licence each declares, its text's place."""
    import zipfile

    def wheel(name: str, metadata: str) -> None:
        with zipfile.ZipFile(tmp_path / f"{name}-1.0-py3-none-any.whl", "w") as archive:
            archive.writestr(f"{name}-1.0.dist-info/METADATA", f"Metadata-Version: 2.4\nName: {name}\n"
                             f"Version: 1.0\nAuthor: Someone\n{metadata}\n")

    wheel("qtlike", "License: LGPL-3.0-only OR GPL-3.0-only")
    wheel("classic", "Classifier: License :: OSI Approved :: MIT License")
    wheel("modern", "License-Expression: Apache-2.0 OR BSD-3-Clause")
    wheel("silent", "")
    wheel("xm_hall_kiosk", "License: Proprietary")
    result = subprocess.run(["python3", REPO / "packaging/copyright_wheels.py", tmp_path, PACKAGE],
                            capture_output=True, text=True, check=True)
    licences = dict(re.findall(r"^Files: opt/kiosk/wheels/(\w+)-1\.0-py3-none-any\.whl\n"
                               r"Copyright: .*\nLicense: (.+)$", result.stdout, re.M))
    assert licences == {"qtlike": "LGPL-3.0-only or GPL-3.0-only", "classic": "MIT",
                        "modern": "Apache-2.0 or BSD-3-Clause", "silent": "unknown"}
    assert "/usr/share/common-licenses/LGPL-3" in result.stdout


def test_changelog_is_compressed_and_heads_with_this_version(root: Path, control_dir: Path) -> None:
    version = re.search(r"^Version: (.+)$", (control_dir / "control").read_text(), re.M)[1]
    with gzip.open(root / f"usr/share/doc/{PACKAGE}/changelog.Debian.gz", "rt", encoding="utf-8") as log:
        text = log.read()
    assert text.startswith(f"{PACKAGE} ({version}) bookworm; urgency=medium\n")
    assert re.search(r"^ -- .+ <.+@.+>  \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$", text, re.M)


def test_maintained_changelog_has_an_entry_for_the_application_version() -> None:
    first = (REPO / "packaging/debian/changelog").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"{PACKAGE} ({PROJECT['version']}-"), "add a packaging/debian/changelog entry"


def test_maintainer_can_be_set_for_a_build(tmp_path: Path) -> None:
    env = {**os.environ, "DEB_MAINTAINER": "Hall IT <it@hall.example.cn>"}
    result = subprocess.run(["bash", REPO / "packaging/build-deb.sh", "--fast", "--out", tmp_path],
                            capture_output=True, text=True, env=env, timeout=170)
    assert result.returncode == 0, result.stderr
    field = subprocess.run(["dpkg-deb", "--field", result.stdout.strip(), "Maintainer"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert field == "Hall IT <it@hall.example.cn>"

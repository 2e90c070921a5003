"""The lock files pin, with hashes, every runtime dependency the package's wheels must satisfy."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
LOCKS = {arch: REPO / f"packaging/requirements-{arch}.lock" for arch in ("amd64", "arm64")}
KIOSK_PYTHON = {"python_version": "3.11", "python_full_version": "3.11.2", "sys_platform": "linux",
                "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
                "platform_python_implementation": "CPython"}


def pins(lock: Path) -> dict[str, tuple[Version, list[str]]]:
    """name → (pinned version, sha256 hashes) of every entry of a lock file."""
    entries: dict[str, tuple[Version, list[str]]] = {}
    text = lock.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, *options = line.split(" --hash=")
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", requirement.strip())
        assert match, f"{lock.name}: not pinned with ==: {line[:80]}"
        hashes = [h.split()[0] for h in options]
        entries[canonicalize_name(match[1])] = (Version(match[2]), hashes)
    return entries


def runtime_requirements() -> list[Requirement]:
    """pyproject.toml's dependencies and what their requested extras add (from the installed metadata)."""
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    for requirement in list(wanted):
        for extra in requirement.extras:
            for line in metadata.requires(requirement.name) or []:
                extra_requirement = Requirement(line)
                if extra_requirement.marker and extra_requirement.marker.evaluate({**KIOSK_PYTHON, "extra": extra}):
                    wanted.append(extra_requirement)
    return wanted


@pytest.mark.parametrize("arch", sorted(LOCKS))
def test_lock_pins_every_runtime_dependency_with_hashes(arch: str) -> None:
    locked = pins(LOCKS[arch])
    for requirement in runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{LOCKS[arch].name} lacks {name}: run packaging/lock-requirements.sh"
        version, _hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), \
            f"{LOCKS[arch].name}: {name}=={version} does not satisfy {requirement}; run packaging/lock-requirements.sh"
    assert "pyusb" in locked  # python-escpos[usb]: the shipped configuration names a USB printer
    for name, (_version, hashes) in locked.items():
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_locks_hold_no_test_tools() -> None:
    test_only = {canonicalize_name(Requirement(r).name) for r in PROJECT["optional-dependencies"]["test"]}
    for lock in LOCKS.values():
        assert test_only & set(pins(lock)) == set(), lock.name


def test_build_downloads_exactly_the_lock() -> None:
    build = (REPO / "packaging/build-deb.sh").read_text()
    assert re.search(r'lock="\$src/packaging/requirements-\$arch\.lock"', build)
    download = re.search(r'-m pip download .*?-r "\$lock"', build, re.S)[0]
    assert "--require-hashes" in download and "--no-deps" in download

"""The virtual kiosk's disk: a clean Debian 12 (cached), the package installed by apt, an admin's settings.

The base system comes from ``base-image.sh`` and is kept in the cache under the digest of that
recipe, so it is built once per machine and again only when the recipe changes. Each run copies
it, installs the package under test with ``apt-get install ./package.deb`` exactly as the README
tells a hall admin (a missing Depends fails here), writes the admin's configuration, and packs
the tree into an ext4 image the virtual machine boots from.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECIPE = HERE / "base-image.sh"
DISK_SIZE = "8G"


def say(message: str) -> None:
    print(f"deploy: {message}", flush=True)


def run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def recipe_digest() -> str:
    return hashlib.sha256(RECIPE.read_bytes()).hexdigest()[:16]


def base_root(cache: Path) -> Path:
    """The cached clean Debian 12 tree, built now when the recipe is new."""
    root = cache / f"base-{recipe_digest()}"
    if (root / ".complete").exists():
        say(f"clean Debian 12 image: cached ({root.name})")
        return root
    for stale in cache.glob("base-*"):
        shutil.rmtree(stale, ignore_errors=True)
    building = cache / f".building-{recipe_digest()}"
    shutil.rmtree(building, ignore_errors=True)
    started = time.monotonic()
    say("clean Debian 12 image: building with debootstrap (once per machine and recipe)")
    with open(cache / "base-build.log", "wb") as log:  # debootstrap's long listing, kept for a failure
        run("bash", RECIPE, building, stdout=log, stderr=subprocess.STDOUT)
    (building / ".complete").touch()
    building.rename(root)
    say(f"clean Debian 12 image: built in {time.monotonic() - started:.0f} s")
    return root


def ssh_key(cache: Path) -> Path:
    """The staff key the test logs in with (made once per machine)."""
    key = cache / "ssh" / "id_ed25519"
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True)
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy-test", "-f", key)
    return key


@contextlib.contextmanager
def chroot_mounts(root: Path, apt_cache: Path) -> Iterator[None]:
    """/proc, /sys, /dev and the host's apt download cache inside ``root`` while apt runs there."""
    mounted: list[Path] = []
    try:
        for source, target, options in (
            ("proc", root / "proc", ["-t", "proc"]),
            ("sysfs", root / "sys", ["-t", "sysfs"]),
            ("/dev", root / "dev", ["--bind"]),
            ("/dev/pts", root / "dev/pts", ["--bind"]),
            (str(apt_cache), root / "var/cache/apt/archives", ["--bind"]),
        ):
            target.mkdir(parents=True, exist_ok=True)
            run("mount", *options, source, target)
            mounted.append(target)
        # Services must not start inside the image while it is being built (Debian's policy-rc.d).
        policy = root / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
        yield
    finally:
        (root / "usr/sbin/policy-rc.d").unlink(missing_ok=True)
        for target in reversed(mounted):
            subprocess.run(["umount", "-l", str(target)], check=False)


def install_package(root: Path, deb: Path, apt_cache: Path) -> str:
    """``apt-get install ./package.deb`` inside the image; returns apt's output."""
    (apt_cache / "partial").mkdir(parents=True, exist_ok=True)
    target = root / "var/cache/kiosk" / deb.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(deb, target)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive", "LANG": "C.UTF-8"}
    with chroot_mounts(root, apt_cache):
        run("chroot", root, "apt-get", "update", "-q", env=env, stdout=subprocess.DEVNULL)
        done = subprocess.run(
            ["chroot", str(root), "apt-get", "install", "-y", "-q", f"/var/cache/kiosk/{deb.name}"],
            env=env, capture_output=True, text=True,
        )
    if done.returncode != 0:
        raise RuntimeError(f"apt-get install of the package failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def copy_base(base: Path, root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    run("cp", "-a", "--reflink=auto", base, root)
    (root / ".complete").unlink(missing_ok=True)


def make_disk(root: Path, disk: Path) -> None:
    """An ext4 image holding ``root`` (no loop mount needed: mke2fs copies the tree itself)."""
    disk.unlink(missing_ok=True)
    run("mkfs.ext4", "-q", "-F", "-L", "kiosk-root", "-d", root, disk, DISK_SIZE, stdout=subprocess.DEVNULL)


def write(root: Path, path: str, text: str, mode: int = 0o644, owner: str | None = None) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    os.chmod(target, mode)
    if owner is not None:
        run("chroot", root, "chown", owner, path)

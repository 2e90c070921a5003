#!/usr/bin/env bash
# Builds the kiosk's Debian package with one command:
#
#   packaging/build-deb.sh [--fast] [--ref GIT_REF] [--revision N] [--out DIR] [--python PY]
#
#   --fast        leave out the dependency wheels (CI: checks the package layout in seconds; the
#                 result cannot be installed and is versioned ~fast so it never looks newer)
#   --ref REF     build exactly this commit (a release); default: the working tree as git sees
#                 it (tracked files plus new files that are not ignored)
#   --revision N  Debian revision (default 1): 0.1.0-N
#   --out DIR     where the .deb goes (default: dist/)
#   --python PY   Python used to build the wheels (default: .venv/bin/python, else python3)
# Prints the path of the .deb on stdout; everything else goes to stderr.
#
# How the application gets onto the kiosk, and why this way:
# the package carries a wheel of this project plus the wheels of every dependency
# (/opt/kiosk/wheels), and postinst creates the virtual environment on the kiosk with
# `pip install --no-index --find-links /opt/kiosk/wheels` — offline, nothing fetched at install
# time. A virtual environment is not relocatable (its scripts name their interpreter by absolute
# path, and it is bound to one Python build), so building it here and copying it would tie the
# package to this machine's Python; building it on the kiosk from wheels uses Debian 12's own
# python3 (3.11, pinned in Depends because the binary wheels are for cp311). Each build gets
# its own directory under /opt/kiosk/venvs and /opt/kiosk/venv is switched over in one rename,
# so an update never leaves a half-installed application behind the running kiosk, and the
# previous build stays until the next update. The wheels are platform wheels, so the package
# is for this machine's architecture.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

fast=0
ref=""
revision=1
out="$repo/dist"
python=""
while [ $# -gt 0 ]; do
    case "$1" in
        --fast|--no-vendor) fast=1 ;;
        --ref) ref=${2:?--ref needs a git ref}; shift ;;
        --revision) revision=${2:?--revision needs a number}; shift ;;
        --out) out=${2:?--out needs a directory}; shift ;;
        --python) python=${2:?--python needs an interpreter}; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-deb: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$revision" in
    ''|*[!0-9a-z.+~]*) echo "build-deb: --revision must look like 1 or 2+hall3, got '$revision'" >&2; exit 2 ;;
esac
if [ -z "$python" ]; then
    if [ -x "$repo/.venv/bin/python" ]; then python="$repo/.venv/bin/python"; else python=python3; fi
fi
for tool in dpkg-deb dpkg git tar; do
    command -v "$tool" >/dev/null || { echo "build-deb: '$tool' is needed (Debian: apt install dpkg-dev git tar)" >&2; exit 1; }
done

say() { echo "build-deb: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src="$work/src"
root="$work/root"
mkdir -p "$src" "$root"

# 1. The source: exactly one commit, or the working tree without ignored files (.venv, caches).
if [ -n "$ref" ]; then
    say "source: commit $(git -C "$repo" rev-parse --short "$ref^{commit}")"
    git -C "$repo" archive --format=tar "$ref" | tar -xf - -C "$src"
else
    say "source: working tree"
    # (files deleted but not yet committed are listed by git and skipped here)
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard --deduplicate \
        | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
        | tar --null -T - -cf -) | tar -xf - -C "$src"
fi

read -r package dist_version < <("$python" - "$src/pyproject.toml" <<'PY'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print(project["name"], project["version"])
PY
)
deb_version="$dist_version-$revision"
[ "$fast" = 1 ] && deb_version="$deb_version~fast"
arch=$(dpkg --print-architecture)
case "$arch" in
    amd64) wheel_arch=x86_64 ;;
    arm64) wheel_arch=aarch64 ;;
    *) echo "build-deb: no binary wheels for architecture '$arch' (amd64 and arm64 only)" >&2; exit 1 ;;
esac
say "package $package $deb_version ($arch)"

# 2. Wheels: this project, then (unless --fast) everything it depends on, for the kiosk's
#    Python (CPython 3.11 on Debian 12, glibc 2.36) rather than whatever Python builds it.
wheels="$root/opt/kiosk/wheels"
mkdir -p "$wheels"
"$python" -m pip wheel --quiet --no-deps --disable-pip-version-check -w "$wheels" "$src" >&2
project_wheel=$(ls "$wheels"/*.whl)
if [ "$fast" = 0 ]; then
    platforms=()
    # Debian 12 has glibc 2.36: every manylinux wheel up to 2_36 runs there.
    for minor in $(seq 36 -1 5); do platforms+=(--platform "manylinux_2_${minor}_$wheel_arch"); done
    for legacy in manylinux2014 manylinux2010 manylinux1; do platforms+=(--platform "${legacy}_$wheel_arch"); done
    say "downloading dependency wheels for cp311 / $wheel_arch"
    "$python" -m pip download --quiet --disable-pip-version-check --only-binary :all: \
        --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none \
        "${platforms[@]}" --dest "$wheels" "$project_wheel" >&2
fi
venv_id="$deb_version-$(cd "$wheels" && sha256sum -- *.whl | sha256sum | cut -c1-12)"

# 3. Files in their places (Debian 12: units and udev rules under /lib, the rest under /usr/lib).
put() {  # put MODE SOURCE DEST
    install -D -m "$1" "$here/$2" "$root/$3"
}
put 0644 systemd/kiosk.service          lib/systemd/system/kiosk.service
put 0644 systemd/kiosk-gateway.service  lib/systemd/system/kiosk-gateway.service
put 0644 systemd/logind-kiosk.conf      usr/lib/systemd/logind.conf.d/90-kiosk.conf
put 0644 systemd/system-kiosk.conf      usr/lib/systemd/system.conf.d/90-kiosk.conf
put 0644 udev/70-kiosk-devices.rules    lib/udev/rules.d/70-kiosk-devices.rules
put 0644 sysctl/90-kiosk-lockdown.conf  usr/lib/sysctl.d/90-kiosk-lockdown.conf
put 0644 modules-load/kiosk.conf        usr/lib/modules-load.d/kiosk.conf
put 0644 pam/kiosk                      etc/pam.d/kiosk
put 0644 config/kiosk.toml              etc/kiosk/kiosk.toml
put 0644 README.md                      usr/share/doc/"$package"/README.md
put 0644 usbguard/rules.conf            usr/share/doc/"$package"/examples/usbguard-rules.conf
mkdir -p "$root/usr/bin"
for command in kiosk kiosk-gateway kiosk-admin; do
    ln -s "/opt/kiosk/venv/bin/$command" "$root/usr/bin/$command"
done

# 4. Control files.
mkdir -p "$root/DEBIAN"
for script in postinst prerm postrm; do
    sed -e "s/@PACKAGE@/$package/g" -e "s/@DIST_VERSION@/$dist_version/g" -e "s/@VENV_ID@/$venv_id/g" \
        "$here/debian/$script" > "$root/DEBIAN/$script"
    chmod 0755 "$root/DEBIAN/$script"
done
printf '%s\n' /etc/kiosk/kiosk.toml /etc/pam.d/kiosk > "$root/DEBIAN/conffiles"
# What Qt's wheels link against on Debian 12 (ldd of QtCore/QtGui/QtWidgets and the wayland
# platform plugin), the compositor, and the Python the wheels are built for.
depends="python3 (>= 3.11), python3 (<< 3.12), python3-venv, adduser, systemd, udev, kmod, cage"
depends="$depends, libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0, libxkbcommon0, libdbus-1-3"
depends="$depends, libwayland-client0, libwayland-cursor0, libwayland-egl1, fonts-noto-cjk"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
description="Self-service kiosk terminal for a government service hall"
[ "$fast" = 1 ] && description="$description (layout check build: no dependency wheels, not installable)"
cat > "$root/DEBIAN/control" <<EOF
Package: $package
Version: $deb_version
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-Hall kiosk maintainers <root@localhost>}
Installed-Size: $installed_size
Section: misc
Priority: optional
Depends: $depends
Recommends: libusb-1.0-0
Suggests: usbguard
Conflicts: brltty
Description: $description
 Full-screen touch application (PySide6/Qt 6) of the Xiamen Administrative Service
 Center: queue tickets, social-security, property and population lookups, fee payment
 and service guides, with an ID card reader, receipt printer and QR scanner.
 .
 Runs as user kiosk in the cage Wayland compositor on tty1 (kiosk.service, systemd
 watchdog), with udev names for its devices and console lockdown. Also carries the hall
 gateway server (kiosk-gateway.service, not enabled). brltty is refused because it
 claims the USB-serial bridges that ID card readers use.
EOF
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    > "$root/DEBIAN/md5sums"

# 5. Build. Wheels are already compressed: gzip is as small as xz here and many times faster.
find "$root" -type d -exec chmod 0755 {} +
mkdir -p "$out"
deb="$out/${package}_${deb_version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >&2
say "built $deb ($(du -h "$deb" | cut -f1))"
echo "$deb"

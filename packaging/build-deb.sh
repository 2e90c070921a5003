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
    # Exactly the wheels of the lock file (versions and sha256), so a rebuild carries the same
    # bytes; packaging/lock-requirements.sh regenerates it after a dependency change.
    lock="$src/packaging/requirements-$arch.lock"
    [ -f "$lock" ] || { echo "build-deb: no lock file $lock (run packaging/lock-requirements.sh)" >&2; exit 1; }
    platforms=()
    # Debian 12 has glibc 2.36: every manylinux wheel up to 2_36 runs there.
    for minor in $(seq 36 -1 5); do platforms+=(--platform "manylinux_2_${minor}_$wheel_arch"); done
    for legacy in manylinux2014 manylinux2010 manylinux1; do platforms+=(--platform "${legacy}_$wheel_arch"); done
    wheel_target=(--python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none "${platforms[@]}")
    say "downloading the locked dependency wheels for cp311 / $wheel_arch ($(basename "$lock"))"
    "$python" -m pip download --quiet --disable-pip-version-check --only-binary :all: --no-deps \
        --require-hashes "${wheel_target[@]}" --dest "$wheels" -r "$lock" >&2
    # The kiosk installs from these wheels alone: check now that they satisfy the application
    # (a lock older than pyproject.toml fails here, not on the kiosk).
    PIP_CONFIG_FILE=/dev/null "$python" -m pip install --quiet --disable-pip-version-check --dry-run \
        --ignore-installed --no-index --find-links "$wheels" --only-binary :all: "${wheel_target[@]}" \
        --target "$work/resolve-check" "$project_wheel" >&2 \
        || { echo "build-deb: $(basename "$lock") does not satisfy pyproject.toml (run packaging/lock-requirements.sh)" >&2; exit 1; }
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
put 0644 config/kiosk.toml              etc/kiosk/kiosk.toml
put 0644 README.md                      usr/share/doc/"$package"/README.md
put 0644 usbguard/rules.conf            usr/share/doc/"$package"/examples/usbguard-rules.conf
put 0644 nginx/kiosk-gateway.conf       usr/share/doc/"$package"/examples/nginx-kiosk-gateway.conf
put 0644 debian/lintian-overrides       usr/share/lintian/overrides/"$package"
# copyright: the project's terms, then one paragraph per bundled wheel from its own metadata.
cat "$here/debian/copyright" > "$root/usr/share/doc/$package/copyright"
"$python" "$here/copyright_wheels.py" "$wheels" "$package" >> "$root/usr/share/doc/$package/copyright"
# changelog.Debian: packaging/debian/changelog, headed by an entry for this build when its version
# is not the top one (a --fast or --revision build); dated by the commit for a repeatable result.
maintainer=${DEB_MAINTAINER:-Xiamen Hall Kiosk Team <kiosk-team@xmzwfw.gov.cn>}
commit=$(git -C "$repo" rev-parse --short "${ref:-HEAD}^{commit}" 2>/dev/null || echo unknown)
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct "${ref:-HEAD}" 2>/dev/null || date +%s)}
changelog="$root/usr/share/doc/$package/changelog.Debian"
if [ "$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$here/debian/changelog")" != "$deb_version" ]; then
    what="commit $commit"
    [ -z "$ref" ] && what="the working tree at commit $commit"
    note=""
    [ "$fast" = 1 ] && note=$'\n  * Layout check build: no dependency wheels, cannot be installed.'
    printf '%s (%s) bookworm; urgency=medium\n\n  * Build of %s.%s\n\n -- %s  %s\n\n' \
        "$package" "$deb_version" "$what" "$note" "$maintainer" "$(LC_ALL=C date -R -d "@$epoch")" > "$changelog"
fi
cat "$here/debian/changelog" >> "$changelog"
gzip -9n "$changelog"
chmod 0644 "$root/usr/share/doc/$package/copyright" "$changelog.gz"
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
printf '%s\n' /etc/kiosk/kiosk.toml > "$root/DEBIAN/conffiles"
# What Qt's wheels need on Debian 12 (readelf -d of QtCore/QtGui/QtWidgets/QtWaylandClient, the
# wayland platform plugin and its EGL and xdg-shell plugins), Mesa's EGL/GL drivers behind
# libglvnd, cage and the Xwayland it starts, libusb for pyusb (USB receipt printers), the
# Chinese font, deb-systemd-helper for the maintainer scripts, the Python the wheels are for, and
# spoken guidance: espeak-ng renders the prompts (Mandarin and English), aplay plays them.
depends="python3 (>= 3.11), python3 (<< 3.12), python3-venv, adduser, systemd, init-system-helpers (>= 1.54~)"
depends="$depends, udev, kmod, procps, cage, seatd, xwayland"
depends="$depends, libc6, libstdc++6, libgcc-s1, libegl1, libgl1, libegl-mesa0, libgl1-mesa-dri"
depends="$depends, libfontconfig1, libfreetype6, libglib2.0-0, libxkbcommon0, libdbus-1-3, libx11-6"
depends="$depends, libwayland-client0, libwayland-cursor0, libwayland-egl1, libusb-1.0-0, fonts-noto-cjk"
depends="$depends, espeak-ng, alsa-utils"
depends="$depends, libpango-1.0-0, libpangoft2-1.0-0"  # the gateway's certificates (WeasyPrint)
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
layout_note=""
if [ "$fast" = 1 ]; then
    layout_note=$'\n .\n This is a layout check build: it carries no dependency wheels and cannot be\n installed.'
fi
cat > "$root/DEBIAN/control" <<EOF
Package: $package
Version: $deb_version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Section: misc
Priority: optional
Depends: $depends
Suggests: usbguard
Conflicts: brltty
Description: Self-service kiosk terminal for a government service hall
 Full-screen touch application (PySide6/Qt 6) of the Xiamen Administrative
 Service Center: queue tickets, social-security, property and population
 lookups, fee payment and service guides, with an ID card reader, receipt
 printer and QR scanner.
 .
 Runs as user kiosk in the cage Wayland compositor on tty1 (kiosk.service,
 systemd watchdog), with udev names for its devices and console lockdown.
 Also carries the hall gateway server (kiosk-gateway.service, not enabled).
 brltty is refused because it claims the USB-serial bridges that ID card
 readers use.$layout_note
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

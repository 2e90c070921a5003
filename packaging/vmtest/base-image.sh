#!/usr/bin/env bash
# The clean Debian 12 a hall admin starts from: a minimal system with systemd, udev, logind,
# a kernel, SSH for staff, the network from DHCP and the hall's time zone. Nothing of the kiosk:
# the package under test must pull in all it needs through its own Depends.
#
#   packaging/vmtest/base-image.sh ROOT_DIR
#
# The deployment test keeps the result in its cache, keyed by this file's digest: changing the
# recipe below rebuilds the image on the next run.
set -euo pipefail
root=${1:?usage: base-image.sh ROOT_DIR}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

debootstrap --variant=minbase \
    --include=systemd-sysv,udev,dbus,libpam-systemd,linux-image-amd64,openssh-server,iproute2,ca-certificates,procps,less,tzdata \
    bookworm "$root" "$mirror" >&2

# As the netinst would leave it: apt sources with security updates, a host name, the clock's zone.
cat > "$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
echo kiosk-vm > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tkiosk-vm\n' > "$root/etc/hosts"
ln -sf /usr/share/zoneinfo/Asia/Shanghai "$root/etc/localtime"
echo Asia/Shanghai > "$root/etc/timezone"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' > "$root/etc/fstab"
# Wired network from DHCP (systemd-networkd is part of systemd).
mkdir -p "$root/etc/systemd/network"
printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' > "$root/etc/systemd/network/20-wired.network"
chroot "$root" systemctl enable systemd-networkd.service >&2
# Staff log in over SSH with a key only.
mkdir -p "$root/etc/ssh/sshd_config.d"
printf 'PasswordAuthentication no\nPermitRootLogin prohibit-password\nUseDNS no\n' \
    > "$root/etc/ssh/sshd_config.d/50-hall.conf"
# Journald keeps the journal on disk, as the kiosk's technicians expect after a reboot.
mkdir -p "$root/var/log/journal"
chroot "$root" apt-get clean

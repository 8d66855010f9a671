#!/usr/bin/env bash
# Build a local Debian base image with systemd as PID 1, for the lab's
# containers: no container registry is reachable, so images come from
# debootstrap + docker import. Built when missing, or when it was built with
# another package list than the one below (the image records it in a label).
#   usage: ensure-base-image.sh SUITE   (bookworm, trixie, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

suite=${1:?usage: $0 SUITE}
image="sipha-base:$suite"
# python3-apt as on a standard Debian server (Ansible's apt module needs it);
# in the image, every lab scenario saves installing it on each host. sshd and
# sudo as on any server Ansible logs in to: a scenario with lab_node_access
# ssh reaches the proxy nodes that way, as production does.
packages=systemd,systemd-sysv,dbus,python3,python3-apt,iproute2,procps,openssh-server,sudo

built_with=$(docker image inspect -f '{{ index .Config.Labels "sipha.base.packages" }}' "$image" 2>/dev/null || true)
if [ "$built_with" = "$packages" ]; then
  skip "base image $image"
  exit 0
fi

command -v debootstrap >/dev/null || scripts/ensure-tools.sh

mirror=$(apt_mirror)
rootfs=$(mktemp -d "${TMPDIR:-/tmp}/sipha-rootfs-$suite.XXXXXX")
# An interrupted debootstrap (Ctrl-C, a CI time limit) leaves its chroot's
# /proc mounted: unmount what is mounted inside first, and never remove
# across a mount.
remove_rootfs() {
  awk -v root="$rootfs/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mount; do umount -l "$mount" 2>/dev/null || :; done
  rm -rf --one-file-system "$rootfs"
}
trap remove_rootfs EXIT

step "Building base image $image with debootstrap (about a minute; progress below)"
# debootstrap's phase lines as progress, not its line per package.
if ! debootstrap --variant=minbase \
  --include="$packages" \
  "$suite" "$rootfs" "$mirror" 2>&1 |
  grep --line-buffered -E '^(E:|W:|I: (Retrieving (Release|Packages)|Resolving|Found|Installing|Unpacking (required|the)|Configuring (required|the)|Base system))' |
  sed -u "s/^/    [$suite] /"; then
  die "debootstrap of $suite from the machine's mirror failed (output above)"
fi
[ -x "$rootfs/lib/systemd/systemd" ] || die "debootstrap left no systemd in the root file system"

# systemd stops on SIGRTMIN+3: lab_up.yml sets it as each container's stop
# signal (docker import in Docker 20.10 cannot record it in the image).
# Containers have no consoles or kernel modules to manage; these units only fail there.
for unit in getty.target systemd-udevd.service systemd-modules-load.service \
  sys-kernel-config.mount systemd-remount-fs.service; do
  ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
done
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
# The lists are gone: make them look old, or apt's cache_valid_time (which
# goes by the directory's time when no update stamp exists) takes the empty
# lists of a new image for fresh ones and installs nothing.
touch -d @0 "$rootfs"/var/lib/apt/lists

step "Importing $image into Docker"
tar -C "$rootfs" -c . | docker import \
  -c 'ENV container=docker' \
  -c 'CMD ["/lib/systemd/systemd"]' \
  -c "LABEL sipha.base.packages=$packages" \
  - "$image" >/dev/null
ready "base image $image"

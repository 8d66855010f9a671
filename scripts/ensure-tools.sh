#!/usr/bin/env bash
# Debian tools the set-up and the tests call: debootstrap builds the base
# images, ansible-test sanity runs ShellCheck over the scripts, and a scenario
# with lab_node_access ssh logs in to the proxy nodes with ssh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v ssh >/dev/null || missing+=(openssh-client)
if [ ${#missing[@]} -eq 0 ]; then
  skip "debootstrap, shellcheck and ssh"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  die "missing ${missing[*]} and this script can only install them as root with apt-get: install them and run again"
fi
step "Installing ${missing[*]} with apt-get"
apt_install "install them by hand and run again" "${missing[@]}"

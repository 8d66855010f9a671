#!/usr/bin/env bash
# Make sure a Docker engine answers. On a Debian host where we are root and
# none runs, install Debian's docker.io and start dockerd detached (systemd is
# not PID 1 on CI machines, so `systemctl start docker` is no option).
# Anywhere else, say what is missing and stop.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

log=${SIPHA_DOCKERD_LOG:-/var/log/sipha-dockerd.log}

engine_answers() { command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; }

if engine_answers; then
  skip "Docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || [ ! -r /etc/debian_version ]; then
  die "no Docker engine answers (docker info failed) and this script can only install one as root on Debian.
  Install and start a Docker engine yourself (Debian/Ubuntu: apt-get install docker.io; others: your
  distribution's docker or moby package), make sure 'docker info' works for this user, then run again."
fi

if ! command -v dockerd >/dev/null; then
  step "Installing Debian's docker.io (Docker engine) with apt-get"
  apt_install "install a Docker engine by hand and run again" docker.io
fi
# The Debian package ships a client too; keep whichever client was first on PATH.

if ! pgrep -x dockerd >/dev/null; then
  step "Starting dockerd in the background (log: $log)"
  setsid dockerd >"$log" 2>&1 </dev/null &
fi
step "Waiting for the Docker engine to answer"
for _ in $(seq 60); do
  if engine_answers; then
    ready "Docker engine $(docker version --format '{{.Server.Version}}')"
    exit 0
  fi
  sleep 1
done
die "dockerd did not answer within 60 s; see $log"

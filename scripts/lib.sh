# shellcheck shell=bash
# Shared helpers for the set-up scripts: one line per step, so a log of
# `make lab` or `make test` reads as a list of what was done or skipped.

step() { printf '==> %s\n' "$*"; }
skip() { printf '    %s (already there, skipped)\n' "$*"; }
ready() { printf '    %s: ready\n' "$*"; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 2
}

# Debian mirror URI from the machine's own apt sources, never hard-coded.
apt_mirror() {
  local uri=""
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list; set SIPHA_APT_MIRROR to one"
  printf '%s\n' "${SIPHA_APT_MIRROR:-$uri}"
}

# Install Debian packages quietly; on failure show apt's output and stop.
#   apt_install WHAT-FOR PACKAGE...
apt_install() {
  local what=$1 out
  shift
  out=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    die "apt-get install $* failed (output above); $what"
  fi
  rm -f "$out"
}

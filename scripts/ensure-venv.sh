#!/usr/bin/env bash
# Create .venv and install requirements.txt into it; a second run with an
# unchanged requirements.txt does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

venv=.venv
stamp="$venv/.requirements.sha256"
want=$(sha256sum requirements.txt | cut -d' ' -f1)

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  skip "Python venv $venv with requirements.txt"
  exit 0
fi
command -v python3 >/dev/null || die "python3 is missing: install Python 3.11 (Debian: apt-get install python3 python3-venv)"
step "Creating Python venv in $venv and installing requirements.txt (about a minute)"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv"
# Show one line per package as progress; the exit status is pip's own.
# --no-compile: pip would byte-compile every file of the ansible bundle's
# hundred collections (20 of the 40 s of a fresh install, measured); Python
# compiles the few modules a run imports on first use instead, and keeps them.
if ! "$venv/bin/pip" install --no-compile --disable-pip-version-check --progress-bar off -r requirements.txt \
  > >(grep --line-buffered -E '^(Collecting|Successfully|ERROR)' | sed -u 's/^/    [venv] /') 2>&1; then
  die "pip could not install requirements.txt into $venv (output above)"
fi
printf '%s\n' "$want" >"$stamp"

#!/usr/bin/env bash
# Create .venv and install requirements.txt into it; a second run with an
# unchanged requirements.txt does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

venv=.venv
stamp="$venv/.requirements.sha256"
# The recipe's version after the hash: a venv made by an older recipe (one
# without the byte-compiling below) is made again.
want="$(sha256sum requirements.txt | cut -d' ' -f1) bytecode"

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  skip "Python venv $venv with requirements.txt"
  exit 0
fi
command -v python3 >/dev/null || die "python3 is missing: install Python 3.11 (Debian: apt-get install python3 python3-venv)"
step "Creating Python venv in $venv and installing requirements.txt (about a minute)"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv"
# Show one line per package as progress; the exit status is pip's own.
# --no-compile: pip would byte-compile every file of the ansible bundle's
# hundred collections (20 of the 40 s of a fresh install, measured), which
# Ansible never reads: its collection loader compiles a collection's source
# each time it loads it.
if ! "$venv/bin/pip" install --no-compile --disable-pip-version-check --progress-bar off -r requirements.txt \
  > >(grep --line-buffered -E '^(Collecting|Successfully|ERROR)' | sed -u 's/^/    [venv] /') 2>&1; then
  die "pip could not install requirements.txt into $venv (output above)"
fi
# Everything else is byte-compiled now, in about 5 s. Python would not keep
# what it compiles on first use where PYTHONDONTWRITEBYTECODE is set (as on
# the machine this was measured on): every ansible-playbook process, and each
# of its forked workers that loads a plugin, then compiled ansible-core,
# jinja2 and netaddr again. Measured on a lab, a site.yml run that changes
# nothing: 105 s without the bytecode, 95 s with it (the controller's CPU
# 63 s to 51 s); six bad-inventory tests, 12.8 to 8.7 s of CPU.
# Only a speed-up: a file that does not compile is said, and the venv is
# used as it is (Python compiles that file when it is imported).
if ! errors=$("$venv/bin/python" -m compileall -q -j 0 -x '/ansible_collections/' "$venv/lib" 2>&1); then
  printf 'WARNING: python -m compileall %s/lib could not compile everything:\n%s\n' "$venv" "$(printf '%s\n' "$errors" | head -n 20)" >&2
fi
printf '%s\n' "$want" >"$stamp"

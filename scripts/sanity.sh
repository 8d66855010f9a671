#!/usr/bin/env bash
# ansible-test sanity insists on running inside .../ansible_collections/<ns>/<name>/:
# copy the collection's files (tracked, or new and not ignored) into such a
# tree under a temporary folder and run it there. The test requirements are
# ansible-test's own pinned ones; they go into a venv of their own
# (.cache/sanity-venv) so they cannot clash with requirements.txt.
# ansible-test puts some tests in venvs of their own and bootstraps pip in
# them with a get-pip script downloaded from a host that is not reachable
# here; scripts/get_pip_offline.py stands in for it, built from the
# interpreter's own ensurepip plus PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

venv=.cache/sanity-venv
core=$(grep -E '^ansible-core==' requirements.txt)
if [ "$("$venv/bin/pip" freeze 2>/dev/null | grep -E '^ansible-core==')" != "$core" ]; then
  step "Creating $venv with $core for ansible-test"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --disable-pip-version-check --progress-bar off -q "$core"
else
  skip "$venv with $core"
fi
pip_wanted=$("$venv/bin/python" - <<'PY'
import re, ansible_test, os
src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
bootstrap="$HOME/.ansible/test/cache/get_pip_${pip_wanted//./_}.py"
if [ ! -e "$bootstrap" ]; then
  mkdir -p "$(dirname "$bootstrap")"
  cp scripts/get_pip_offline.py "$bootstrap"
fi

pyver=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
export PATH="$PWD/$venv/bin:$PATH"

work=$(mktemp -d "${TMPDIR:-/tmp}/sipha-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree="$work/ansible_collections/sipha/cluster"
mkdir -p "$tree"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -C "$tree" -xf -

step "ansible-test sanity (Python $pyver; installs its pinned test requirements on first use)"
cd "$tree"
# pip's chatter while ansible-test fills its venvs is hidden; test lines and errors stay.
ansible-test sanity --requirements --python "$pyver" --color no "$@" 2>&1 |
  grep -vE '^(Looking in|Collecting|Requirement already|Processing|Successfully|Installing|Using cached|Cached pip|WARNING: Location| +(Downloading|Attempting|Found|Uninstalling|Successfully|━))'

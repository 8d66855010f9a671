#!/usr/bin/env bash
# Runs one part of a molecule scenario's test_sequence, one molecule command
# per stage (scripts/molecule_stages.py finds the parts):
#   molecule-test.sh SCENARIO early     the stages before converge (destroy,
#                                       syntax, create, check): its lab, made
#   molecule-test.sh SCENARIO converge  site.yml on it
#   molecule-test.sh SCENARIO faults    verify, side effect, then destroy,
#                                       whether they passed or not
#   molecule-test.sh SCENARIO destroy   only the destroy (after a failed part)
# so that scripts/molecule-all.sh knows when the faults begin (make test's
# static checks start then). A failed stage ends its part. The log of all
# parts is .cache/molecule-<scenario>.log (early starts it afresh). It is
# tens of thousands of lines and CI keeps only the head and the tail, so on
# a failure the failed tasks (with the task name and what they said) are
# printed again at the end, and kept in .cache/molecule-<scenario>.failed
# for scripts/molecule-all.sh to print once every scenario has ended.
set -uo pipefail

scenario=${1:-}
part=${2:-}
log=.cache/molecule-$scenario.log
failed=.cache/molecule-$scenario.failed
mkdir -p .cache

# Runs the stages given, in order, until one fails; returns its status.
run_stages() {
  local stage rc
  for stage in "$@"; do
    molecule "$stage" -s "$scenario" 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] || return "$rc"
  done
}

rc=0
case $part in
  early)
    : >"$log"
    rm -f "$failed"
    stages=$(python3 scripts/molecule_stages.py "$scenario" early) || exit 2
    # shellcheck disable=SC2086 # one word per stage
    run_stages $stages || rc=$?
    ;;
  converge)
    run_stages converge || rc=$?
    ;;
  faults)
    if stages=$(python3 scripts/molecule_stages.py "$scenario" faults); then
      # shellcheck disable=SC2086 # one word per stage
      run_stages $stages || rc=$?
    else
      rc=2
    fi
    run_stages destroy || { [ "$rc" -ne 0 ] || rc=1; }
    ;;
  destroy)
    run_stages destroy || rc=$?
    ;;
  *)
    echo "usage: $0 SCENARIO early|converge|faults|destroy" >&2
    exit 2
    ;;
esac

# Molecule passes a stage whose playbook it cannot find ("Missing
# playbook"): with the stages' playbooks in ../shared, a move or a typo
# would skip a stage, verify or the faults, and still pass.
if grep -q "Missing playbook" "$log"; then
  echo "==> molecule -s $scenario ($part): a stage's playbook is missing (see 'Missing playbook' in $log)" >>"$failed"
  rc=1
fi
if [ "$rc" -ne 0 ]; then
  {
    echo "==> molecule -s $scenario ($part) failed (rc=$rc). Failed tasks, from $log:"
    # A fatal/failed line follows its TASK header; its message runs to the
    # next blank line. Failures a task ignores on purpose are left out.
    awk '/^TASK \[/ { task = $0 }
         /^(fatal|failed): \[/ { block = task "\n" $0; open = 1; next }
         open && /^\.\.\.ignoring/ { open = 0; block = ""; next }
         open && /^$/ { print block; print "--"; open = 0; block = ""; next }
         open { block = block "\n" $0 }
         END { if (open) print block }' "$log" | tail -n 150
  } >>"$failed"
  cat "$failed"
fi
exit "$rc"

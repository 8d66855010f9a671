#!/usr/bin/env bash
# Runs one molecule scenario:
#   molecule-test.sh SCENARIO          molecule test -s SCENARIO
#   molecule-test.sh SCENARIO build    only its lab: molecule destroy, then create
#   molecule-test.sh SCENARIO built    molecule test on the lab `build` made
#                                      (--destroy never), then molecule destroy
# (scripts/molecule-all.sh builds a later scenario's lab while the first
# scenario runs.) Its log is tens of thousands of lines and CI keeps only
# the head and the tail, so on a failure the failed tasks (with the task
# name and what they said) are printed again at the end, and kept in
# .cache/molecule-<scenario>.failed for scripts/molecule-all.sh to print
# once every scenario has ended.
set -uo pipefail

scenario=$1
mode=${2:-test}
log=.cache/molecule-$scenario.log
failed=.cache/molecule-$scenario.failed
mkdir -p .cache

case $mode in
  test)
    rm -f "$failed"
    molecule test -s "$scenario" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    ;;
  build)
    rm -f "$failed"
    { molecule destroy -s "$scenario" && molecule create -s "$scenario"; } >"$log" 2>&1
    rc=$?
    ;;
  built)
    # The create stage finds the lab there and is skipped; --destroy never
    # skips the destroy stages too, so the lab is removed here, pass or fail.
    molecule test -s "$scenario" --destroy never 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
    molecule destroy -s "$scenario" 2>&1 | tee -a "$log"
    if [ "${PIPESTATUS[0]}" -ne 0 ] && [ "$rc" -eq 0 ]; then rc=1; fi
    ;;
  *)
    echo "usage: $0 SCENARIO [test|build|built]" >&2
    exit 2
    ;;
esac

# Molecule passes a stage whose playbook it cannot find ("Missing
# playbook"): with the stages' playbooks in ../shared, a move or a typo
# would skip a stage, verify or the faults, and still pass. (cleanup, which
# molecule adds after a failed stage, has none on purpose.)
if grep "Missing playbook" "$log" | grep -qv "> cleanup\]\|cleanup: Executed"; then
  echo "==> molecule ($mode) -s $scenario: a stage's playbook is missing (see 'Missing playbook' above)" | tee -a "$failed"
  rc=1
fi
if [ "$rc" -ne 0 ]; then
  echo "==> molecule ($mode) -s $scenario failed (rc=$rc). Failed tasks, from $log:"
  # A fatal/failed line follows its TASK header; its message runs to the
  # next blank line. Failures a task ignores on purpose are left out.
  awk '/^TASK \[/ { task = $0 }
       /^(fatal|failed): \[/ { block = task "\n" $0; open = 1; next }
       open && /^\.\.\.ignoring/ { open = 0; block = ""; next }
       open && /^$/ { print block; print "--"; open = 0; block = ""; next }
       open { block = block "\n" $0 }
       END { if (open) print block }' "$log" | tail -n 150 | tee -a "$failed"
fi
exit "$rc"

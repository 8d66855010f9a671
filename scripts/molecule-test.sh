#!/usr/bin/env bash
# Runs `molecule test` for one scenario. Its log is tens of thousands of
# lines and CI keeps only the head and the tail, so on a failure the failed
# tasks (with the task name and what they said) are printed again at the end,
# and kept in .cache/molecule-<scenario>.failed for scripts/molecule-all.sh
# to print once every scenario has ended.
set -uo pipefail

scenario=$1
log=.cache/molecule-$scenario.log
failed=.cache/molecule-$scenario.failed
mkdir -p .cache
rm -f "$failed"

molecule test -s "$scenario" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# Molecule passes a stage whose playbook it cannot find ("Missing
# playbook"): with the stages' playbooks in ../shared, a move or a typo
# would skip a stage, verify or the faults, and still pass. (cleanup, which
# molecule adds after a failed stage, has none on purpose.)
if grep "Missing playbook" "$log" | grep -qv "> cleanup\]\|cleanup: Executed"; then
  echo "==> molecule test -s $scenario: a stage's playbook is missing (see 'Missing playbook' above)" | tee "$failed"
  rc=1
fi
if [ "$rc" -ne 0 ]; then
  echo "==> molecule test -s $scenario failed (rc=$rc). Failed tasks, from $log:"
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

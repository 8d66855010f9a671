#!/usr/bin/env bash
# Runs `molecule test` for one scenario. Its log is tens of thousands of
# lines and CI keeps only the head and the tail, so on a failure the failed
# tasks (with the task name and what they said) are printed again at the end.
set -uo pipefail

scenario=$1
log=.cache/molecule-$scenario.log
mkdir -p .cache

molecule test -s "$scenario" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
  echo "==> molecule test -s $scenario failed (rc=$rc). Failed tasks, from $log:"
  # A fatal/failed line follows its TASK header; its message runs to the
  # next blank line. Failures a task ignores on purpose are left out.
  awk '/^TASK \[/ { task = $0 }
       /^(fatal|failed): \[/ { block = task "\n" $0; open = 1; next }
       open && /^\.\.\.ignoring/ { open = 0; block = ""; next }
       open && /^$/ { print block; print "--"; open = 0; block = ""; next }
       open { block = block "\n" $0 }
       END { if (open) print block }' "$log" | tail -n 150
fi
exit "$rc"

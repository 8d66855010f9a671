#!/usr/bin/env bash
# Runs the molecule scenarios given as arguments one after the other, each
# with scripts/molecule-test.sh, and fails if any of them failed. A failed
# scenario does not stop the next one (one CI run shows every scenario's
# result), and its failed tasks are printed again at the very end, where
# CI's tail of the log keeps them.
#
# One at a time, on purpose: side by side (tried: scripts/molecule-all.sh
# of 0b22ece) the two scenarios kept both cores busy throughout, and the
# default scenario's database outage step failed once in two runs: the VIP
# moved away and back while the database was away (most likely a health
# check that failed under that load; not confirmed), which the step rightly
# counts as a failure. Timing-sensitive steps need the machine a real
# cluster would have.
set -uo pipefail

failed=()
for scenario in "$@"; do
  echo "==> molecule test -s $scenario"
  scripts/molecule-test.sh "$scenario" || failed+=("$scenario")
done

for scenario in "${failed[@]}"; do
  echo "==> molecule test -s $scenario: FAILED. Its failed tasks (all its lines are in .cache/molecule-$scenario.log):"
  cat ".cache/molecule-$scenario.failed" 2>/dev/null || echo "(none recorded: see the log)"
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "==> molecule: failed scenarios: ${failed[*]}"
  exit 1
fi
echo "==> molecule: every scenario passed: $*"

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
#
# Only the labs of the later scenarios are built early: while the first
# scenario builds and converges its own lab (nothing there is timed), the
# others' labs are made (molecule destroy, create: playbooks/lab_up.yml, about
# two minutes), and each later scenario then starts from its converge. They
# are built before the first scenario's faults begin, which come after its
# check and converge stages (about six minutes); the idle containers of a
# built lab cost next to nothing while they wait.
set -uo pipefail

first=$1
later=("${@:2}")

build_pid=""
rm -f .cache/molecule-build.failed
if [ "${#later[@]}" -gt 0 ]; then
  echo "==> molecule: building the labs of ${later[*]} while $first runs"
  # shellcheck disable=SC2016 # $@ is bash -c's own arguments
  setsid bash -c 'for s in "$@"; do scripts/molecule-test.sh "$s" build || echo "$s" >> .cache/molecule-build.failed; done' _ "${later[@]}" </dev/null &
  build_pid=$!
fi
trap '[ -z "$build_pid" ] || kill -TERM -- "-$build_pid" 2>/dev/null; exit 130' INT TERM

failed=()
echo "==> molecule test -s $first"
scripts/molecule-test.sh "$first" || failed+=("$first")

if [ -n "$build_pid" ]; then
  wait "$build_pid"
fi
for scenario in "${later[@]}"; do
  if grep -qx "$scenario" .cache/molecule-build.failed 2>/dev/null; then
    echo "==> molecule -s $scenario: its lab could not be built; its lines are in .cache/molecule-$scenario.log"
    failed+=("$scenario")
    continue
  fi
  echo "==> molecule test -s $scenario (on the lab built while $first ran)"
  scripts/molecule-test.sh "$scenario" built || failed+=("$scenario")
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

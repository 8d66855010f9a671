#!/usr/bin/env bash
# Runs the molecule scenarios given as arguments side by side, each with
# scripts/molecule-test.sh, and fails if any of them fails.
#
# Why side by side: each scenario builds its own lab (own container and
# network names, own /16, own package cache), and most of a scenario's time
# is spent waiting: on one node at a time (serial plays), on a fault to be
# noticed, on a probe window. One scenario alone leaves a core idle about
# half the time; two together fill it, and make test is shorter by most of
# the shorter scenario (see the README's "Tests").
#
# Each line a scenario prints is prefixed with its name; its whole log is
# also in .cache/molecule-<scenario>.log (molecule-test.sh), and a failed
# scenario's failed tasks are printed again at its end.
#
# One start at a time: molecule's prerun installs a build of the checkout
# into the user's collections path (~/.ansible/collections), the same path
# for every scenario, so the next scenario starts only once the previous
# one's prerun is over (its first stage has begun), or it has ended.
set -uo pipefail

PRERUN_WAIT_S=${PRERUN_WAIT_S:-600}

mkdir -p .cache
pids=()
names=()
for scenario in "$@"; do
  echo "==> molecule test -s $scenario (side by side with the others)"
  log=.cache/molecule-$scenario.log
  rm -f "$log"
  (scripts/molecule-test.sh "$scenario" 2>&1 | sed -u "s/^/[$scenario] /") &
  pid=$!
  pids+=("$pid")
  names+=("$scenario")
  waited=0
  until grep -qs "\[$scenario > destroy\] Executing" "$log" || ! kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$PRERUN_WAIT_S" ]; then
      echo "==> molecule test -s $scenario: its prerun has not ended after ${PRERUN_WAIT_S} s; starting the next scenario anyway"
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
done

failed=()
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    echo "==> molecule test -s ${names[$i]}: passed"
  else
    echo "==> molecule test -s ${names[$i]}: FAILED (its failed tasks are printed above, prefixed [${names[$i]}])"
    failed+=("${names[$i]}")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "==> molecule: failed scenarios: ${failed[*]}"
  exit 1
fi

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
# The prerun wait below reads molecule's plain-text lines; coloured, they
# would not match (make sets these too).
export PY_COLORS=0 ANSIBLE_FORCE_COLOR=0

mkdir -p .cache
pids=()
names=()
# Interrupted (Ctrl-C, a CI time limit): stop the scenarios too, each in a
# session of its own (setsid, below), so that no molecule run goes on unseen.
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  exit 130
}
trap stop_all INT TERM
for scenario in "$@"; do
  echo "==> molecule test -s $scenario (side by side with the others)"
  log=.cache/molecule-$scenario.log
  rm -f "$log"
  # setsid: its own process group, whose id is $! (stop_all); no stdin.
  # shellcheck disable=SC2016 # $1 is bash -c's own argument
  setsid bash -o pipefail -c 'scripts/molecule-test.sh "$1" 2>&1 | sed -u "s/^/[$1] /"' _ "$scenario" </dev/null &
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
    failed+=("${names[$i]}")
  fi
done

# A scenario that failed early printed its failed tasks long before the
# end; CI keeps only the log's tail, so print them again here.
for scenario in "${failed[@]}"; do
  echo "==> molecule test -s $scenario: FAILED. Its failed tasks (all its lines are in .cache/molecule-$scenario.log):"
  cat ".cache/molecule-$scenario.failed" 2>/dev/null || echo "(none recorded: see the log)"
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "==> molecule: failed scenarios: ${failed[*]}"
  exit 1
fi

#!/usr/bin/env bash
# Runs the molecule scenarios given as arguments, one after the other, each
# in the parts of scripts/molecule-test.sh (early stages, converge, faults),
# and fails if any of them failed. A failed scenario does not stop the next
# one (one CI run shows every scenario's result), and its failed tasks are
# printed again at the end (and kept in .cache/molecule-failures.txt, which
# scripts/test-all.sh prints last, where CI's short tail of the log keeps
# them). The first faults make .cache/molecule-faults.started, the sign for
# scripts/test-all.sh's static checks to start.
#
# One scenario at a time, and nothing of another lab beside a scenario's
# faults: side by side (tried: 0b22ece) the default scenario's database
# outage step failed once in two runs, the VIP moving away and back while
# the database was away, which the step rightly counts as a failure. Two
# labs built at once are no faster either (tried: dbe666a, converging keeps
# both cores busy by itself; each create took 2.5 times as long), and the
# next scenario's lab built beside the faults, even at nice 19 and the
# lowest CPU weight (tried: 2428716), slowed heartbeat's rollout step to 243
# s (173 s with only the static checks beside it), so the faults took about
# as long as the build saved: Docker's own daemons, which run every task of
# it, are not niced.
#
# Each scenario's base image (scripts/ensure-base-image.sh) is made before
# its lab: make test's set-up builds only the first scenario's, and the
# next scenario's is built beside the faults. debootstrap runs at the lowest
# priority, as the static checks do; its docker import (a few seconds) is
# dockerd's work, which is not niced. That is about 40 s of CPU the set-up
# no longer spends beside the venv and the first image; unlike the lab
# build tried above, it starts no containers.
set -uo pipefail
. scripts/lib.sh

mkdir -p .cache
summary=.cache/molecule-failures.txt
rm -f "$summary"

scenarios=("$@")
next_image=''
# Interrupted (Ctrl-C, a CI time limit): stop the image build too.
trap '[ -z "$next_image" ] || kill -TERM -- "-$next_image" 2>/dev/null' EXIT

# Builds SUITE's base image in the background at the lowest priority, in a
# session (and so a scheduling group) of its own, as test-all.sh's static
# checks; its lines go to .cache/base-image-SUITE.log.
build_image_beside() { # SUITE
  # shellcheck disable=SC2016 # the script is bash -c's own
  setsid nice -n 19 bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null || :
    exec scripts/ensure-base-image.sh "$1"' _ "$1" </dev/null >".cache/base-image-$1.log" 2>&1 &
  next_image=$!
}

failed=()
for index in "${!scenarios[@]}"; do
  scenario=${scenarios[$index]}
  # The image built beside the last faults; if that build failed, this
  # runs it again and says why.
  if [ -n "$next_image" ]; then
    wait "$next_image" || echo "==> the base image built beside the faults failed (.cache/base-image-*.log); building it again"
    next_image=''
  fi
  if ! scripts/ensure-base-image.sh "$(scenario_suite "$scenario")"; then
    failed+=("$scenario")
    continue
  fi
  echo "==> molecule -s $scenario: early stages, then converge"
  if scripts/molecule-test.sh "$scenario" early && scripts/molecule-test.sh "$scenario" converge; then
    : >.cache/molecule-faults.started
    if [ $((index + 1)) -lt ${#scenarios[@]} ]; then
      build_image_beside "$(scenario_suite "${scenarios[$((index + 1))]}")"
    fi
    echo "==> molecule -s $scenario: faults"
    scripts/molecule-test.sh "$scenario" faults || failed+=("$scenario")
  else
    failed+=("$scenario")
    scripts/molecule-test.sh "$scenario" destroy
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  for scenario in "${failed[@]}"; do
    echo "==> molecule -s $scenario: FAILED. Its failed tasks (all its lines are in .cache/molecule-$scenario.log):"
    cat ".cache/molecule-$scenario.failed" 2>/dev/null || echo "(none recorded: see the log)"
  done >"$summary"
  echo "==> molecule: failed scenarios: ${failed[*]}" >>"$summary"
  cat "$summary"
  exit 1
fi
echo "==> molecule: every scenario passed: $*"

#!/usr/bin/env bash
# Runs the molecule scenarios given as arguments (scripts/molecule-test.sh
# for each part of each) and fails if any of them failed. A failed scenario
# does not stop the next one (one CI run shows every scenario's result), and
# its failed tasks are printed again at the end (and kept in
# .cache/molecule-failures.txt, which scripts/test-all.sh prints last, where
# CI's short tail of the log keeps them).
#
# The faults run one scenario at a time, each with the machine to itself:
# side by side (tried: scripts/molecule-all.sh of 0b22ece) the default
# scenario's database outage step failed once in two runs, the VIP moving
# away and back while the database was away (most likely a health check
# that failed under that load; not confirmed), which the step rightly counts
# as a failure. Building two labs at once is no faster either: converging
# keeps both cores busy by itself (tried: dbe666a, each create took 2.5 times
# as long).
#
# What runs beside a scenario's faults is only what they leave idle: the
# next scenario's early stages (destroy, create: playbooks/lab_up.yml, check:
# site.yml in check mode; no daemon of its cluster runs yet), at nice 19 and
# with its containers at the lowest CPU weight (SIPHA_LAB_CPU_SHARES, read by
# lab_up.yml), set back to Docker's default before its converge; and make
# test's static checks, at nice 19, from the first faults on
# (.cache/molecule-faults.started, scripts/test-all.sh).
set -uo pipefail

scenarios=("$@")
mkdir -p .cache
summary=.cache/molecule-failures.txt
rm -f "$summary"

early_pid=""
# Interrupted (Ctrl-C, a CI time limit): stop the background part too.
trap '[ -z "$early_pid" ] || kill -TERM -- "-$early_pid" 2>/dev/null; exit 130' INT
trap '[ -z "$early_pid" ] || kill -TERM -- "-$early_pid" 2>/dev/null; exit 143' TERM

lab_name() { awk '$1 == "lab_name:" { print $2 }' "molecule/$1/vars/lab.yml"; }

failed=()
ready=no
echo "==> molecule -s ${scenarios[0]}: early stages, then converge"
if scripts/molecule-test.sh "${scenarios[0]}" early && scripts/molecule-test.sh "${scenarios[0]}" converge; then
  ready=yes
fi

for i in "${!scenarios[@]}"; do
  scenario=${scenarios[$i]}
  next=${scenarios[$((i + 1))]:-}
  if [ -n "$next" ]; then
    echo "==> molecule -s $next: early stages in the background, beside $scenario's faults (nice 19)"
    # setsid: its own process group (the traps above); no stdin.
    SIPHA_MOLECULE_QUIET=1 SIPHA_LAB_CPU_SHARES=2 setsid nice -n 19 \
      scripts/molecule-test.sh "$next" early </dev/null &
    early_pid=$!
  fi
  : >.cache/molecule-faults.started

  echo "==> molecule -s $scenario: faults"
  if [ "$ready" = yes ]; then
    scripts/molecule-test.sh "$scenario" faults || failed+=("$scenario")
  else
    failed+=("$scenario")
    scripts/molecule-test.sh "$scenario" destroy
  fi
  [ -n "$next" ] || break

  next_early=yes
  wait "$early_pid" || next_early=no
  early_pid=""
  echo "==> molecule -s $next: its early stages, run beside $scenario's faults (from .cache/molecule-$next.log)"
  cat ".cache/molecule-$next.log"
  # Its containers back to Docker's default CPU weight before its cluster's
  # daemons start: they are timed from here on.
  mapfile -t containers < <(docker ps -q --filter "name=^$(lab_name "$next")-")
  [ "${#containers[@]}" -eq 0 ] || docker update --cpu-shares 1024 "${containers[@]}" >/dev/null
  ready=no
  if [ "$next_early" = yes ]; then
    echo "==> molecule -s $next: converge"
    scripts/molecule-test.sh "$next" converge && ready=yes
  else
    cat ".cache/molecule-$next.failed" 2>/dev/null
  fi
done

# The failed tasks, kept in one file that scripts/test-all.sh prints again
# as make test's very last lines.
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

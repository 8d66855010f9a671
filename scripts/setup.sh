#!/usr/bin/env bash
# Everything `make lab` and `make test` need on a fresh machine.
# Each step skips itself when its result is already there.
# The venv (pip) and the lab's base images (debootstrap) need nothing of each
# other, so on a fresh machine they are built side by side, each printing its
# own lines, tagged; apt-get (tools, Docker) still runs one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

scripts/ensure-venv.sh &
pids+=($!)
scripts/link-collection.sh
scripts/ensure-tools.sh
scripts/ensure-docker.sh
for suite in ${SIPHA_LAB_SUITES:-bookworm trixie}; do
  scripts/ensure-base-image.sh "$suite" &
  pids+=($!)
done

failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
pids=()
exit "$failed"
